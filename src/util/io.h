// File helpers (internal).
#ifndef RUMOD_UTIL_IO_H_
#define RUMOD_UTIL_IO_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rumod::internal {

// Largest file ReadFile accepts by default: dictionaries, hunspell data and
// serialized engines are a few MB; anything this big is a mistake (a
// symlink to /dev/zero, a wrong path), not input.
inline constexpr size_t kMaxReadFileBytes = size_t{512} << 20;  // 512 MiB

// Reads a whole file. NotFound / Internal errors name the path; a directory
// is InvalidArgument; a file (or device) yielding more than `max_bytes` is
// ResourceExhausted, found without reading past the limit.
absl::StatusOr<std::string> ReadFile(std::string_view path,
                                     size_t max_bytes = kMaxReadFileBytes);

// Reads at most the first `n` bytes of a file (fewer when it is shorter), to
// check a header before reading a possibly huge file whole. Errors as
// ReadFile.
absl::StatusOr<std::string> ReadFilePrefix(std::string_view path, size_t n);
// Writes `data` to `path` atomically (temporary file + rename).
absl::Status WriteFileAtomic(std::string_view path, std::string_view data);

}  // namespace rumod::internal

#endif  // RUMOD_UTIL_IO_H_
