// Self-contained SHA-256 (FIPS 180-4). Thread-compatible object; the free
// function is pure.
#ifndef RUMOD_BLACKLIST_SHA256_H_
#define RUMOD_BLACKLIST_SHA256_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace rumod::internal {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  std::array<uint8_t, 32> Finish();

 private:
  void Block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

std::string Sha256Hex(std::string_view data);

}  // namespace rumod::internal

#endif  // RUMOD_BLACKLIST_SHA256_H_
