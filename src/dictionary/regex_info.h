// Static facts about dictionary regexes (internal).
#ifndef RUMOD_DICTIONARY_REGEX_INFO_H_
#define RUMOD_DICTIONARY_REGEX_INFO_H_

#include <string_view>

namespace rumod::internal {

// True when every string `re` can match contains an ASCII digit 0-9, so the
// pattern can only match a text that has one (the matcher keeps such
// patterns in a database it scans only then: digit-led regexes such as
// "[0-9]+ ?(р|руб) в день" are the costliest patterns of the spam lexicon).
// Conservative: false whenever unsure. Understands the syntax dictionary
// regexes use over the normalized view: literal bytes, escapes (\d is a
// digit, \xHH a byte, other escapes are not digits), '.', [...] classes with
// ranges and ^, groups (also (?:...)), '|', and the quantifiers ?, *, +,
// {m}, {m,}, {m,n} (lazy '?' suffix allowed). Anything else gives false.
bool RegexAlwaysHasDigit(std::string_view re);

}  // namespace rumod::internal

#endif  // RUMOD_DICTIONARY_REGEX_INFO_H_
