// A fresh, empty temporary directory per call for tests that write files
// (SQLite stores, CLI inputs).
#ifndef RUMOD_TESTS_TEMP_DIR_H_
#define RUMOD_TESTS_TEMP_DIR_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace rumod::testing_util {

// <gtest TempDir>/<prefix>_<pid>_<n>, emptied first: a directory left by an
// earlier process with the same pid (pids wrap at 32768 here) would hand a
// test someone else's database.
inline std::string FreshTempDir(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::string dir = ::testing::TempDir() + "/" + prefix + "_" + std::to_string(getpid()) +
                    "_" + std::to_string(counter++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace rumod::testing_util

#endif  // RUMOD_TESTS_TEMP_DIR_H_
