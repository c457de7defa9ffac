// Throughput of the matcher and of full classification, plus engine build and
// load times. Corpus: the `text` fields of
// ../shared/data/kaggle_2ch_pikabu/data.jsonl when present (evaluation data,
// read at run time only), else synthetic comments.
//
//   build/classify_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "classify/classifier.h"
#include "corpus.h"
#include "rumod/dictionary.h"
#include "rumod/engine.h"

namespace {

const std::vector<std::string>& Corpus() {
  static const auto* corpus = [] {
    auto* v = new std::vector<std::string>(rumod::bench::LoadKaggleTexts());
    if (v->empty()) {
      const char* s[] = {"Когда уже починят дорогу на улице Ленина, третий год одни ямы",
                         "Спасибо администрации за новую площадку во дворе!",
                         "ну ты и дебил, сам-то читал постановление?",
                         "опять отключили воду без предупреждения, сколько можно"};
      for (int i = 0; i < 4000; ++i) v->push_back(s[i % 4]);
    }
    return v;
  }();
  return *corpus;
}

using rumod::bench::DefaultEngineOrDie;
using rumod::bench::EngineOrDie;
using rumod::bench::ReadFile;

void ClassifyLoop(const rumod::Engine& engine, benchmark::State& state) {
  const auto& corpus = Corpus();
  auto scratch = engine.NewScratch();
  rumod::Verdict v;
  size_t i = state.thread_index() * 7919 % corpus.size(), bytes = 0, items = 0;
  for (auto _ : state) {
    const std::string& t = corpus[i];
    engine.Classify(t, *scratch, &v);
    benchmark::DoNotOptimize(v.labels.data());
    bytes += t.size();
    ++items;
    if (++i == corpus.size()) i = 0;
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(items);
}

void BM_Classify(benchmark::State& state) { ClassifyLoop(*DefaultEngineOrDie(), state); }
BENCHMARK(BM_Classify)->ThreadRange(1, 2)->UseRealTime();

// The cost of the spam rules (issue 3: within 15%): the shipped dictionaries
// without spam.dict, compiled once, against BM_Classify/real_time/threads:1.
// The spam signals computed in code (links, handles, floods) run in both.
// Compare with interleaved repetitions, the VM's CPU time drifts:
//   build/bench/classify_bench --benchmark_filter='BM_Classify.*threads:1$'
//     --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true
void BM_ClassifyWithoutSpamDict(benchmark::State& state) {
  static const std::shared_ptr<const rumod::Engine> engine = [] {
    namespace fs = std::filesystem;
    const fs::path dir = RUMOD_SOURCE_DIR "/dictionaries/ru";
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".dict" && entry.path().filename() != "spam.dict")
        files.emplace_back(entry.path().filename().string(), ReadFile(entry.path().string()));
    std::sort(files.begin(), files.end());
    auto dict = rumod::Dictionary::Parse(files, ReadFile((dir / "confusables.tsv").string()),
                                         ReadFile((dir / "domains.tsv").string()));
    return EngineOrDie(dict.ok() ? rumod::Engine::Compile(*dict)
                                 : absl::StatusOr<std::shared_ptr<const rumod::Engine>>(
                                       dict.status()));
  }();
  ClassifyLoop(*engine, state);
}
BENCHMARK(BM_ClassifyWithoutSpamDict)->UseRealTime();

// Normalization + Hyperscan scan only (no rule post-processing).
void BM_NormalizeAndScan(benchmark::State& state) {
  auto engine = DefaultEngineOrDie();
  const auto& corpus = Corpus();
  auto scratch = engine->NewScratch();
  rumod::Scratch::Rep& s = scratch->rep();
  const rumod::Engine::Rep& rep = engine->rep();
  size_t i = 0, bytes = 0, items = 0;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned,
                     void* ctx) -> int {
    ++*static_cast<size_t*>(ctx);
    return 0;
  };
  size_t hits = 0;
  for (auto _ : state) {
    const std::string& t = corpus[i];
    engine->normalizer().Normalize(t, &s.norm);
    hs_scan(rep.db, s.norm.text.bytes.data(), s.norm.text.bytes.size(), 0, s.hs, on_match,
            &hits);
    bytes += t.size();
    ++items;
    if (++i == corpus.size()) i = 0;
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(items);
}
BENCHMARK(BM_NormalizeAndScan);

// Hyperscan scan only, over views normalized before the timed loop (text
// view, plus the translit view when it is not empty, as Classify does).
void BM_ScanOnly(benchmark::State& state) {
  auto engine = DefaultEngineOrDie();
  const rumod::Engine::Rep& rep = engine->rep();
  static const auto* views = [&] {
    auto* v = new std::vector<std::pair<std::string, std::string>>;
    rumod::NormalizedText n;
    for (const std::string& t : Corpus()) {
      engine->normalizer().Normalize(t, &n);
      v->emplace_back(n.text.bytes, n.translit.bytes);
    }
    return v;
  }();
  auto scratch = engine->NewScratch();
  rumod::Scratch::Rep& s = scratch->rep();
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned,
                     void* ctx) -> int {
    ++*static_cast<size_t*>(ctx);
    return 0;
  };
  size_t i = state.thread_index() * 7919 % views->size(), bytes = 0, items = 0, hits = 0;
  for (auto _ : state) {
    const auto& [text, translit] = (*views)[i];
    hs_scan(rep.db, text.data(), text.size(), 0, s.hs, on_match, &hits);
    if (!translit.empty())
      hs_scan(rep.db, translit.data(), translit.size(), 0, s.hs, on_match, &hits);
    bytes += Corpus()[i].size();  // original bytes, comparable with the others
    ++items;
    if (++i == views->size()) i = 0;
  }
  benchmark::DoNotOptimize(hits);
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(items);
}
BENCHMARK(BM_ScanOnly)->ThreadRange(1, 2)->UseRealTime();

void BM_LoadDefaultEngine(benchmark::State& state) {
  auto bytes = *DefaultEngineOrDie()->Serialize();
  for (auto _ : state) {
    auto e = rumod::Engine::Deserialize(bytes);
    if (!e.ok()) state.SkipWithError("deserialize failed");
    benchmark::DoNotOptimize(e);
  }
  state.counters["engine_bytes"] = bytes.size();
}
BENCHMARK(BM_LoadDefaultEngine)->Unit(benchmark::kMillisecond);

void BM_CompileDefaultDictionaries(benchmark::State& state) {
  for (auto _ : state) {
    auto e = rumod::Engine::CompileDirectory(RUMOD_SOURCE_DIR "/dictionaries/ru");
    if (!e.ok()) state.SkipWithError("compile failed");
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(BM_CompileDefaultDictionaries)->Unit(benchmark::kMillisecond)->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
