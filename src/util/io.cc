#include "util/io.h"
#include "util/strings.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>


namespace rumod::internal {

absl::StatusOr<std::string> ReadFile(std::string_view path) {
  std::string p(path);
  std::FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) {
    int e = errno;
    std::string msg = internal::Cat("cannot open ", p, ": ", std::strerror(e));
    return e == ENOENT ? absl::NotFoundError(msg) : absl::InternalError(msg);
  }
  std::string out;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool err = std::ferror(f);
  std::fclose(f);
  if (err) return absl::InternalError(internal::Cat("cannot read ", p));
  return out;
}

absl::Status WriteFileAtomic(std::string_view path, std::string_view data) {
  std::string p(path), tmp = p + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    return absl::InternalError(internal::Cat("cannot create ", tmp, ": ", std::strerror(errno)));
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), p.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::InternalError(internal::Cat("cannot write ", p));
  }
  return absl::OkStatus();
}

}  // namespace rumod::internal
