// Shared by the benchmarks: the `text` fields of
// ../shared/data/kaggle_2ch_pikabu/data.jsonl (evaluation data, read at run
// time only, never copied into the project), and the default engine.
#ifndef RUMOD_BENCH_CORPUS_H_
#define RUMOD_BENCH_CORPUS_H_

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rumod/engine.h"

namespace rumod::bench {

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

inline std::shared_ptr<const Engine> DefaultEngineOrDie() {
  auto e = Engine::Default();
  if (!e.ok()) std::abort();
  return *e;
}

}  // namespace rumod::bench

#endif  // RUMOD_BENCH_CORPUS_H_
