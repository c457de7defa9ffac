#include "util/strings.h"

#include <cstdio>

#include <unicode/utf8.h>

#include "absl/strings/numbers.h"

namespace rumod::internal {

std::string Quotable(std::string_view s, size_t max) {
  std::string out;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  int32_t i = 0;
  while (i < n) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (static_cast<size_t>(i) > max) {  // the next character would pass `max`
      out += "...";
      break;
    }
    if (c < 0 || IsAsciiControl(static_cast<uint32_t>(c))) {
      // Invalid sequence (U8_NEXT consumed its bytes) or a control character.
      for (int32_t k = start; k < i; ++k) {
        char buf[5];
        std::snprintf(buf, sizeof buf, "\\x%02x", p[k]);
        out += buf;
      }
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return n == static_cast<int32_t>(s.size());
}

bool ParseUnitInterval(std::string_view s, double* out) {
  if (s.empty() || s.find_first_not_of("0123456789.eE+-") != std::string_view::npos)
    return false;
  double d;
  if (!absl::SimpleAtod(absl::string_view(s.data(), s.size()), &d) || !(d >= 0 && d <= 1))
    return false;
  *out = d;
  return true;
}

}  // namespace rumod::internal
