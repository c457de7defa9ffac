#include "cli/common.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"

namespace rumod::cli {

ArgParser::ArgParser(const Args& args, std::vector<std::string> value_flags,
                     std::vector<std::string> switches) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() > 1 && a[0] == '-' && a != "-") {
      std::string name = a, value;
      bool has_eq = false;
      if (size_t eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_eq = true;
      }
      if (std::find(value_flags.begin(), value_flags.end(), name) != value_flags.end()) {
        if (!has_eq) {
          if (i + 1 >= args.size()) {
            error_ = name + " needs a value";
            return;
          }
          value = args[++i];
        }
        values_.emplace_back(name, value);
      } else if (std::find(switches.begin(), switches.end(), name) != switches.end() &&
                 !has_eq) {
        switches_.push_back(name);
      } else {
        error_ = "unknown option " + a;
        return;
      }
    } else {
      positionals_.push_back(a);
    }
  }
}

std::optional<std::string> ArgParser::Value(const std::string& flag) const {
  for (auto it = values_.rbegin(); it != values_.rend(); ++it)
    if (it->first == flag) return it->second;
  return std::nullopt;
}

std::vector<std::string> ArgParser::Values(const std::string& flag) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_)
    if (k == flag) out.push_back(v);
  return out;
}

bool ArgParser::Has(const std::string& flag) const {
  return std::find(switches_.begin(), switches_.end(), flag) != switches_.end();
}

int ArgParser::Threads() const {
  auto v = Value("--threads");
  if (!v) return 1;
  if (*v == "auto") return std::max(1u, std::thread::hardware_concurrency());
  int n = 1;
  if (!absl::SimpleAtoi(*v, &n) || n < 1) n = 1;
  return std::min(n, 256);
}

std::shared_ptr<const Engine> LoadEngine(const ArgParser& args) {
  absl::StatusOr<std::shared_ptr<const Engine>> e =
      args.Value("--engine") ? Engine::Load(*args.Value("--engine")) : Engine::Default();
  if (!e.ok()) {
    std::cerr << "rumod: " << e.status().message() << "\n";
    return nullptr;
  }
  return *e;
}

void VerdictToJson(const Verdict& v, std::string_view text, nlohmann::ordered_json* obj) {
  using J = nlohmann::ordered_json;
  J labels = J::array(), traits = J::array();
  for (Category c : v.labels) labels.push_back(CategoryName(c));
  for (Trait t : v.traits) traits.push_back(TraitName(t));
  J scores = J::object();
  for (int c = 0; c < kNumCategories; ++c)
    scores[std::string(CategoryName(static_cast<Category>(c)))] =
        std::round(v.scores[c] * 1000.0) / 1000.0;
  J matches = J::array();
  for (const Match& m : v.matches) {
    J j;
    j["rule"] = m.rule_id;
    j["category"] = CategoryName(m.category);
    j["trait"] = m.trait ? J(TraitName(*m.trait)) : J(nullptr);
    j["start"] = m.begin;
    j["end"] = m.end;
    j["text"] = std::string(text.substr(std::min<size_t>(m.begin, text.size()),
                                        m.end - m.begin));
    j["form"] = m.form;
    if (m.aimed) j["aimed"] = true;
    matches.push_back(std::move(j));
  }
  (*obj)["labels"] = std::move(labels);
  (*obj)["traits"] = std::move(traits);
  (*obj)["scores"] = std::move(scores);
  (*obj)["matches"] = std::move(matches);
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void ParallelFor(const Engine& engine, size_t n, int threads,
                 const std::function<void(size_t, Scratch&)>& fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    auto scratch = engine.NewScratch();
    constexpr size_t kChunk = 64;
    for (;;) {
      size_t b = next.fetch_add(kChunk);
      if (b >= n) break;
      size_t e = std::min(n, b + kChunk);
      for (size_t i = b; i < e; ++i) fn(i, *scratch);
    }
  };
  if (threads == 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

}  // namespace rumod::cli
