// Small string helpers (internal). This abseil build has its own
// absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW == 0), so std::string_view
// arguments to absl::StrCat & co. go through A().
#ifndef RUMOD_BLACKLIST_STRUTIL_H_
#define RUMOD_BLACKLIST_STRUTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/string_view.h"
#include "util/strings.h"  // Split, Cat

namespace rumod::internal {

inline absl::string_view A(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view S(absl::string_view s) { return {s.data(), s.size()}; }

inline std::string_view Strip(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}


}  // namespace rumod::internal

#endif  // RUMOD_BLACKLIST_STRUTIL_H_
