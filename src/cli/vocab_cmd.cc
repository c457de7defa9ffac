// rumod vocab-check [--allow FILE] [--threads N] [--engine FILE]
//                   [--hunspell-aff F --hunspell-dic F] [--insult]
//
// Runs every inflected form of every hunspell-ru word through the engine, one
// form per comment, and lists the standard words flagged `profanity` (with
// --insult also those flagged `insult`). Words whose lemma is listed in the
// allow file (default: dictionaries/ru/vocab_obscene.txt when it exists; one
// lemma per line, a tab and the reason) are genuinely obscene and reported
// apart. Exit code 1 when an unlisted standard word is flagged profanity.
#include <chrono>
#include <iostream>
#include <mutex>
#include <set>

#include "cli/common.h"
#include "dictionary/hunspell.h"
#include "util/io.h"
#include "util/strings.h"

namespace rumod::cli {

int RunVocabCheck(const Args& raw) {
  ArgParser args(raw, {"--allow", "--threads", "--engine", "--hunspell-aff", "--hunspell-dic"},
                 {"--insult"});
  if (!args.ok() || !args.positionals().empty())
    return UsageExit(args, "vocab-check",
                     "usage: rumod vocab-check [--allow FILE] [--threads N] [--engine FILE] "
                     "[--insult]\n"
                     "Lists standard hunspell-ru word forms flagged profanity (and insult).\n",
                     args.ok() ? "unexpected argument" : "");
  CompileOptions defaults;
  std::string aff = args.Value("--hunspell-aff").value_or(defaults.hunspell_aff);
  std::string dic = args.Value("--hunspell-dic").value_or(defaults.hunspell_dic);
  auto hs = internal::Hunspell::Load(aff, dic);
  if (!hs.ok()) {
    std::cerr << "rumod vocab-check: " << hs.status().message() << "\n";
    return 1;
  }
  std::string allow_path = args.Value("--allow").value_or("dictionaries/ru/vocab_obscene.txt");
  std::set<std::string> allowed;
  // internal::ReadFile: a directory or an unreadable file is an error, not
  // an empty list; only the default list may be absent.
  absl::StatusOr<std::string> text = internal::ReadFile(allow_path);
  if (!text.ok() && !(absl::IsNotFound(text.status()) && !args.Value("--allow"))) {
    std::cerr << "rumod vocab-check: --allow: " << text.status().message() << "\n";
    return 1;
  }
  if (text.ok()) {
    for (std::string_view line : internal::Split(*text, '\n')) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty() || line[0] == '#') continue;
      allowed.insert(std::string(line.substr(0, line.find_first_of("\t "))));
    }
  }
  auto engine = LoadEngine(args);
  if (!engine) return 1;
  std::vector<std::pair<std::string, std::string>> forms;  // (form, lemma)
  hs->ForEachWord([&](const std::string& stem, const std::vector<std::string>& fs) {
    for (const auto& f : fs) forms.emplace_back(f, stem);
  });
  if (forms.empty()) {
    // Nothing checked is not a pass: the hunspell files held no word.
    std::cerr << "rumod vocab-check: the hunspell-ru files yield no word to check\n";
    return 1;
  }
  const bool insult = args.Has("--insult");
  std::vector<uint8_t> flagged(forms.size());
  std::vector<std::string> rules(forms.size());
  auto t0 = std::chrono::steady_clock::now();
  ParallelFor(*engine, forms.size(), *args.Threads(), [&](size_t i, Scratch& s) {
    Verdict v;
    engine->Classify(forms[i].first, s, &v);
    uint8_t bits = (v.Has(Category::kProfanity) ? 1 : 0) |
                   (insult && v.Has(Category::kInsult) ? 2 : 0);
    flagged[i] = bits;
    if (bits)
      for (const Match& m : v.matches)
        if (m.category == Category::kProfanity || (insult && m.category == Category::kInsult))
          rules[i] += (rules[i].empty() ? "" : ",") + m.rule_id;
  });
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  size_t unexpected = 0, obscene = 0, insults = 0;
  for (size_t i = 0; i < forms.size(); ++i) {
    if (!flagged[i]) continue;
    bool listed = allowed.count(forms[i].second) > 0;
    if (flagged[i] & 1) {
      if (listed) {
        ++obscene;
      } else {
        ++unexpected;
        std::cout << "PROFANITY\t" << forms[i].first << "\t(lemma " << forms[i].second
                  << ")\t" << rules[i] << "\n";
      }
    } else if (flagged[i] & 2) {
      ++insults;
      std::cout << "insult\t" << forms[i].first << "\t(lemma " << forms[i].second << ")\t"
                << rules[i] << "\n";
    }
  }
  std::cerr << "rumod vocab-check: " << hs->word_count() << " hunspell-ru words, "
            << forms.size() << " forms in " << secs << " s; " << unexpected
            << " innocent forms flagged profanity, " << obscene
            << " forms of listed obscene lemmas (" << allow_path << ")";
  if (insult) std::cerr << ", " << insults << " forms flagged insult";
  std::cerr << "\n";
  return unexpected ? 1 : 0;
}

}  // namespace rumod::cli
