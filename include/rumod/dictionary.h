// rumod/dictionary.h — the parsed, validated dictionary sources.
//
//   auto dict = rumod::Dictionary::LoadDirectory("dictionaries/ru");
//   if (!dict.ok()) { std::cerr << dict.status() << "\n"; }  // names file:line [id]
//   auto engine = rumod::Engine::Compile(*dict);
//
// A dictionary directory holds `*.dict` rule files, one `confusables.tsv`
// table and optionally a `domains.tsv` list of link domains (the spam
// signals' allowlist, shorteners, messengers, social networks); the formats
// are documented in docs/dictionaries.md, docs/normalization.md and
// docs/spam.md. Parsing checks
// syntax, unique ids, known categories/traits/kinds and option values; every
// error names `file:line` and, where there is one, the entry id.
//
// Thread-compatible value type.
#ifndef RUMOD_DICTIONARY_H_
#define RUMOD_DICTIONARY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "rumod/verdict.h"

namespace rumod {

enum class EntryKind : uint8_t {
  kLemma,   // a word and all its inflected forms (hunspell-ru paradigm)
  kWord,    // exactly this word form, whole word
  kRoot,    // a root inside words (with productive prefixes and suffixes)
  kPhrase,  // a sequence of words; a word ending in '*' takes any ending
  kRegex,   // a Hyperscan regex over the normalized view
  kExcept,  // an exception: suppresses overlapping hits inside the same word
  kCombo,   // a context rule: tagged hits together within a window of words
};
std::string_view EntryKindName(EntryKind k);

// Where a kRoot entry may sit inside a word.
enum class RootPosition : uint8_t {
  kAny,    // anywhere in the word (default)
  kStart,  // at the start of the word, or right after one of `prefixes`
};

// How an insult hit depends on being aimed at a person (docs/classify.md).
enum class Aim : uint8_t {
  kBoost,     // an insult on its own; aimed at the addressee scores higher
  kRequired,  // only an insult when aimed (козёл, овца: also plain nouns)
  kAddressee, // only an insult next to an addressee cue (ты, вы, он ...):
              // words that are mostly interjections (блядь), where a
              // sentence-initial "Блядь, ..." is not a vocative
};

// One term of a combo rule: a tag that must (or, negated, must not) occur
// within the window.
struct ComboTerm {
  std::string tag;
  bool negated = false;
};

struct Entry {
  std::string id;          // stable id, unique across the dictionary
  Category category = Category::kProfanity;
  // True for `category=-` entries: they score nothing themselves and exist
  // to give combo rules their tags (group nouns, violent verbs, negations).
  bool tag_only = false;
  std::vector<std::string> tags;         // tags=a,b: names combo rules refer to
  float weight = -1;                     // weight=0..1 overrides severity; -1 = unset
  std::optional<Trait> trait;
  EntryKind kind = EntryKind::kWord;
  std::string pattern;     // as written (UTF-8), quotes and slashes removed
  int severity = 2;        // 1 (mild) .. 3 (strong)
  std::string like;        // kLemma: inflect like this word ("" = itself)
  std::vector<std::string> extra_forms;  // kLemma: forms=... added verbatim
  RootPosition position = RootPosition::kAny;
  std::vector<std::string> prefixes;     // kRoot with at=start
  std::optional<Category> also;          // the hit also counts for this category
  Aim aim = Aim::kBoost;
  // kCombo: the terms (parsed from `pattern`), the window in words (all
  // positive terms within `window` words of each other, in one sentence),
  // and whether the positive terms must appear in the written order.
  std::vector<ComboTerm> terms;
  int window = 5;
  bool ordered = false;
  std::string file;        // source file name (for messages)
  int line = 0;            // 1-based source line
};

class Dictionary {
 public:
  // Reads every `*.dict` file (sorted by name), `confusables.tsv` and, when
  // present, `domains.tsv` of `dir` (absent: no built-in domain lists).
  static absl::StatusOr<Dictionary> LoadDirectory(std::string_view dir);
  // Parses in-memory sources: `files` are (name, text) pairs of .dict files.
  // `domains_tsv` is validated by Engine::Compile.
  static absl::StatusOr<Dictionary> Parse(
      const std::vector<std::pair<std::string, std::string>>& files,
      std::string confusables_tsv, std::string domains_tsv = "");

  const std::vector<Entry>& entries() const { return entries_; }
  const std::string& confusables_tsv() const { return confusables_tsv_; }
  const std::string& domains_tsv() const { return domains_tsv_; }
  // FNV-1a 64 over all sources, for caching compiled engines by content.
  uint64_t content_hash() const { return content_hash_; }

 private:
  std::vector<Entry> entries_;
  std::string confusables_tsv_;
  std::string domains_tsv_;
  uint64_t content_hash_ = 0;
};

}  // namespace rumod

#endif  // RUMOD_DICTIONARY_H_
