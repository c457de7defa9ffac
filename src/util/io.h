// File helpers (internal).
#ifndef RUMOD_UTIL_IO_H_
#define RUMOD_UTIL_IO_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rumod::internal {

// Reads a whole file. NotFound / Internal errors name the path.
absl::StatusOr<std::string> ReadFile(std::string_view path);
// Writes `data` to `path` atomically (temporary file + rename).
absl::Status WriteFileAtomic(std::string_view path, std::string_view data);

}  // namespace rumod::internal

#endif  // RUMOD_UTIL_IO_H_
