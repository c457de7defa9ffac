// Host reference: two rows of the measurement table in ../shared/DESIGN.md
// ("Measured on this machine kind"), rerun on the current host over the same
// corpus as classify_bench, so that figures taken on different VMs of "this
// machine kind" can be set side by side. The issue-2 throughput target
// (500k comments/s per core) was set against that table; the hosts sessions
// get differ by up to 4x on the same rumod binary (docs/performance.md).
//
//   build/bench/reference_bench --benchmark_min_time=2 --benchmark_repetitions=3
//
// Rows (DESIGN.md figure in brackets):
//   - BM_ReferenceIcuNfkcCasefold: ICU Normalizer2 NFKC_Casefold,
//     normalizeUTF8, one comment per call [494 MB/s];
//   - BM_ReferenceHyperscan5kLiterals: 5 000 literals compiled with
//     hs_compile_lit_multi (case-sensitive bytes, no flags), one hs_scan per
//     comment over its raw UTF-8 [~186 MB/s, ~890k comments/s of ~210 bytes].
//     DESIGN.md does not say which 5 000 words it used; these are every
//     k-th stem of hunspell-ru with 4+ letters (deterministic),
//     so the row is comparable across hosts here, and only roughly with
//     DESIGN.md's.
// Corpus: the kaggle_2ch_pikabu texts (bench/corpus.h); both rows skip with
// an error when ../shared is absent, the Hyperscan row also when hunspell-ru
// is not installed. bytes_per_second is over the input bytes.
#include <benchmark/benchmark.h>
#include <hs/hs.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>

#include <memory>
#include <string>
#include <vector>

#include "corpus.h"
#include "dictionary/hunspell.h"
#include "rumod/engine.h"

namespace {

const std::vector<std::string>& Texts() {
  static const auto* texts = new std::vector<std::string>(rumod::bench::LoadKaggleTexts());
  return *texts;
}

void BM_ReferenceIcuNfkcCasefold(benchmark::State& state) {
  const auto& texts = Texts();
  if (texts.empty()) {
    state.SkipWithError("corpus not available");
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status)) {
    state.SkipWithError(u_errorName(status));
    return;
  }
  std::string out;
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    bytes += texts[i].size();
    out.clear();
    icu::StringByteSink<std::string> sink(&out);
    nfkc_cf->normalizeUTF8(0, texts[i], sink, nullptr, status);
    benchmark::DoNotOptimize(out.data());
    if (++i == texts.size()) i = 0;
  }
  if (U_FAILURE(status)) state.SkipWithError(u_errorName(status));
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_ReferenceIcuNfkcCasefold);

// `count` stems of hunspell-ru with 4+ letters, evenly spaced over its
// .dic file order (read by the project's reader, dictionary/hunspell.h, from
// CompileOptions' default paths); empty when hunspell-ru is absent.
std::vector<std::string> HunspellLiterals(size_t count) {
  const rumod::CompileOptions paths;
  auto hs = rumod::internal::Hunspell::Load(paths.hunspell_aff, paths.hunspell_dic);
  if (!hs.ok()) return {};
  std::vector<std::string> stems;
  hs->ForEachWord([&](const std::string& stem, const std::vector<std::string>&) {
    size_t letters = 0;  // code points: UTF-8 lead bytes
    for (unsigned char c : stem) letters += (c & 0xC0) != 0x80;
    if (letters >= 4) stems.push_back(stem);
  });
  if (stems.size() < count) return {};
  std::vector<std::string> out;
  const size_t stride = stems.size() / count;
  for (size_t k = 0; k < count; ++k) out.push_back(stems[k * stride]);
  return out;
}

struct HsDatabase {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  ~HsDatabase() {
    hs_free_scratch(scratch);
    hs_free_database(db);
  }
};

int CountMatch(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  ++*static_cast<size_t*>(ctx);
  return 0;
}

void BM_ReferenceHyperscan5kLiterals(benchmark::State& state) {
  const auto& texts = Texts();
  if (texts.empty()) {
    state.SkipWithError("corpus not available");
    return;
  }
  const std::vector<std::string> lits = HunspellLiterals(5000);
  if (lits.empty()) {
    state.SkipWithError("hunspell-ru not installed");
    return;
  }
  std::vector<const char*> exprs;
  std::vector<size_t> lens;
  std::vector<unsigned> flags(lits.size(), 0), ids;
  for (size_t k = 0; k < lits.size(); ++k) {
    exprs.push_back(lits[k].data());
    lens.push_back(lits[k].size());
    ids.push_back(static_cast<unsigned>(k));
  }
  HsDatabase h;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK, nullptr, &h.db,
                           &err) != HS_SUCCESS) {
    state.SkipWithError(err && err->message ? err->message : "hs_compile_lit_multi failed");
    hs_free_compile_error(err);
    return;
  }
  if (hs_alloc_scratch(h.db, &h.scratch) != HS_SUCCESS) {
    state.SkipWithError("hs_alloc_scratch failed");
    return;
  }
  size_t matches = 0, i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& t = texts[i];
    bytes += t.size();
    hs_scan(h.db, t.data(), static_cast<unsigned>(t.size()), 0, h.scratch, CountMatch, &matches);
    if (++i == texts.size()) i = 0;
  }
  benchmark::DoNotOptimize(matches);
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["matches_per_comment"] =
      benchmark::Counter(static_cast<double>(matches) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_ReferenceHyperscan5kLiterals);

}  // namespace

BENCHMARK_MAIN();
