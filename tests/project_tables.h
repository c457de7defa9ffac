// The project's own data files in tests: reading a file whole, and one
// Normalizer built from dictionaries/ru/confusables.tsv per test binary.
#ifndef RUMOD_TESTS_PROJECT_TABLES_H_
#define RUMOD_TESTS_PROJECT_TABLES_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "rumod/normalizer.h"
#include "util/io.h"

namespace rumod::testing_util {

// The bytes of `path` (internal::ReadFile); a failed read fails the test and
// gives "".
inline std::string ReadFileOrFail(const std::string& path) {
  auto bytes = internal::ReadFile(path);
  if (!bytes.ok()) {
    ADD_FAILURE() << bytes.status();
    return "";
  }
  return *std::move(bytes);
}

inline std::string ProjectConfusablesPath() {
  return std::string(RUMOD_SOURCE_DIR) + "/dictionaries/ru/confusables.tsv";
}

// The normalizer of the shipped confusables table; aborts when it does not
// parse (every test of the binary would be meaningless).
inline const Normalizer& ProjectNormalizer() {
  static const Normalizer* n = [] {
    const std::string path = ProjectConfusablesPath();
    auto table = ConfusableTable::Parse(ReadFileOrFail(path), path);
    if (!table.ok()) {
      ADD_FAILURE() << table.status();
      std::abort();
    }
    return new Normalizer(*std::move(table));
  }();
  return *n;
}

}  // namespace rumod::testing_util

#endif  // RUMOD_TESTS_PROJECT_TABLES_H_
