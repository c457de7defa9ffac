// rumod explain TEXT   and   rumod compile DIR -o FILE
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <iostream>

#include "absl/strings/str_join.h"
#include "cli/common.h"

namespace rumod::cli {
namespace {

const Entry* FindEntry(const Engine& e, const std::string& id) {
  for (const Entry& x : e.entries())
    if (x.id == id) return &x;
  return nullptr;
}

std::string FlagNames(uint32_t f) {
  static const std::pair<uint32_t, const char*> kNames[] = {
      {kInputInvalidUtf8, "invalid-utf8"}, {kInputConfusables, "confusables"},
      {kInputMasked, "masked"},            {kInputSplitLetters, "split-letters"},
      {kInputStretched, "stretched"},      {kInputInvisible, "invisible-chars"},
      {kInputTruncated, "truncated"}};
  std::vector<std::string> out;
  for (auto [bit, name] : kNames)
    if (f & bit) out.push_back(name);
  return out.empty() ? "-" : absl::StrJoin(out, ", ");
}

// Text for a terminal: control characters (ESC, BEL, CR...) shown as \xHH so
// a comment cannot drive the reader's terminal, and bidi embeddings,
// overrides and isolates (U+202A..U+202E, U+2066..U+2069) as \uXXXX so the
// line shows the characters in the order the engine read them.
std::string Printable(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0xE2 && i + 2 < s.size()) {
      const unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
      const unsigned char c2 = static_cast<unsigned char>(s[i + 2]);
      if ((c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE) || (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9)) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04X", 0x2000 + ((c1 & 1) << 6) + (c2 & 0x3F));
        out += buf;
        i += 2;
        continue;
      }
    }
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace

int RunExplain(const Args& raw) {
  ArgParser args(raw, {"--engine"}, {});
  if (!args.ok() || args.positionals().empty())
    return UsageExit(args, "explain",
                     "usage: rumod explain [--engine FILE] [--] TEXT\n"
                     "Prints the normalized views and every match with its rule.\n"
                     "Put -- before a TEXT that starts with '-'.\n",
                     args.ok() ? "missing TEXT" : "");
  std::string text = absl::StrJoin(args.positionals(), " ");
  auto engine = LoadEngine(args);
  if (!engine) return 1;
  Explanation ex = engine->Explain(text);
  const Verdict& v = ex.verdict;
  std::cout << "text:        " << Printable(text) << "\n";
  std::cout << "normalized:  [" << ex.text_view << "]\n";
  if (!ex.translit_view.empty()) std::cout << "translit:    [" << ex.translit_view << "]\n";
  for (const Span& l : ex.links)
    std::cout << "link:        " << Printable(std::string_view(text).substr(l.begin, l.end - l.begin))
              << "\n";
  std::cout << "input flags: " << FlagNames(v.input_flags) << "\n";
  std::vector<std::string> labels, traits;
  for (Category c : v.labels) labels.emplace_back(CategoryName(c));
  for (Trait t : v.traits) traits.emplace_back(TraitName(t));
  std::cout << "labels:      " << (labels.empty() ? "clean" : absl::StrJoin(labels, ", ")) << "\n";
  if (!traits.empty()) std::cout << "traits:      " << absl::StrJoin(traits, ", ") << "\n";
  std::cout << "scores:     ";
  for (int c = 0; c < kNumCategories; ++c) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %s=%.2f", std::string(CategoryName(Category(c))).c_str(),
                  v.scores[c]);
    std::cout << buf;
  }
  std::cout << "\nmatches:" << (v.matches.empty() ? " none" : "") << "\n";
  for (const Match& m : v.matches) {
    const Entry* e = FindEntry(*engine, m.rule_id);
    std::cout << "  [" << m.begin << "," << m.end << ") \""
              << Printable(std::string_view(text).substr(m.begin, m.end - m.begin)) << "\" as \""
              << Printable(m.form) << "\" ("
              << m.view << " view)\n      rule " << m.rule_id << ": "
              << CategoryName(m.category);
    if (m.trait) std::cout << "/" << TraitName(*m.trait);
    if (e)
      std::cout << ", " << EntryKindName(e->kind) << " \"" << e->pattern << "\", severity "
                << e->severity << ", " << e->file << ":" << e->line;
    char buf[32];
    std::snprintf(buf, sizeof buf, ", weight %.2f", m.weight);
    std::cout << buf << (m.aimed ? ", aimed at a person" : "") << "\n";
  }
  if (!ex.suppressed.empty()) {
    std::cout << "suppressed:\n";
    for (const auto& [rule, by] : ex.suppressed)
      std::cout << "  " << rule << " (by " << by << ")\n";
  }
  return 0;
}

int RunCompile(const Args& raw) {
  ArgParser args(raw, {"-o", "--output", "--hunspell-aff", "--hunspell-dic"}, {});
  auto out = args.Value("-o") ? args.Value("-o") : args.Value("--output");
  if (!args.ok() || args.positionals().size() != 1 || !out)
    return UsageExit(args, "compile",
                     "usage: rumod compile DIR -o FILE [--hunspell-aff F --hunspell-dic F]\n"
                     "Compiles the dictionary sources in DIR to a serialized engine FILE.\n",
                     !args.ok() ? ""
                     : args.positionals().size() != 1 ? "expected one dictionary DIR"
                                                      : "missing -o FILE");
  CompileOptions opt;
  if (auto v = args.Value("--hunspell-aff")) opt.hunspell_aff = *v;
  if (auto v = args.Value("--hunspell-dic")) opt.hunspell_dic = *v;
  auto t0 = std::chrono::steady_clock::now();
  auto engine = Engine::CompileDirectory(args.positionals()[0], opt);
  if (!engine.ok()) {
    std::cerr << "rumod compile: " << engine.status().message() << "\n";
    return 1;
  }
  double compile_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (auto st = (*engine)->Save(*out); !st.ok()) {
    std::cerr << "rumod compile: " << st.message() << "\n";
    return 1;
  }
  // domains.tsv is optional (dictionaries of other categories need no link
  // lists), but its absence changes every link verdict: say so.
  if (!std::filesystem::exists(std::filesystem::path(args.positionals()[0]) / "domains.tsv"))
    std::fprintf(stderr,
                 "rumod compile: note: no domains.tsv in %s: the engine has no domain lists "
                 "(no allowlist, every web link is an ordinary link)\n",
                 args.positionals()[0].c_str());
  std::fprintf(stderr, "rumod compile: %zu rules, %zu patterns, %.2f s -> %s\n",
               (*engine)->rule_count(), (*engine)->pattern_count(), compile_s, out->c_str());
  return 0;
}

}  // namespace rumod::cli
