// Engine file format (docs/architecture.md, "Serialized engines"):
//
//   "RUMODENG"  magic, 8 bytes
//   u32         format version (kFormatVersion)
//   str         library version that wrote it
//   str         platform: CPU architecture + Hyperscan version
//   u64         payload size in bytes
//   u64         FNV-1a 64 checksum of the payload
//   payload     content hash, normalization table, domain lists, rules,
//               patterns, Hyperscan databases (the patterns that need no
//               digit, without SOM; those that need one, scanned only over
//               views with a digit; then one per regex, with SOM)
//
// Version history: 3 → 4 added the domain lists (domains.tsv source text)
// after the normalization table; 4 → 5 the regexes' SOM databases after the
// main database; 5 → 6 the digit database after the main one.
//
// Integers are little-endian; str = u32 length + bytes. A wrong magic,
// version or checksum, or a truncated file, is an error. A file written on
// another platform (or whose Hyperscan database does not deserialize here)
// is still usable: the database is recompiled from the stored patterns.
#include <hs/hs.h>

#include <cmath>
#include <cstring>

#include "match/engine_rep.h"
#include "util/fnv.h"
#include "util/io.h"
#include "util/strings.h"

namespace rumod {
namespace {

constexpr char kMagic[8] = {'R', 'U', 'M', 'O', 'D', 'E', 'N', 'G'};
// 7: the checksum uses FNV-1a's real offset basis (6 had a digit missing).
constexpr uint32_t kFormatVersion = 7;

std::string Platform() {
#if defined(__x86_64__)
  const char* arch = "x86_64";
#elif defined(__aarch64__)
  const char* arch = "aarch64";
#else
  const char* arch = "unknown";
#endif
  return internal::Cat(arch, "/hs-", hs_version());
}

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(v >> (8 * i)));
  }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void Strs(const std::vector<std::string>& v) {
    U32(static_cast<uint32_t>(v.size()));
    for (const auto& s : v) Str(s);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  uint8_t U8() {
    if (!Need(1)) return 0;
    return static_cast<uint8_t>(in_[pos_++]);
  }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(in_[pos_++])) << (8 * i);
    return v;
  }
  uint64_t U64() {
    if (!Need(8)) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(uint8_t(in_[pos_++])) << (8 * i);
    return v;
  }
  std::string Str() {
    uint32_t n = U32();
    if (!Need(n)) return {};
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  std::vector<std::string> Strs() {
    uint32_t n = U32();
    std::vector<std::string> v;
    for (uint32_t i = 0; i < n && ok_; ++i) v.push_back(Str());
    return v;
  }
  // Element count that cannot exceed what is left (each element >= `min` bytes).
  uint32_t Count(size_t min) {
    uint32_t n = U32();
    if (ok_ && static_cast<uint64_t>(n) * min > in_.size() - pos_) ok_ = false;
    return ok_ ? n : 0;
  }
  size_t pos() const { return pos_; }

 private:
  bool Need(size_t n) {
    if (!ok_ || in_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

constexpr uint8_t kNone = 0xFF;

}  // namespace

absl::StatusOr<std::string> Engine::Serialize() const {
  const Rep& r = *rep_;
  Writer p;
  p.U64(r.content_hash);
  p.Str(r.normalizer.table().source());
  p.Str(r.domains.source);
  p.U32(static_cast<uint32_t>(r.entries.size()));
  for (const Entry& e : r.entries) {
    p.Str(e.id);
    p.U8(static_cast<uint8_t>(e.category));
    p.U8(e.trait ? static_cast<uint8_t>(*e.trait) : kNone);
    p.U8(static_cast<uint8_t>(e.kind));
    p.Str(e.pattern);
    p.U8(static_cast<uint8_t>(e.severity));
    p.Str(e.like);
    p.Strs(e.extra_forms);
    p.U8(static_cast<uint8_t>(e.position));
    p.Strs(e.prefixes);
    p.U8(e.also ? static_cast<uint8_t>(*e.also) : kNone);
    p.U8(static_cast<uint8_t>(e.aim));
    p.U8(e.tag_only);
    p.Strs(e.tags);
    p.U32(static_cast<uint32_t>(std::lround(e.weight * 1e6f) + 1000000));
    p.U32(static_cast<uint32_t>(e.terms.size()));
    for (const ComboTerm& t : e.terms) {
      p.Str(t.tag);
      p.U8(t.negated);
    }
    p.U32(static_cast<uint32_t>(e.window));
    p.U8(e.ordered);
    p.Str(e.file);
    p.U32(static_cast<uint32_t>(e.line));
  }
  p.U32(static_cast<uint32_t>(r.roles.size()));
  for (auto role : r.roles) p.U8(static_cast<uint8_t>(role));
  p.Strs(r.cue_words);
  p.U32(static_cast<uint32_t>(r.patterns.size()));
  for (const auto& pat : r.patterns) {
    p.Str(pat.expr);
    p.U32(pat.rule);
    p.U8(static_cast<uint8_t>(pat.type));
  }
  p.U32(static_cast<uint32_t>(r.mask_targets.size()));
  for (const auto& t : r.mask_targets) {
    p.Str(t.bytes);
    p.U32(t.rule);
    p.U8(static_cast<uint8_t>(t.anchor));
  }
  p.U8(r.db_has_som);
  // A Hyperscan database as a str ("" for none: the digit database).
  auto put_db = [&p](const hs_database_t* d) -> bool {
    if (!d) {
      p.Str("");
      return true;
    }
    char* bytes = nullptr;
    size_t len = 0;
    if (hs_serialize_database(d, &bytes, &len) != HS_SUCCESS) return false;
    p.Str(std::string_view(bytes, len));
    free(bytes);
    return true;
  };
  if (!put_db(r.db) || !put_db(r.digit_db))
    return absl::InternalError("hs_serialize_database failed");
  p.U32(static_cast<uint32_t>(r.som_dbs.size()));
  for (hs_database_t* d : r.som_dbs)
    if (!put_db(d)) return absl::InternalError("hs_serialize_database failed");

  Writer h;
  h.out().append(kMagic, sizeof kMagic);
  h.U32(kFormatVersion);
  h.Str(Version());
  h.Str(Platform());
  h.U64(p.out().size());
  h.U64(internal::Fnv1a64(p.out()));
  h.out() += p.out();
  return std::move(h.out());
}

absl::Status Engine::Save(std::string_view path) const {
  auto bytes = Serialize();
  if (!bytes.ok()) return bytes.status();
  return internal::WriteFileAtomic(path, *bytes);
}

absl::StatusOr<std::shared_ptr<const Engine>> Engine::Load(std::string_view path) {
  // Check the magic before reading the whole file: a wrong path (a video, a
  // device) fails at once instead of after reading gigabytes.
  auto head = internal::ReadFilePrefix(path, sizeof kMagic);
  if (!head.ok()) return head.status();
  if (head->size() < sizeof kMagic || std::memcmp(head->data(), kMagic, sizeof kMagic) != 0)
    return absl::InvalidArgumentError(
        internal::Cat(path, ": not a rumod engine file (bad magic)"));
  auto bytes = internal::ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  auto e = Deserialize(*bytes);
  if (!e.ok())
    return absl::Status(e.status().code(), internal::Cat(path, ": ", e.status().message()));
  return e;
}

absl::StatusOr<std::shared_ptr<const Engine>> Engine::Deserialize(
    std::string_view bytes) {
  if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return absl::InvalidArgumentError("not a rumod engine file (bad magic)");
  Reader h(bytes.substr(sizeof kMagic));
  uint32_t version = h.U32();
  std::string lib = h.Str();
  std::string platform = h.Str();
  uint64_t size = h.U64();
  uint64_t sum = h.U64();
  if (!h.ok()) return absl::DataLossError("truncated engine header");
  if (version != kFormatVersion)
    return absl::FailedPreconditionError(internal::Cat(
        "engine format version ", version, " (written by rumod ", lib,
        "); this library reads version ", kFormatVersion, ": recompile the dictionary"));
  std::string_view payload = bytes.substr(sizeof kMagic + h.pos());
  if (payload.size() != size)
    return absl::DataLossError(internal::Cat("engine payload is ", payload.size(),
                                            " bytes, header says ", size));
  if (internal::Fnv1a64(payload) != sum) return absl::DataLossError("engine checksum mismatch");

  Reader p(payload);
  uint64_t content_hash = p.U64();
  std::string tsv = p.Str();
  std::string domains_tsv = p.Str();
  if (!p.ok()) return absl::DataLossError("truncated engine payload");
  auto table = ConfusableTable::Parse(tsv, "confusables.tsv (engine file)");
  if (!table.ok()) return table.status();
  auto domains = internal::DomainTable::Parse(domains_tsv, "domains.tsv (engine file)");
  if (!domains.ok()) return domains.status();
  auto rep = std::make_unique<Rep>(Normalizer(*std::move(table)));
  rep->domains = *std::move(domains);
  rep->content_hash = content_hash;
  uint32_t n = p.Count(8);
  rep->entries.resize(n);
  auto bad = [] { return absl::DataLossError("malformed engine payload"); };
  for (Entry& e : rep->entries) {
    e.id = p.Str();
    uint8_t c = p.U8();
    uint8_t t = p.U8();
    uint8_t k = p.U8();
    if (c >= kNumCategories || (t != kNone && t >= kNumTraits) ||
        k > static_cast<uint8_t>(EntryKind::kCombo))
      return bad();
    e.category = static_cast<Category>(c);
    if (t != kNone) e.trait = static_cast<Trait>(t);
    e.kind = static_cast<EntryKind>(k);
    e.pattern = p.Str();
    e.severity = p.U8();
    e.like = p.Str();
    e.extra_forms = p.Strs();
    e.position = static_cast<RootPosition>(p.U8() & 1);
    e.prefixes = p.Strs();
    uint8_t also = p.U8();
    if (also != kNone) {
      if (also >= kNumCategories) return bad();
      e.also = static_cast<Category>(also);
    }
    uint8_t aim = p.U8();
    if (aim > static_cast<uint8_t>(Aim::kAddressee)) return bad();
    e.aim = static_cast<Aim>(aim);
    e.tag_only = p.U8() != 0;
    e.tags = p.Strs();
    e.weight = (static_cast<int64_t>(p.U32()) - 1000000) / 1e6f;
    uint32_t nterms = p.Count(5);
    for (uint32_t k = 0; k < nterms; ++k) {
      ComboTerm t;
      t.tag = p.Str();
      t.negated = p.U8() != 0;
      e.terms.push_back(std::move(t));
    }
    e.window = static_cast<int>(p.U32());
    e.ordered = p.U8() != 0;
    e.file = p.Str();
    e.line = static_cast<int>(p.U32());
    if (!p.ok() || e.severity < 1 || e.severity > 3) return bad();
  }
  n = p.Count(1);
  for (uint32_t i = 0; i < n; ++i) {
    uint8_t role = p.U8();
    if (role > 3) return bad();
    rep->roles.push_back(static_cast<internal::RuleRole>(role));
  }
  rep->cue_words = p.Strs();
  if (rep->roles.size() != rep->entries.size() + rep->cue_words.size()) return bad();
  n = p.Count(9);
  rep->patterns.resize(n);
  for (auto& pat : rep->patterns) {
    pat.expr = p.Str();
    pat.rule = p.U32();
    uint8_t type = p.U8();
    if (type > 1 || pat.rule >= rep->roles.size()) return bad();
    pat.type = static_cast<internal::PatternType>(type);
  }
  n = p.Count(9);
  rep->mask_targets.resize(n);
  for (auto& t : rep->mask_targets) {
    t.bytes = p.Str();
    t.rule = p.U32();
    uint8_t anchor = p.U8();
    if (anchor > 2 || t.rule >= rep->roles.size()) return bad();
    t.anchor = static_cast<internal::MaskAnchor>(anchor);
  }
  if (absl::Status st = internal::BuildCombos(rep.get()); !st.ok()) return st;
  internal::DeriveRuleFacts(rep.get());
  internal::DeriveMaskIndex(rep.get());
  rep->db_has_som = p.U8() != 0;
  std::string db = p.Str();
  std::string digit_db = p.Str();  // empty: no pattern needs a digit
  std::vector<std::string> som_dbs(p.Count(4));
  for (std::string& d : som_dbs) d = p.Str();
  if (!p.ok() || p.pos() != payload.size()) return bad();
  std::vector<int32_t> som_index(rep->patterns.size(), -1);
  size_t regexes = 0;
  for (size_t i = 0; i < rep->patterns.size(); ++i)
    if (rep->patterns[i].type == internal::PatternType::kRegex)
      som_index[i] = static_cast<int32_t>(regexes++);
  bool loaded = false;
  if (platform == Platform() && som_dbs.size() == regexes) {
    hs_database_t* d = nullptr;
    hs_database_t* dd = nullptr;
    bool digit_ok = digit_db.empty() ||
                    hs_deserialize_database(digit_db.data(), digit_db.size(), &dd) == HS_SUCCESS;
    if (digit_ok && hs_deserialize_database(db.data(), db.size(), &d) == HS_SUCCESS) {
      rep->db = d;
      rep->digit_db = dd;
      loaded = true;
      for (const std::string& bytes : som_dbs) {
        hs_database_t* s = nullptr;
        if (hs_deserialize_database(bytes.data(), bytes.size(), &s) != HS_SUCCESS) {
          loaded = false;
          break;
        }
        rep->som_dbs.push_back(s);
      }
      if (loaded) {
        rep->som_index = std::move(som_index);
        internal::DeriveRegexShapes(rep.get());
      } else {  // freed and rebuilt below
        hs_free_database(rep->db);
        rep->db = nullptr;
        if (rep->digit_db) hs_free_database(rep->digit_db);
        rep->digit_db = nullptr;
        for (hs_database_t* s : rep->som_dbs) hs_free_database(s);
        rep->som_dbs.clear();
      }
    } else if (dd) {
      hs_free_database(dd);
    }
  }
  if (!loaded) {
    // Another platform or Hyperscan build: recompile from the patterns.
    absl::Status st = internal::CompileDatabase(rep.get());
    if (!st.ok()) return st;
  }
  return std::shared_ptr<const Engine>(new Engine(std::move(rep)));
}

}  // namespace rumod
