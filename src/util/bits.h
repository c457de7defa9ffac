// Bit counting by table (internal). std::popcount and absl::popcount compile
// to a libgcc call without -mpopcnt, which baseline x86-64 lacks; the hot
// loops that count a movemask use this 256-entry table instead.
#ifndef RUMOD_UTIL_BITS_H_
#define RUMOD_UTIL_BITS_H_

#include <array>
#include <cstdint>

namespace rumod::internal {

// kBitCount[x]: the number of set bits of byte x.
inline constexpr std::array<uint8_t, 256> kBitCount = [] {
  std::array<uint8_t, 256> b{};
  for (int x = 1; x < 256; ++x) b[x] = static_cast<uint8_t>(b[x >> 1] + (x & 1));
  return b;
}();

// Set bits of a 16-bit mask (an SSE2 byte movemask).
inline unsigned BitCount16(unsigned m) { return kBitCount[m & 0xFF] + kBitCount[(m >> 8) & 0xFF]; }

}  // namespace rumod::internal

#endif  // RUMOD_UTIL_BITS_H_
