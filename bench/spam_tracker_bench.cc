// Cost of SpamTracker::Observe per comment (normalization + MinHash + the
// locked table update), with the tables warm and at their memory bound.
// Corpus: the `text` fields of ../shared/data/kaggle_2ch_pikabu/data.jsonl
// when present (read at run time only), else synthetic comments; every
// 10th comment is a copy of one lure (a duplicate burst).
//
//   build/bench/spam_tracker_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>


#include "corpus.h"
#include "rumod/clock.h"
#include "rumod/engine.h"
#include "rumod/spam_tracker.h"

namespace {

const std::vector<std::string>& Corpus() {
  static const auto* corpus = [] {
    auto* v = new std::vector<std::string>(rumod::bench::LoadKaggleTexts());
    if (v->empty())
      for (int i = 0; i < 4000; ++i)
        v->push_back("Когда уже починят дорогу на улице номер " + std::to_string(i) +
                     ", третий год одни ямы и лужи во дворе");
    for (size_t i = 0; i < v->size(); i += 10)
      (*v)[i] = "Нужны люди на удалённую подработку, от 5000р в день, пишите в ЛС";
    return v;
  }();
  return *corpus;
}

using rumod::bench::DefaultEngineOrDie;

// One shared tracker; each thread observes its own slice of the stream.
void BM_Observe(benchmark::State& state) {
  static rumod::FakeClock clock;
  static std::unique_ptr<rumod::SpamTracker> tracker;
  if (state.thread_index() == 0) {
    rumod::SpamTrackerOptions o;
    o.clock = &clock;
    o.max_buckets = static_cast<size_t>(state.range(0));
    tracker = *rumod::SpamTracker::Create(DefaultEngineOrDie(), o);
  }
  const auto& corpus = Corpus();
  std::vector<std::string> authors;
  for (int a = 0; a < 1000; ++a) authors.push_back("user" + std::to_string(a));
  size_t i = state.thread_index() * 7919 % corpus.size(), bytes = 0, items = 0;
  for (auto _ : state) {
    const std::string& t = corpus[i];
    auto o = tracker->Observe(authors[i % authors.size()], t,
                              clock.Now() + absl::Milliseconds(static_cast<int64_t>(items) * 50));
    benchmark::DoNotOptimize(o);
    bytes += t.size();
    ++items;
    if (++i == corpus.size()) i = 0;
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(items);
  if (state.thread_index() == 0) {
    state.counters["buckets"] = tracker->bucket_count();
    state.counters["memory_MB"] = tracker->MemoryBytes() / 1e6;
  }
}
BENCHMARK(BM_Observe)->Arg(2000)->Arg(50000)->ThreadRange(1, 2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
