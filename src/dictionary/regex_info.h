// Static facts about dictionary regexes (internal).
#ifndef RUMOD_DICTIONARY_REGEX_INFO_H_
#define RUMOD_DICTIONARY_REGEX_INFO_H_

#include <cstdint>
#include <string_view>

namespace rumod::internal {

// What the matcher needs to know about a regex over the normalized view
// (docs/dictionaries.md, section 3: words separated by single ' ' bytes).
// The reader understands the syntax dictionary regexes use: literal bytes,
// escapes (\d digits, \s white space, \w word bytes, \xHH a byte, other
// escaped punctuation is that byte), '.', [...] classes with ranges, \xHH
// and ^, groups (also (?:...)), '|', and the quantifiers ?, *, +, {m},
// {m,}, {m,n} (lazy '?' suffix allowed); ^ and $ as anchors. Anything else
// (lookaround, back references, \b ...) leaves `known` false and every
// other field at its conservative value.
struct RegexShape {
  static constexpr uint32_t kUnbounded = UINT32_MAX;
  bool known = false;
  // Every string the regex matches contains an ASCII digit 0-9.
  bool always_digit = false;
  // The longest match in bytes, or kUnbounded (a '*', '+' or '{m,}' repeat
  // of something non-empty).
  uint32_t max_width = kUnbounded;
  // Every match contains exactly this many ' ' bytes and begins and ends
  // with one, so the start of a match ending at offset `to` is the
  // `fixed_spaces`-th ' ' counting back from `to - 1` (and finding it reads
  // only the match itself, so a flood of hits costs linear time); -1 when
  // that does not hold (a class, '.' or \s that can match a space, a repeat
  // or an alternative that changes the count, a match that can begin or end
  // with another byte).
  int fixed_spaces = -1;
  // The longest run of consecutive non-digit bytes a match can contain, or
  // kUnbounded. With `always_digit`, every byte of a match then lies within
  // this many bytes of a digit of the same match, so the matcher scans such
  // patterns only around the digits of a view.
  uint32_t max_nondigit_run = kUnbounded;
  // The regex has an anchor (^ or $): its matches depend on where the
  // scanned buffer begins and ends, so it must be scanned whole.
  bool anchored = false;
};

RegexShape AnalyzeRegex(std::string_view re);

// The longest run of non-digit bytes in `bytes` (a literal pattern).
uint32_t LongestNondigitRun(std::string_view bytes);

// True when every string `re` can match contains an ASCII digit, so the
// pattern can only match a text that has one (the matcher keeps such
// patterns in a database it scans only then: digit-led regexes such as
// "[0-9]+ ?(р|руб) в день" are the costliest patterns of the spam lexicon).
// Conservative: false whenever unsure (AnalyzeRegex(re).always_digit).
bool RegexAlwaysHasDigit(std::string_view re);

}  // namespace rumod::internal

#endif  // RUMOD_DICTIONARY_REGEX_INFO_H_
