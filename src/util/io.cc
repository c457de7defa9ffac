#include "util/io.h"
#include "util/strings.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>


namespace rumod::internal {

namespace {

// Opens `path` for reading; NotFound / Internal errors name it, a
// directory is InvalidArgument.
absl::StatusOr<std::FILE*> OpenForRead(const std::string& p) {
  std::error_code ec;
  if (std::filesystem::is_directory(p, ec))
    return absl::InvalidArgumentError(Cat("cannot read ", p, ": is a directory"));
  std::FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) {
    int e = errno;
    std::string msg = Cat("cannot open ", p, ": ", std::strerror(e));
    return e == ENOENT ? absl::NotFoundError(msg) : absl::InternalError(msg);
  }
  return f;
}

}  // namespace

absl::StatusOr<std::string> ReadFile(std::string_view path, size_t max_bytes) {
  std::string p(path);
  auto opened = OpenForRead(p);
  if (!opened.ok()) return opened.status();
  std::FILE* f = *opened;
  std::string out;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out.size() + n > max_bytes) {
      std::fclose(f);
      return absl::ResourceExhaustedError(
          Cat("cannot read ", p, ": larger than ", std::to_string(max_bytes), " bytes"));
    }
    out.append(buf, n);
  }
  bool err = std::ferror(f);
  std::fclose(f);
  if (err) return absl::InternalError(Cat("cannot read ", p));
  return out;
}

absl::StatusOr<std::string> ReadFilePrefix(std::string_view path, size_t n) {
  std::string p(path);
  auto opened = OpenForRead(p);
  if (!opened.ok()) return opened.status();
  std::FILE* f = *opened;
  std::string out(n, '\0');
  size_t got = std::fread(out.data(), 1, n, f);
  bool err = std::ferror(f);
  std::fclose(f);
  if (err) return absl::InternalError(Cat("cannot read ", p));
  out.resize(got);
  return out;
}

absl::Status WriteFileAtomic(std::string_view path, std::string_view data) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // Follow a symlink to the file it names; replace only regular files (a
  // device, FIFO or /dev/stdout is written in place, never renamed over).
  fs::path target{std::string(path)};
  for (int hops = 0; hops < 16 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
    fs::path next = fs::read_symlink(target, ec);
    if (ec) break;
    target = next.is_absolute() ? next : target.parent_path() / next;
  }
  fs::file_status st = fs::status(target, ec);
  if (fs::is_directory(st))
    return absl::FailedPreconditionError(Cat("cannot write ", path, ": is a directory"));
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    std::FILE* f = std::fopen(target.c_str(), "wb");
    if (!f) return absl::InternalError(Cat("cannot open ", path, ": ", std::strerror(errno)));
    bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) return absl::InternalError(Cat("cannot write ", path));
    return absl::OkStatus();
  }
  std::string p = target.string(), tmp = p + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f)
    return absl::InternalError(Cat("cannot create ", tmp, ": ", std::strerror(errno)));
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), p.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::InternalError(Cat("cannot write ", p));
  }
  return absl::OkStatus();
}

}  // namespace rumod::internal
