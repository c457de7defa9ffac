#include "cli/common.h"

#include <algorithm>
#include <array>
#include <charconv>
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

namespace {

// True when `s` is well-formed UTF-8 (what nlohmann's decoder accepts).
bool ValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + need >= n) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k <= need; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    i += need + 1;
  }
  return true;
}

// Dump() of a score std::round(x * 1000) / 1000 for x in [0, 1], by k.
const std::array<std::string, 1001>& ScoreTexts() {
  static const auto* t = [] {
    auto* a = new std::array<std::string, 1001>;
    for (int k = 0; k <= 1000; ++k) (*a)[k] = Dump(nlohmann::ordered_json(k / 1000.0));
    return a;
  }();
  return *t;
}

void AppendUnsigned(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  if (!ValidUtf8(s)) {
    out->append(Dump(nlohmann::ordered_json(std::string(s))));
    return;
  }
  out->push_back('"');
  size_t run = 0;  // start of bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(u, 6);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendVerdictJson(const Verdict& v, std::string_view text, std::string* out) {
  out->append("\"labels\":[");
  for (size_t i = 0; i < v.labels.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(CategoryName(v.labels[i]), out);
  }
  out->append("],\"traits\":[");
  for (size_t i = 0; i < v.traits.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(TraitName(v.traits[i]), out);
  }
  out->append("],\"scores\":{");
  const auto& score_texts = ScoreTexts();
  for (int c = 0; c < kNumCategories; ++c) {
    if (c) out->push_back(',');
    AppendJsonString(CategoryName(static_cast<Category>(c)), out);
    out->push_back(':');
    const double x = std::round(v.scores[c] * 1000.0);
    if (x >= 0 && x <= 1000 && !std::signbit(x)) {
      out->append(score_texts[static_cast<int>(x)]);
    } else {
      out->append(Dump(nlohmann::ordered_json(x / 1000.0)));
    }
  }
  out->append("},\"matches\":[");
  for (size_t i = 0; i < v.matches.size(); ++i) {
    const Match& m = v.matches[i];
    if (i) out->push_back(',');
    out->append("{\"rule\":");
    AppendJsonString(m.rule_id, out);
    out->append(",\"category\":");
    AppendJsonString(CategoryName(m.category), out);
    out->append(",\"trait\":");
    if (m.trait) {
      AppendJsonString(TraitName(*m.trait), out);
    } else {
      out->append("null");
    }
    out->append(",\"start\":");
    AppendUnsigned(m.begin, out);
    out->append(",\"end\":");
    AppendUnsigned(m.end, out);
    out->append(",\"text\":");
    AppendJsonString(text.substr(std::min<size_t>(m.begin, text.size()), m.end - m.begin),
                     out);
    out->append(",\"form\":");
    AppendJsonString(m.form, out);
    if (m.aimed) out->append(",\"aimed\":true");
    out->push_back('}');
  }
  out->push_back(']');
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
