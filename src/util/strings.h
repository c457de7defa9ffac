// String helpers over std::string_view (internal).
//
// Debian 12's abseil (20220623) is built with its own absl::string_view
// rather than an alias of std::string_view, so absl::StrCat/StrSplit do not
// take std::string_view arguments. These few helpers keep rumod on
// std::string_view throughout.
#ifndef RUMOD_UTIL_STRINGS_H_
#define RUMOD_UTIL_STRINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/strings/string_view.h"

namespace rumod::internal {

inline void CatAppend(std::string* out, std::string_view s) { out->append(s); }
inline void CatAppend(std::string* out, const char* s) { out->append(s); }
inline void CatAppend(std::string* out, const std::string& s) { out->append(s); }
inline void CatAppend(std::string* out, char c) { out->push_back(c); }
#if !defined(ABSL_USES_STD_STRING_VIEW)
inline void CatAppend(std::string* out, absl::string_view s) {
  out->append(s.data(), s.size());
}
#endif
template <typename T,
          typename = std::enable_if_t<std::is_arithmetic_v<T> && !std::is_same_v<T, char>>>
void CatAppend(std::string* out, T v) {
  out->append(std::to_string(v));
}

// Concatenates strings, string views, characters and numbers.
template <typename... Ts>
std::string Cat(const Ts&... parts) {
  std::string out;
  (CatAppend(&out, parts), ...);
  return out;
}

// Splits `s` at every `sep`; with skip_empty, empty pieces are dropped.
inline std::vector<std::string_view> Split(std::string_view s, char sep,
                                           bool skip_empty = false) {
  std::vector<std::string_view> out;
  size_t b = 0;
  for (;;) {
    size_t e = s.find(sep, b);
    std::string_view piece = s.substr(b, e == std::string_view::npos ? e : e - b);
    if (!skip_empty || !piece.empty()) out.push_back(piece);
    if (e == std::string_view::npos) break;
    b = e + 1;
  }
  return out;
}

// Splits at any of `seps`, dropping empty pieces.
inline std::vector<std::string_view> SplitAny(std::string_view s, std::string_view seps) {
  std::vector<std::string_view> out;
  size_t b = 0;
  while (b < s.size()) {
    size_t e = s.find_first_of(seps, b);
    if (e == std::string_view::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

inline std::string_view StripTrailingSpace(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' ||
                        s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// `s` fit for quoting in an error message: at most `max` bytes of it (cut
// before a character that would pass `max`, "..." appended), with control
// characters and bytes that are not valid UTF-8 written as \xNN. A garbage
// input file thus gives a short, printable message.
std::string Quotable(std::string_view s, size_t max);

// True for an ASCII control character (0x00-0x1F, 0x7F).
inline bool IsAsciiControl(uint32_t c) { return c < 0x20 || c == 0x7F; }

// True when `s` has a control character: ASCII (C0, DEL), C1 (U+0080..
// U+009F in UTF-8: NEL U+0085 is a line break to some readers) or the line
// and paragraph separators U+2028/U+2029. What an identifier printed one per
// line or in a CSV row must not hold.
inline bool HasControlChar(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (IsAsciiControl(c)) return true;
    if (i + 1 < s.size() && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) <= 0x9F)
      return true;
    if (i + 2 < s.size() && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 || static_cast<unsigned char>(s[i + 2]) == 0xA9))
      return true;
  }
  return false;
}

// True when `s` is well-formed UTF-8 (no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Parses a decimal number in [0, 1] ("0.35", "1", ".5", "5e-1") into *out.
// False for anything else, including NaN, infinities and hexadecimal floats
// ("nan", "inf", "0x1p-1"), which a plain strtod-style parser accepts.
bool ParseUnitInterval(std::string_view s, double* out);

// absl::Status message as std::string_view.
inline std::string_view Msg(absl::string_view m) { return {m.data(), m.size()}; }

}  // namespace rumod::internal

#endif  // RUMOD_UTIL_STRINGS_H_
