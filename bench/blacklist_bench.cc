// Decisions recorded per second by the SQLite blacklist store: one
// transaction per decision vs batches, durable (synchronous=FULL) vs
// NORMAL, with the policy deciding from the author's history inside the
// transaction (the path `rumod moderate` takes). Also the policy alone.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rumod/blacklist.h"
#include "rumod/policy.h"

namespace {

using namespace rumod;

std::string FreshDb() {
  static std::atomic<int> n{0};
  std::string dir = absl::StrCat(std::filesystem::temp_directory_path().string(),
                                 "/rumod_bench_", getpid());
  std::filesystem::create_directories(dir);
  std::string path = absl::StrCat(dir, "/bl", n++, ".db");
  for (const char* suffix : {"", "-wal", "-shm"})
    std::filesystem::remove(path + suffix);
  return path;
}

Verdict MakeVerdict() {
  Verdict v;
  v.labels = {Category::kProfanity};
  v.scores[static_cast<int>(Category::kProfanity)] = 1.0f;
  Match m;
  m.rule_id = "prof.khuy";
  m.category = Category::kProfanity;
  m.begin = 13;
  m.end = 23;
  v.matches.push_back(m);
  return v;
}

// ~210 bytes, like the comments the engine is measured on.
const std::string kText =
    "ну ты и хуйло, администрация опять ничего не сделала с дорогой на улице "
    "Ленина, звони 89161234567";

ViolationInput MakeInput(int64_t i, const Verdict& v) {
  // 10000 authors: most offenders have a short history, as on a real page.
  CommentRef ref{"vk", "42", std::to_string(i % 10000), std::to_string(i),
                 absl::FromUnixSeconds(1767225600 + i)};
  return ViolationInput::FromVerdict(ref, kText, v);
}

// Arg 0: batch size (1 = one transaction per decision). Arg 1: durable.
void BM_RecordDecisions(benchmark::State& state) {
  const int batch = static_cast<int>(state.range(0));
  BlacklistStoreOptions o;
  o.durable = state.range(1) != 0;
  auto store = BlacklistStore::OpenSqlite(FreshDb(), o);
  if (!store.ok()) {
    state.SkipWithError(std::string(store.status().message()).c_str());
    return;
  }
  Policy policy;
  const Verdict v = MakeVerdict();
  int64_t next = 0;
  std::vector<ViolationInput> inputs;
  for (auto _ : state) {
    inputs.clear();
    for (int i = 0; i < batch; ++i) inputs.push_back(MakeInput(next++, v));
    auto r = (*store)->DecideAndRecordBatch(
        inputs, [&](size_t, const AuthorHistory& h, absl::Time now) {
          return policy.Decide(v, h, now);
        });
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["decisions/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * batch), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RecordDecisions)
    ->ArgNames({"batch", "durable"})
    ->Args({1, 1})
    ->Args({1, 0})
    ->Args({32, 1})
    ->Args({32, 0})
    ->Args({256, 1})
    ->Args({256, 0})
    ->UseRealTime();

// Several threads sharing one store (one connection, serialised).
void BM_RecordDecisionsThreads(benchmark::State& state) {
  static std::unique_ptr<BlacklistStore> store;
  static std::atomic<int64_t> next{0};
  if (state.thread_index() == 0) {
    BlacklistStoreOptions o;
    o.durable = false;
    store = std::move(*BlacklistStore::OpenSqlite(FreshDb(), o));
  }
  Policy policy;
  const Verdict v = MakeVerdict();
  std::vector<ViolationInput> inputs;
  for (auto _ : state) {
    inputs.clear();
    for (int i = 0; i < 32; ++i) inputs.push_back(MakeInput(next++, v));
    auto r = store->DecideAndRecordBatch(
        inputs, [&](size_t, const AuthorHistory& h, absl::Time now) {
          return policy.Decide(v, h, now);
        });
    if (!r.ok()) state.SkipWithError("record failed");
  }
  state.SetItemsProcessed(state.iterations() * 32);
  if (state.thread_index() == 0) store.reset();
}
BENCHMARK(BM_RecordDecisionsThreads)->ThreadRange(1, 4)->UseRealTime();

void BM_ActiveBanLookup(benchmark::State& state) {
  auto store = BlacklistStore::OpenSqlite(FreshDb());
  if (!store.ok()) return state.SkipWithError("open failed");
  const Verdict v = MakeVerdict();
  std::vector<ViolationInput> inputs;
  for (int i = 0; i < 5000; ++i) inputs.push_back(MakeInput(i, v));
  (*store)->DecideAndRecordBatch(inputs, [](size_t i, const AuthorHistory&, absl::Time now) {
    Decision d;
    d.action = i % 3 == 0 ? Action::kBan : Action::kDelete;
    d.ban_until = now + absl::Hours(24);
    return d;
  }).IgnoreError();
  int64_t i = 0;
  for (auto _ : state) {
    auto b = (*store)->ActiveBan("vk", "42", std::to_string(i++ % 1000));
    benchmark::DoNotOptimize(b);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ActiveBanLookup);

void BM_PolicyDecide(benchmark::State& state) {
  Policy policy;
  const Verdict v = MakeVerdict();
  AuthorHistory h;
  const absl::Time now = absl::FromUnixSeconds(1767225600);
  for (int i = 0; i < 5; ++i) {
    Violation x;
    x.comment.created_at = now - absl::Hours(24 * i);
    x.categories = {Category::kProfanity};
    x.action = Action::kDelete;
    h.violations.push_back(x);
  }
  for (auto _ : state) benchmark::DoNotOptimize(policy.Decide(v, h, now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PolicyDecide);

void BM_Sha256(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Hex(kText));
  state.SetBytesProcessed(state.iterations() * kText.size());
}
BENCHMARK(BM_Sha256);

}  // namespace

BENCHMARK_MAIN();
