// rumod eval FILE [--json] [--threads N] [--engine FILE] [--show N|all]
//                 [--map NATIVE=cat1,cat2 ...] [--filter NATIVE|none]
//
// FILE: labelled JSONL. By default a row's gold labels are its "labels" in
// the CATEGORIES.md vocabulary (like ../shared/data/gold/dev.jsonl) and its
// "traits". With --map, "labels" are a dataset's native labels and each
// --map NATIVE=cat,... says which categories a native label means (an empty
// list means clean; `category/trait` also sets a gold trait, e.g.
// --map sexist=discrimination/sex); unmapped native labels add nothing.
// --filter keeps only rows that carry that native label ("none": rows with
// no label).
// Prints per-category support, precision, recall and F1, the trait accuracy
// on discrimination true positives, the false positives and negatives, and
// per-rule hit counts on gold positives and negatives of the rule's category.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>

#include "cli/common.h"
#include "util/strings.h"

namespace rumod::cli {
namespace {

struct Row {
  std::string id, text;
  uint32_t gold = 0;        // category bits
  uint32_t gold_traits = 0; // trait bits
  Verdict v;
  uint32_t pred = 0, pred_traits = 0;
};

uint32_t Bit(Category c) { return 1u << static_cast<int>(c); }

double Ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

// "a, b, c": the names of the first n values of a label enum (for messages).
template <typename E>
std::string NameList(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += ", ";
    if constexpr (std::is_same_v<E, Category>) {
      out += CategoryName(static_cast<Category>(i));
    } else {
      out += TraitName(static_cast<Trait>(i));
    }
  }
  return out;
}

nlohmann::json TraitNames(uint32_t bits) {
  nlohmann::json out = nlohmann::json::array();
  for (int t = 0; t < 32; ++t)
    if (bits & (1u << t)) out.push_back(TraitName(static_cast<Trait>(t)));
  return out;
}

}  // namespace

int RunEval(const Args& raw) {
  ArgParser args(raw, {"--threads", "--engine", "--show", "--map", "--filter"}, {"--json"});
  const std::string_view usage =
      "usage: rumod eval FILE [--json] [--threads N] [--engine FILE] [--show N|all]\n"
      "                 [--map NATIVE=category[/trait],...]... [--filter NATIVE|none]\n"
      "Precision, recall and F1 per category on labelled JSONL (docs/cli.md).\n";
  if (!args.ok() || args.positionals().size() != 1)
    return UsageExit(args, "eval", usage, args.ok() ? "expected one FILE" : "");
  std::map<std::string, uint32_t> label_map, trait_map;
  bool mapped = false;
  for (const std::string& m : args.Values("--map")) {
    size_t eq = m.find('=');
    if (eq == std::string::npos || eq == 0)
      return UsageExit(args, "eval", usage,
                       "--map expects NATIVE=category[/trait],... with a non-empty NATIVE, got '" +
                           m + "'");
    uint32_t bits = 0, traits = 0;
    for (std::string_view item : internal::Split(std::string_view(m).substr(eq + 1), ',', true)) {
      std::string_view c = item, t;
      bool has_trait = false;
      if (size_t slash = item.find('/'); slash != std::string_view::npos) {
        c = item.substr(0, slash);
        t = item.substr(slash + 1);
        has_trait = true;
      }
      auto cat = ParseCategory(c);
      if (!cat)
        return UsageExit(args, "eval", usage,
                         "--map " + m + ": unknown category '" + std::string(c) +
                             "' (" + NameList<Category>(kNumCategories) + ")");
      bits |= Bit(*cat);
      if (has_trait) {
        auto tr = ParseTrait(t);
        if (!tr)
          return UsageExit(args, "eval", usage,
                           "--map " + m + ": unknown trait '" + std::string(t) +
                               "' (" + NameList<Trait>(kNumTraits) + ")");
        traits |= 1u << int(*tr);
      }
    }
    label_map[m.substr(0, eq)] |= bits;
    trait_map[m.substr(0, eq)] |= traits;
    mapped = true;
  }
  auto filter = args.Value("--filter");
  size_t show = 50;
  if (auto v = args.Value("--show")) {
    if (*v == "all") {
      show = SIZE_MAX;
    } else {
      size_t n = 0;
      bool ok = !v->empty() && v->size() <= 9;
      for (char ch : *v) ok = ok && ch >= '0' && ch <= '9';
      if (ok) n = std::stoul(*v);
      if (!ok) return UsageExit(args, "eval", usage, "--show expects a count (0..999999999) or all");
      show = n;
    }
  }

  std::error_code dir_ec;
  if (std::filesystem::is_directory(args.positionals()[0], dir_ec)) {
    std::cerr << "rumod eval: " << args.positionals()[0] << " is a directory\n";
    return 1;
  }
  std::ifstream in(args.positionals()[0], std::ios::binary);
  if (!in) {
    std::cerr << "rumod eval: cannot open " << args.positionals()[0] << "\n";
    return 1;
  }
  auto engine = LoadEngine(args);
  if (!engine) return 1;
  std::vector<Row> rows;
  std::string line;
  size_t lineno = 0, bad = 0, unknown_label_rows = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    nlohmann::json j;
    std::string perr = ParseJsonLine(line, &j);
    if (!perr.empty() || !j.is_object() || !j.contains("text") || !j["text"].is_string()) {
      std::cerr << "rumod eval: line " << lineno << ": not a labelled JSON row, skipped\n";
      ++bad;
      continue;
    }
    Row r;
    r.text = j["text"];
    r.id = j.contains("id") ? (j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump())
                            : std::to_string(lineno);
    std::vector<std::string> labels;
    // A gold row states its labels, [] for clean: a row without the field
    // is not silently taken as clean.
    bool odd = !j.contains("labels") || !j["labels"].is_array();
    if (j.contains("labels") && j["labels"].is_array())
      for (const auto& l : j["labels"]) {
        if (l.is_string()) labels.push_back(l);
        else odd = true;
      }
    if (filter) {
      bool keep = *filter == "none" ? labels.empty()
                                    : std::find(labels.begin(), labels.end(), *filter) != labels.end();
      if (!keep) continue;
    }
    for (const std::string& l : labels) {
      if (mapped) {
        auto it = label_map.find(l);
        if (it != label_map.end()) {
          r.gold |= it->second;
          r.gold_traits |= trait_map[l];
        }
      } else if (auto c = ParseCategory(l)) {
        r.gold |= Bit(*c);
      } else {
        odd = true;  // not a CATEGORIES.md label (a native dataset without --map?)
      }
    }
    if (!mapped && j.contains("traits")) {
      if (!j["traits"].is_array()) odd = true;
      else
        for (const auto& t : j["traits"]) {
          auto tr = t.is_string() ? ParseTrait(t.get<std::string>()) : std::nullopt;
          if (tr) r.gold_traits |= 1u << int(*tr);
          else odd = true;
        }
    }
    if (odd && unknown_label_rows++ < 3)
      std::cerr << "rumod eval: line " << lineno
                << ": no labels field, or labels/traits outside the CATEGORIES.md vocabulary "
                   "(or not an array of strings): read as clean / ignored"
                << (mapped ? "" : "; native labels need --map") << "\n";
    rows.push_back(std::move(r));
  }
  ParallelFor(*engine, rows.size(), *args.Threads(), [&](size_t i, Scratch& s) {
    Row& r = rows[i];
    engine->Classify(r.text, s, &r.v);
    for (Category c : r.v.labels) r.pred |= Bit(c);
    for (Trait t : r.v.traits) r.pred_traits |= 1u << int(t);
  });

  nlohmann::json report;
  report["rows"] = rows.size();
  report["skipped_lines"] = bad;
  report["rows_with_unknown_labels"] = unknown_label_rows;
  if (unknown_label_rows > 3)
    std::cerr << "rumod eval: " << unknown_label_rows
              << " rows in all had labels/traits outside the vocabulary\n";
  if (filter && rows.empty())
    std::cerr << "rumod eval: no row carries the label '" << *filter << "' (--filter)\n";
  else if (rows.empty())
    std::cerr << "rumod eval: no labelled rows in " << args.positionals()[0] << "\n";
  nlohmann::json cats = nlohmann::json::object();
  struct RuleCount { size_t pos = 0, neg = 0; std::string category; };
  std::map<std::string, RuleCount> rule_hits;
  for (const Row& r : rows) {
    std::set<std::pair<std::string, Category>> seen;
    for (const Match& m : r.v.matches) {
      if (!seen.insert({m.rule_id, m.category}).second) continue;
      RuleCount& rc = rule_hits[m.rule_id + "\t" + std::string(CategoryName(m.category))];
      rc.category = CategoryName(m.category);
      ((r.gold & Bit(m.category)) ? rc.pos : rc.neg)++;
    }
  }
  std::ostringstream text;
  text << "rows: " << rows.size() << (bad ? " (" + std::to_string(bad) + " bad lines skipped)" : "")
       << "\n\n";
  text << std::left << std::setw(16) << "category" << std::right << std::setw(8) << "support"
       << std::setw(10) << "predicted" << std::setw(6) << "tp" << std::setw(6) << "fp"
       << std::setw(6) << "fn" << std::setw(11) << "precision" << std::setw(8) << "recall"
       << std::setw(8) << "f1" << "\n";
  std::ostringstream lists;
  for (int ci = 0; ci < kNumCategories; ++ci) {
    Category c = static_cast<Category>(ci);
    size_t tp = 0, fp = 0, fn = 0, support = 0, predicted = 0;
    nlohmann::json fps = nlohmann::json::array(), fns = nlohmann::json::array();
    for (const Row& r : rows) {
      bool g = r.gold & Bit(c), p = r.pred & Bit(c);
      support += g;
      predicted += p;
      if (g && p) ++tp;
      if (!g && p) {
        ++fp;
        nlohmann::json e = {{"id", r.id}, {"text", r.text}, {"traits", TraitNames(r.pred_traits)}};
        std::vector<std::string> rules;
        for (const Match& m : r.v.matches)
          if (m.category == c) rules.push_back(m.rule_id);
        e["rules"] = rules;
        fps.push_back(std::move(e));
      }
      if (g && !p) {
        ++fn;
        fns.push_back({{"id", r.id}, {"text", r.text}, {"gold_traits", TraitNames(r.gold_traits)}});
      }
    }
    double prec = Ratio(tp, tp + fp), rec = Ratio(tp, tp + fn);
    double f1 = Ratio(2 * prec * rec, prec + rec);
    std::string name(CategoryName(c));
    cats[name] = {{"support", support}, {"predicted", predicted}, {"tp", tp}, {"fp", fp},
                  {"fn", fn}, {"precision", prec}, {"recall", rec}, {"f1", f1},
                  {"predicted_rate", Ratio(predicted, rows.size())},
                  {"false_positives", fps}, {"false_negatives", fns}};
    text << std::left << std::setw(16) << name << std::right << std::setw(8) << support
         << std::setw(10) << predicted << std::setw(6) << tp << std::setw(6) << fp
         << std::setw(6) << fn << std::fixed << std::setprecision(3) << std::setw(11) << prec
         << std::setw(8) << rec << std::setw(8) << f1 << "\n";
    auto list = [&](const char* what, const nlohmann::json& items) {
      if (items.empty()) return;
      lists << "\n" << what << " " << name << " (" << items.size() << "):\n";
      size_t k = 0;
      for (const auto& it : items) {
        if (k++ >= show) {
          lists << "  ... (--show all)\n";
          break;
        }
        // Cut at a character boundary, control characters (line breaks,
        // terminal escapes) and invalid bytes written as \xNN: one row per
        // line, valid UTF-8.
        std::string t = it["text"];
        for (char& ch : t)
          if (ch == '\n') ch = ' ';
        lists << "  " << internal::Quotable(it["id"].get<std::string>(), 100) << "  "
              << internal::Quotable(t, 300);
        if (it.contains("rules")) {
          lists << "  <=";
          for (const auto& rr : it["rules"]) lists << " " << rr.get<std::string>();
        }
        lists << "\n";
      }
    };
    list("FALSE POSITIVES", fps);
    list("FALSE NEGATIVES", fns);
  }
  report["categories"] = cats;
  // Trait accuracy on discrimination true positives, and trait recall: gold
  // discrimination rows with gold traits whose every gold trait is predicted
  // along with the label (e.g. sexist rows found as discrimination/sex).
  size_t dtp = 0, exact = 0, overlap = 0, with_traits = 0, traits_found = 0;
  nlohmann::json mismatches = nlohmann::json::array();
  for (const Row& r : rows) {
    uint32_t d = Bit(Category::kDiscrimination);
    if ((r.gold & d) && r.gold_traits) {
      ++with_traits;
      traits_found += (r.pred & d) && (r.pred_traits & r.gold_traits) == r.gold_traits;
    }
    if ((r.gold & d) && (r.pred & d)) {
      ++dtp;
      exact += r.gold_traits == r.pred_traits;
      overlap += (r.gold_traits & r.pred_traits) != 0;
      if (r.gold_traits != r.pred_traits)
        mismatches.push_back({{"id", r.id}, {"gold_traits", TraitNames(r.gold_traits)},
                              {"traits", TraitNames(r.pred_traits)}});
    }
  }
  report["trait_accuracy"] = {{"discrimination_tp", dtp}, {"exact", Ratio(exact, dtp)},
                              {"overlap", Ratio(overlap, dtp)},
                              {"gold_rows_with_traits", with_traits},
                              {"trait_recall", Ratio(traits_found, with_traits)},
                              {"mismatches", mismatches}};
  text << "\ntrait accuracy on discrimination true positives: exact " << exact << "/" << dtp
       << ", overlap " << overlap << "/" << dtp << "\n";
  if (with_traits)
    text << "trait recall (gold discrimination rows with traits found as discrimination with "
            "all of them): "
         << traits_found << "/" << with_traits << " = " << std::fixed << std::setprecision(3)
         << Ratio(traits_found, with_traits) << "\n";
  nlohmann::json rules = nlohmann::json::array();
  std::ostringstream rl;
  rl << "\nper-rule hits (rows; pos = gold has the rule's category):\n";
  for (const auto& [key, rc] : rule_hits) {
    std::string id = key.substr(0, key.find('\t'));
    rules.push_back({{"rule", id}, {"category", rc.category}, {"on_positives", rc.pos},
                     {"on_negatives", rc.neg}});
    rl << "  " << std::left << std::setw(40) << id << std::setw(16) << rc.category
       << std::right << " pos " << std::setw(5) << rc.pos << "  neg " << std::setw(5) << rc.neg
       << "\n";
  }
  report["rules"] = rules;
  if (args.Has("--json")) {
    std::cout << Dump(report) << "\n";
  } else {
    std::cout << text.str() << lists.str() << rl.str();
  }
  // The report covers the rows read; skipped lines or an input without any
  // row make the exit code 1 (docs/cli.md), as in classify.
  return bad > 0 || (rows.empty() && !filter) ? 1 : 0;
}

}  // namespace rumod::cli
