// rumod/normalizer.h — evasion-resistant Russian text normalization.
//
//   auto table = rumod::ConfusableTable::Parse(tsv_text, "confusables.tsv");
//   rumod::Normalizer norm(*std::move(table));
//   rumod::NormalizedText out;
//   norm.Normalize("Ну ты xyй!", &out);      // out.text.bytes == " ну ты хуй "
//   rumod::ViewToUtf8(out.text.bytes);        // readable form for `explain`
//
// The normalizer turns arbitrary bytes into views over a compact one-byte
// alphabet that the matcher scans without UTF8/CASELESS flags (see
// docs/architecture.md and DESIGN.md "Performance shape"):
//
//   0x20        ' '  word boundary: every run of non-word characters, and the
//                    first and last byte of a non-empty view
//   0x2A        '*'  mask: a wildcard symbol inside a word (х*й, п**дец, на..уй)
//   0x30..0x39       digits that are not look-alikes of a Cyrillic letter
//   0x61..0x7A       Latin letters (lower case) of words with no Cyrillic letter
//   0x7B..0x7D       '{' '|' '}' — '{' and '}' delimit symbol tags such as
//                    "{middle_finger}" produced by the symbol table (emoji)
//   0x5F        '_'  inside symbol tags only
//   0x01             any other letter (CJK, Arabic, ...): part of a word,
//                    matches nothing
//   0xE0..0xFF       Cyrillic а..я in Windows-1251 order; ё is folded to е
//                    (0xE5); Ukrainian/Belarusian і ї є ґ ў fold to и и е г у
//
// Every view byte maps back to the ORIGINAL text: bytes [begin[i], end[i]) of
// the input produced view byte i (a boundary maps to the separator it
// replaced, or to an empty range at the word edge). A letter produced by a
// look-alike or translit sequence maps to the whole sequence ("3.14" → п, и);
// a collapsed run maps to the whole run. Exact rules: docs/normalization.md.
//
// Pipeline (one pass per code point, linear in the input length):
//  1. UTF-8 validation: each invalid sequence becomes U+FFFD (a non-word
//     symbol) and sets kInputInvalidUtf8. Never crashes, never reads past the
//     input.
//  2. ICU NFKC_Casefold (fullwidth, mathematical alphanumerics, circled
//     letters, ligatures, upper case → lower case); default-ignorable code
//     points (ZWJ, ZWNJ, ZWSP, U+2060, U+FEFF, soft hyphen, bidi marks,
//     variation selectors) are dropped without breaking the word; combining
//     marks left after NFKC are stripped (stress marks, decorations) — but
//     й stays й and ё becomes е.
//  3. Tokenization into words: letters, digits, look-alike symbols and masks.
//     Links (scheme://..., www...., bare domain.tld/path), e-mail addresses
//     and VK mention markup ([id123|Имя], [club1|...]) are non-words: their
//     original spans go to NormalizedText::links and they become a boundary.
//  4. Confusables (table-driven, ConfusableTable): inside a word that has at
//     least one Cyrillic letter, Latin/Greek/digit/symbol look-alikes become
//     Cyrillic (x→х, y→у, p→р, 0→о, 3→з, 6→б, @→а, $→с, "3.14"→пи...). Words
//     without Cyrillic letters keep their Latin letters.
//  5. Transliteration view: every all-Latin word (a..z only) is also written
//     in Cyrillic with the table's translit rules (blyat→блят, pizdec→пиздец,
//     nahuy→нахуй) into NormalizedText::translit. That view holds ONLY these
//     words, each between boundaries (" блят нахуй "), with offsets into the
//     Latin words; it is empty when the text has no all-Latin word.
//  6. De-obfuscation: runs of one repeated letter collapse to one letter
//     (хуууй → хуй, also ссора → сора: the dictionary compiler normalizes
//     its forms with the same function, so both sides agree; the
//     kInputStretched flag is set only for runs of 3+); runs of 3 or more
//     single-letter words separated by the same separator (spaces, or one
//     '.', '-' or '_') are joined (х у й, б.л.я, п-и-з-д-а → one word), except
//     a run of exactly 3 one-letter Russian words (а в и к о с у я: "в с к");
//     mask symbols ([mask] table: * # % ^ ~; runs of 2+ dots, "…", when the
//     part before the run is at most 2 characters) between letters become '*'
//     (one '*' per masked symbol), masks at the edges of a word are dropped
//     (markdown **bold** → bold, **му**дак → му**дак).
//  7. Symbol tags: symbols listed in the table (🖕 → {middle_finger}) become
//     their tag as a separate word. Other symbols, emoji and regional
//     indicator flags are boundaries (never letters).
//
// Thread-safety: a Normalizer is immutable after construction; Normalize() is
// const and safe to call from many threads at once with different outputs
// (each thread uses its own thread_local scratch buffers).
#ifndef RUMOD_NORMALIZER_H_
#define RUMOD_NORMALIZER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace rumod {

// Byte range [begin, end) in the original text.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const Span& a, const Span& b) {
    return a.begin == b.begin && a.end == b.end;
  }
};

// One normalized view: compact-alphabet bytes plus their origin.
struct NormalizedView {
  std::string bytes;            // see the alphabet above
  std::vector<uint32_t> begin;  // begin[i]: first original byte of bytes[i]
  std::vector<uint32_t> end;    // end[i]: one past the last original byte
  void Clear() { bytes.clear(); begin.clear(); end.clear(); }
  bool empty() const { return bytes.empty(); }
  // Original span of view bytes [b, e); requires b < e <= bytes.size().
  Span Original(size_t b, size_t e) const { return {begin[b], end[e - 1]}; }
};

// Output of Normalizer::Normalize. Reuse one object per thread: Clear() keeps
// the capacity, so steady-state normalization does not allocate.
struct NormalizedText {
  NormalizedView text;        // main view (always present; " " for empty input)
  NormalizedView translit;    // all-Latin words transliterated; empty if none
  std::vector<Span> links;    // URLs, e-mails, mentions (original offsets)
  uint32_t flags = 0;         // rumod::InputFlag bits (verdict.h)
  uint32_t mixed_script_words = 0;  // Cyrillic words that needed confusables
  // Original byte span of the first of those words ({0, 0} when there is
  // none): the span of the spam.mixed_script signal.
  Span first_mixed_word;
  // Counted over the original text during decoding (for the spam signals):
  // capital letters A-Z А-Я Ё, small letters a-z а-я ё, and code points at or
  // above U+2000 with Extended_Pictographic (emoji). Valid UTF-8 only: after
  // an invalid sequence (kInputInvalidUtf8) they may differ from a count
  // made with another decoder.
  uint32_t upper_letters = 0, lower_letters = 0, pictographs = 0;
  void Clear();
};

// Look-alike, transliteration, symbol and mask tables, parsed from the TSV
// data file dictionaries/ru/confusables.tsv (format documented in the file
// itself and in docs/normalization.md). Immutable and thread-safe after
// Parse(); copying copies the parsed tables.
class ConfusableTable {
 public:
  // Parses the TSV text. Errors (InvalidArgument) name `source_name:line`.
  static absl::StatusOr<ConfusableTable> Parse(std::string_view tsv,
                                               std::string_view source_name);
  ConfusableTable(ConfusableTable&&) noexcept;
  ConfusableTable& operator=(ConfusableTable&&) noexcept;
  ConfusableTable(const ConfusableTable&);
  ConfusableTable& operator=(const ConfusableTable&);
  ~ConfusableTable();
  // The TSV text it was parsed from (kept for engine serialization).
  const std::string& source() const;

  struct Rep;
  const Rep& rep() const { return *rep_; }

 private:
  explicit ConfusableTable(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

class Normalizer {
 public:
  explicit Normalizer(ConfusableTable table);
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;
  ~Normalizer();

  // Normalizes `text` (any bytes) into `out` (cleared first). Linear in
  // text.size(); never fails; invalid UTF-8 is replaced and flagged. Does
  // not allocate once `out` and the calling thread's internal scratch have
  // grown to the input size (a scratch above ~1M code points is released
  // after the call). Texts of 4 GiB or more are cut (kInputTruncated).
  void Normalize(std::string_view text, NormalizedText* out) const;

  // Normalizes one dictionary form (a word or phrase) exactly as running text
  // would be, returning the main view bytes without the outer boundaries.
  std::string NormalizeForm(std::string_view form) const;

  const ConfusableTable& table() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes compact-alphabet bytes to readable UTF-8 (for explain/debug output
// and Match::form). Boundaries become spaces, 0x01 becomes '?'.
std::string ViewToUtf8(std::string_view bytes);

// Encodes one Unicode code point of the compact alphabet; returns 0 for a code
// point outside it. Used by the dictionary compiler for regex entries.
uint8_t EncodeCompact(char32_t cp);

}  // namespace rumod

#endif  // RUMOD_NORMALIZER_H_
