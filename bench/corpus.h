// Shared by the benchmarks: the `text` fields of
// ../shared/data/kaggle_2ch_pikabu/data.jsonl (evaluation data, read at run
// time only, never copied into the project), and the default engine.
#ifndef RUMOD_BENCH_CORPUS_H_
#define RUMOD_BENCH_CORPUS_H_

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rumod/engine.h"
#include "util/io.h"

namespace rumod::bench {

// The bytes of the file at `path` (the library's internal::ReadFile); empty
// when it cannot be read (a missing project file then fails where it is
// parsed, with that parser's message).
inline std::string ReadFile(const std::string& path) {
  auto bytes = internal::ReadFile(path);
  return bytes.ok() ? *std::move(bytes) : std::string();
}

// The kaggle_2ch_pikabu texts; empty when ../shared is absent (callers fall
// back to synthetic comments).
inline std::vector<std::string> LoadKaggleTexts() {
  std::vector<std::string> v;
  std::ifstream f(RUMOD_SHARED_DIR "/data/kaggle_2ch_pikabu/data.jsonl");
  std::string line;
  while (std::getline(f, line)) {
    auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.contains("text") && j["text"].is_string())
      v.push_back(j["text"].get<std::string>());
  }
  return v;
}

// The engine the benchmarks measure: the embedded default engine, or the
// serialized engine named by the RUMOD_BENCH_ENGINE environment variable
// (`rumod compile DIR -o FILE` first) so dictionary engineers can measure
// their own dictionaries with the same benchmarks. Aborts with a message
// when it cannot be loaded.
// The engine, or a message on stderr and abort (a benchmark without its
// engine has nothing to measure).
inline std::shared_ptr<const Engine> EngineOrDie(
    const absl::StatusOr<std::shared_ptr<const Engine>>& e) {
  if (!e.ok()) {
    std::fprintf(stderr, "bench: cannot load engine: %s\n",
                 std::string(e.status().message()).c_str());
    std::abort();
  }
  return *e;
}

inline std::shared_ptr<const Engine> DefaultEngineOrDie() {
  static const std::shared_ptr<const Engine> engine = [] {
    const char* path = std::getenv("RUMOD_BENCH_ENGINE");
    return EngineOrDie(path && *path ? Engine::Load(path) : Engine::Default());
  }();
  return engine;
}

}  // namespace rumod::bench

#endif  // RUMOD_BENCH_CORPUS_H_
