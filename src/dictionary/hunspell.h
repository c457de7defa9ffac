// Inflection from hunspell-ru (Debian package hunspell-ru): reads ru_RU.aff
// suffix rules (SFX) and ru_RU.dic stems with their flags, and generates every
// form of a word. hunspell-ru uses one-character flags, UTF-8, suffixes only
// and no continuation classes; this reader supports exactly that subset and
// reports anything else as an error.
//
// Thread-safety: immutable after Load(); const methods are thread-safe.
#ifndef RUMOD_DICTIONARY_HUNSPELL_H_
#define RUMOD_DICTIONARY_HUNSPELL_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"

namespace rumod::internal {

class Hunspell {
 public:
  static absl::StatusOr<Hunspell> Load(std::string_view aff_path,
                                       std::string_view dic_path);

  // All forms of `word` (the word itself first), generated from every flag the
  // .dic file lists for it (homonym lines are merged). False if the word is
  // not in the dictionary. Lookup is exact (case and ё as written).
  bool Forms(std::string_view word, std::vector<std::string>* out) const;

  // Calls fn(stem, forms) for every .dic entry, in file order.
  void ForEachWord(const std::function<void(const std::string&,
                                            const std::vector<std::string>&)>&
                       fn) const;
  size_t word_count() const { return order_.size(); }

 private:
  struct Rule {
    std::u32string strip, add;
    // Condition, one element per character position from the end:
    // chars + negated flag; empty chars with negate=true means '.'.
    std::vector<std::pair<std::u32string, bool>> cond;
  };
  void Expand(const std::u32string& word, const std::string& flags,
              std::vector<std::string>* out) const;

  absl::flat_hash_map<char32_t, std::vector<Rule>> rules_;
  absl::flat_hash_map<std::string, std::string> flags_;  // stem -> flags
  std::vector<std::string> order_;
};

}  // namespace rumod::internal

#endif  // RUMOD_DICTIONARY_HUNSPELL_H_
