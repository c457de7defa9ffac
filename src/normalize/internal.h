// Internal definitions shared by confusables.cc and normalizer.cc.
//
// ConfusableTable::Rep is the parsed form of dictionaries/ru/confusables.tsv
// (format: docs/normalization.md). Every source and target in it is stored
// already FOLDED (the same per-code-point folding the normalizer applies to
// running text: NFKC_Casefold, Cyrillic ё/і/ї/є/ґ/ў folding, combining marks
// stripped, default-ignorables dropped), so lookups compare folded code
// points with folded code points.
#ifndef RUMOD_SRC_NORMALIZE_INTERNAL_H_
#define RUMOD_SRC_NORMALIZE_INTERNAL_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "rumod/normalizer.h"
#include "util/utf8.h"  // AppendUtf8

namespace rumod {

struct ConfusableTable::Rep {
  std::string source;  // the TSV text as given to Parse()

  // [lookalike]: a look-alike sequence inside a Cyrillic word → Cyrillic.
  struct Lookalike {
    std::u32string from;  // folded, 1..8 code points, no Cyrillic letter
    std::u32string to;    // 1..4 basic Cyrillic letters U+0430..U+044F
    int line = 0;
  };
  // Grouped by from[0]; inside a group longest `from` first (greedy match).
  std::vector<Lookalike> lookalikes;
  // from[0] → [begin, end) indices into `lookalikes`.
  absl::flat_hash_map<char32_t, std::pair<uint32_t, uint32_t>> lookalike_index;

  // [translit]: Latin sequence (a-z) of an all-Latin word → Cyrillic.
  struct Translit {
    std::string from;   // 1..4 ASCII letters a-z
    std::u32string to;  // 1..2 basic Cyrillic letters
    bool after_vowel = false;  // applies only after a, e, i, o, u
    int line = 0;
  };
  // Grouped by from[0]; longest first; context rules before plain ones.
  std::vector<Translit> translit;
  // from[0] - 'a' → [begin, end) indices into `translit`.
  std::array<std::pair<uint16_t, uint16_t>, 26> translit_index{};

  // [exotic]: a letter that never occurs in ordinary Russian or Latin text
  // (small capitals, modifier and IPA letters, Coptic, Cherokee) → one basic
  // Cyrillic letter, in any word. Keys are code points AS WRITTEN (not
  // folded); the normalizer looks up the input code point and, failing that,
  // each code point of its NFKC_Casefold.
  absl::flat_hash_map<char32_t, char32_t> exotic;

  // [symbol]: one symbol code point → tag name ([a-z_]+, braces added by the
  // normalizer: "{middle_finger}").
  absl::flat_hash_map<char32_t, std::string> symbols;

  // [mask]: code points that stand for a hidden letter inside a word.
  std::vector<char32_t> masks;
};

namespace internal {

// True for the 32 basic Cyrillic lower-case letters а..я (U+0430..U+044F).
inline bool IsBasicCyrillic(char32_t c) { return c >= 0x430 && c <= 0x44F; }

// Folds UTF-8 text code point by code point exactly as the normalizer folds
// running text before tokenization (see normalizer.h, pipeline steps 1-2):
// ASCII lower-cased, NFKC_Casefold, ё→е (and і ї є ґ ў folding), combining
// marks stripped except that и + U+0306 gives й, default-ignorables dropped,
// non-ASCII white space becomes ' '. Returns false (and an unspecified
// `out`) if `utf8` is not valid UTF-8. Used to fold table entries.
bool FoldForTable(std::string_view utf8, std::u32string* out);

// Testing hooks of the normalizer's fast path (tests only; see FastRun in
// normalizer.cc). Both act on the calling thread only.
// force = true: Normalize() always takes the general pipeline.
void SetForceGeneralPathForTesting(bool force);
// How many Normalize() calls of this thread the fast path finished, and how
// many it handed to the general pipeline.
struct FastPathCounts {
  uint64_t fast = 0, fallbacks = 0;
};
FastPathCounts FastPathCountsForTesting();


}  // namespace internal
}  // namespace rumod

#endif  // RUMOD_SRC_NORMALIZE_INTERNAL_H_
