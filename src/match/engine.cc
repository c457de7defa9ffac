#include "rumod/engine.h"

#include "classify/classifier.h"
#include "match/engine_rep.h"

namespace rumod {

Scratch::Scratch(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Scratch::~Scratch() = default;

Engine::Engine(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Engine::~Engine() = default;

std::string_view Version() { return RUMOD_VERSION; }

absl::StatusOr<std::shared_ptr<const Engine>> Engine::Compile(
    const Dictionary& dict, const CompileOptions& options) {
  auto table = ConfusableTable::Parse(dict.confusables_tsv(), "confusables.tsv");
  if (!table.ok()) return table.status();
  auto domains = internal::DomainTable::Parse(dict.domains_tsv(), "domains.tsv");
  if (!domains.ok()) return domains.status();
  auto rep = std::make_unique<Rep>(Normalizer(*std::move(table)));
  rep->domains = *std::move(domains);
  rep->entries = dict.entries();
  rep->content_hash = dict.content_hash();
  absl::Status st = internal::BuildPatterns(options, rep.get());
  if (!st.ok()) return st;
  st = internal::BuildCombos(rep.get());
  if (!st.ok()) return st;
  internal::DeriveRuleFacts(rep.get());
  internal::DeriveMaskIndex(rep.get());
  st = internal::CompileDatabase(rep.get());
  if (!st.ok()) return st;
  return std::shared_ptr<const Engine>(new Engine(std::move(rep)));
}

absl::StatusOr<std::shared_ptr<const Engine>> Engine::CompileDirectory(
    std::string_view dir, const CompileOptions& options) {
  auto dict = Dictionary::LoadDirectory(dir);
  if (!dict.ok()) return dict.status();
  return Compile(*dict, options);
}

std::unique_ptr<Scratch> Engine::NewScratch() const {
  auto rep = std::make_unique<Scratch::Rep>();
  // hs_alloc_scratch only fails on a bad database or out of memory; the
  // database was validated when the engine was built, so a failure here is
  // an allocation failure, which we treat like operator new does.
  if (!internal::AllocScratch(*rep_, &rep->hs)) std::abort();
  rep->sized_for = rep_.get();
  return std::unique_ptr<Scratch>(new Scratch(std::move(rep)));
}

void Engine::Classify(std::string_view text, Scratch& scratch, Verdict* out,
                      const ClassifyOptions& options) const {
  Scratch::Rep& s = scratch.rep();
  // A scratch made for another engine grows to fit this one.
  if (s.sized_for != rep_.get()) {
    if (!internal::AllocScratch(*rep_, &s.hs)) std::abort();
    s.sized_for = rep_.get();
  }
  internal::ClassifyText(*rep_, text, s, out, options, nullptr);
}

Verdict Engine::Classify(std::string_view text, Scratch& scratch) const {
  Verdict v;
  Classify(text, scratch, &v);
  return v;
}

Explanation Engine::Explain(std::string_view text) const {
  Explanation ex;
  auto scratch = NewScratch();
  internal::ClassifyText(*rep_, text, scratch->rep(), &ex.verdict,
                         ClassifyOptions{}, &ex);
  const NormalizedText& n = scratch->rep().norm;
  ex.text_view = ViewToUtf8(n.text.bytes);
  ex.translit_view = ViewToUtf8(n.translit.bytes);
  ex.links = n.links;
  return ex;
}

const Normalizer& Engine::normalizer() const { return rep_->normalizer; }
size_t Engine::rule_count() const { return rep_->entries.size(); }
size_t Engine::pattern_count() const { return rep_->patterns.size(); }
uint64_t Engine::content_hash() const { return rep_->content_hash; }
const std::vector<Entry>& Engine::entries() const { return rep_->entries; }

}  // namespace rumod
