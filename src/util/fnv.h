// FNV-1a, 64-bit (Fowler, Noll, Vo; the parameters of
// http://www.isthe.com/chongo/tech/comp/fnv/): the engine file checksum and
// the dictionary content hash. Not for hash tables (abseil's are) nor
// against tampering: it catches damaged files and changed sources.
#ifndef RUMOD_UTIL_FNV_H_
#define RUMOD_UTIL_FNV_H_

#include <cstdint>
#include <string_view>

namespace rumod::internal {

inline constexpr uint64_t kFnv64OffsetBasis = 14695981039346656037ull;
inline constexpr uint64_t kFnv64Prime = 1099511628211ull;

// Continues the hash `h` over the bytes of `s`.
inline uint64_t Fnv1a64(std::string_view s, uint64_t h = kFnv64OffsetBasis) {
  for (unsigned char c : s) {
    h ^= c;
    h *= kFnv64Prime;
  }
  return h;
}

}  // namespace rumod::internal

#endif  // RUMOD_UTIL_FNV_H_
