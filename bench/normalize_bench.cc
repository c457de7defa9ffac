// Benchmarks of rumod::Normalizer::Normalize (bytes/s and items/s, one item
// = one comment). Building the Normalizer is done once, outside the timed
// loops.
//
//   build/bench/normalize_bench --benchmark_filter=Normalize
//
// Corpora:
//   - synthetic Russian comments generated here (plain, and with evasions:
//     look-alikes, masks, split and stretched letters, links, emoji);
//   - the texts of RUMOD_SHARED_DIR/data/kaggle_2ch_pikabu/data.jsonl (the
//     "text" field of each line) when that file exists; skipped otherwise.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "corpus.h"
#include "nlohmann/json.hpp"
#include "rumod/normalizer.h"

namespace {

using rumod::bench::ReadFile;

const rumod::Normalizer& Norm() {
  static const rumod::Normalizer* n = [] {
    const std::string path =
        std::string(RUMOD_SOURCE_DIR) + "/dictionaries/ru/confusables.tsv";
    auto table = rumod::ConfusableTable::Parse(ReadFile(path), path);
    if (!table.ok()) {
      std::fprintf(stderr, "%s\n", std::string(table.status().message()).c_str());
      std::abort();
    }
    return new rumod::Normalizer(*std::move(table));
  }();
  return *n;
}

// Deterministic generator of ~200-byte comments.
std::vector<std::string> Synthetic(bool evasions, size_t count) {
  static const char* kWords[] = {
      "администрация", "города", "опять", "не", "убрала", "снег", "во",
      "дворе", "дома", "на", "улице", "Ленина", "когда", "уже", "починят",
      "дорогу", "спасибо", "за", "информацию", "мы", "ждём", "ответа",
      "почему", "автобус", "номер", "ходит", "раз", "в", "час", "жители",
      "просят", "разобраться", "с", "этим", "вопросом", "Ёлка", "на",
      "площади", "красивая", "молодцы", "депутаты", "обещали", "сделать",
      "ремонт", "школы", "детский", "сад", "переполнен", "очередь",
      "поликлиника", "врачей", "нет", "и", "так", "далее", "Когда", "будет",
      "свет", "горячая", "вода", "отключена", "третий", "день"};
  static const char* kEvasions[] = {
      "xyйня", "п**дец", "б.л.я", "х у й", "бл@ть", "пиздεц", "хуууууй",
      "3.14здец", "на..уй", "blyat", "nahuy", "https://vk.com/club1",
      "🖕", "🇷🇺", "бл\u200Dядь", "ＨＵＹ", "[id12345|Иван]", "😂😂"};
  const size_t nw = sizeof(kWords) / sizeof(kWords[0]);
  const size_t ne = sizeof(kEvasions) / sizeof(kEvasions[0]);
  uint32_t x = 2463534242u;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
  };
  std::vector<std::string> out;
  for (size_t c = 0; c < count; ++c) {
    std::string s;
    while (s.size() < 200) {
      if (!s.empty()) s += (next() % 7 == 0) ? ", " : " ";
      if (evasions && next() % 5 == 0) s += kEvasions[next() % ne];
      else s += kWords[next() % nw];
    }
    s += (next() % 2) ? "!" : ".";
    out.push_back(std::move(s));
  }
  return out;
}

const std::vector<std::string>& Corpus() {
  static const std::vector<std::string>* texts = [] {
    return new std::vector<std::string>(rumod::bench::LoadKaggleTexts());
  }();
  return *texts;
}

void Run(benchmark::State& state, const std::vector<std::string>& texts) {
  if (texts.empty()) {
    state.SkipWithError("corpus not available");
    return;
  }
  const rumod::Normalizer& norm = Norm();
  rumod::NormalizedText out;
  size_t i = 0, bytes = 0, items = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    norm.Normalize(t, &out);
    benchmark::DoNotOptimize(out.text.bytes.data());
    bytes += t.size();
    ++items;
    if (++i == texts.size()) i = 0;
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.SetItemsProcessed(static_cast<int64_t>(items));
}

void BM_NormalizeSyntheticPlain(benchmark::State& state) {
  static const auto texts = Synthetic(false, 4096);
  Run(state, texts);
}
BENCHMARK(BM_NormalizeSyntheticPlain)->ThreadRange(1, 2)->UseRealTime();

void BM_NormalizeSyntheticEvasions(benchmark::State& state) {
  static const auto texts = Synthetic(true, 4096);
  Run(state, texts);
}
BENCHMARK(BM_NormalizeSyntheticEvasions)->ThreadRange(1, 2)->UseRealTime();

void BM_NormalizeKaggle2chPikabu(benchmark::State& state) {
  Run(state, Corpus());
}
BENCHMARK(BM_NormalizeKaggle2chPikabu)->ThreadRange(1, 2)->UseRealTime();

// One large text (100 comments joined): per-call overhead amortized.
void BM_NormalizeLargeText(benchmark::State& state) {
  static const std::vector<std::string> texts = [] {
    std::string big;
    for (const std::string& s : Synthetic(false, 100)) big += s + "\n";
    return std::vector<std::string>{big};
  }();
  Run(state, texts);
}
BENCHMARK(BM_NormalizeLargeText);

// Table parsing + Normalizer construction (engine build cost, not hot path).
void BM_BuildNormalizer(benchmark::State& state) {
  const std::string path =
      std::string(RUMOD_SOURCE_DIR) + "/dictionaries/ru/confusables.tsv";
  const std::string tsv = ReadFile(path);
  for (auto _ : state) {
    auto table = rumod::ConfusableTable::Parse(tsv, path);
    rumod::Normalizer n(*std::move(table));
    benchmark::DoNotOptimize(&n);
  }
}
BENCHMARK(BM_BuildNormalizer);

}  // namespace

BENCHMARK_MAIN();
