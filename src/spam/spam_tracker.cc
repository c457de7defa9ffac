// SpamTracker: MinHash-LSH near-duplicate counting and per-author flood
// rates in bounded memory (docs/spam.md "Tracker").
#include "rumod/spam_tracker.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace rumod {
namespace {

constexpr int kHashes = 24;           // MinHash functions
constexpr int kBands = 6;             // LSH bands of kRows rows
constexpr int kRows = kHashes / kBands;
constexpr int kRecent = 16;           // events remembered per bucket
constexpr int kAuthorRing = 32;       // timestamps remembered per author
constexpr uint32_t kNil = UINT32_MAX;

uint64_t Mix(uint64_t x) {  // splitmix64 finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t HashBytes(std::string_view s) {  // FNV-1a 64 + finalizer
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return Mix(h);
}

using Signature = std::array<uint32_t, kHashes>;

// Fixed seeds of the MinHash functions (odd multipliers), from splitmix64.
constexpr std::array<uint64_t, kHashes> MakeSeeds(uint64_t salt, bool odd) {
  std::array<uint64_t, kHashes> a{};
  uint64_t x = salt;
  for (int k = 0; k < kHashes; ++k) {
    x += 0x9e3779b97f4a7c15ULL;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    a[k] = odd ? (z | 1) : z;
  }
  return a;
}
constexpr std::array<uint64_t, kHashes> kMulA = MakeSeeds(1, true);
constexpr std::array<uint64_t, kHashes> kMulB = MakeSeeds(2, false);

struct Event {
  int64_t t = 0;  // microseconds since the epoch
  uint64_t author = 0;
};

struct Bucket {
  uint64_t key = 0;
  Signature rep{};  // signature of the comment that created the bucket
  std::array<Event, kRecent> ring{};
  uint8_t n = 0, head = 0;  // ring size and next write position
  int64_t last = 0;
  uint32_t prev = kNil, next = kNil;  // LRU list (front = most recent)
};

struct Author {
  uint64_t key = 0;
  std::array<int64_t, kAuthorRing> ring{};
  uint8_t n = 0, head = 0;
  int64_t last = 0;
  uint32_t prev = kNil, next = kNil;
};

// A fixed-capacity pool of T (with key/prev/next/last) in LRU order, indexed
// by a hash map; O(1) find, touch, insert and eviction.
template <typename T>
class LruPool {
 public:
  explicit LruPool(size_t cap) : cap_(cap) {}
  T* Find(uint64_t key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &slots_[it->second];
  }
  void Touch(T* x, int64_t now) {
    x->last = std::max(x->last, now);
    uint32_t i = static_cast<uint32_t>(x - slots_.data());
    Unlink(i);
    PushFront(i);
  }
  // Inserts a fresh entry, evicting the least recently used one when full.
  T* Insert(uint64_t key, int64_t now) {
    uint32_t i;
    if (!free_.empty()) {
      i = free_.back();
      free_.pop_back();
    } else if (slots_.size() < cap_) {
      i = static_cast<uint32_t>(slots_.size());
      slots_.emplace_back();
    } else {
      i = tail_;
      Remove(i);
      free_.pop_back();
    }
    slots_[i] = T();
    slots_[i].key = key;
    slots_[i].last = now;
    index_[key] = i;
    PushFront(i);
    return &slots_[i];
  }
  // Drops entries last touched before `cutoff` (from the LRU tail).
  void Expire(int64_t cutoff) {
    while (tail_ != kNil && slots_[tail_].last < cutoff) Remove(tail_);
  }
  size_t size() const { return index_.size(); }
  size_t Bytes() const {
    return slots_.capacity() * sizeof(T) + free_.capacity() * sizeof(uint32_t) +
           index_.capacity() * (sizeof(std::pair<uint64_t, uint32_t>) + 1);
  }

 private:
  void Remove(uint32_t i) {
    index_.erase(slots_[i].key);
    Unlink(i);
    free_.push_back(i);
  }
  void Unlink(uint32_t i) {
    T& x = slots_[i];
    if (x.prev != kNil) slots_[x.prev].next = x.next;
    else if (head_ == i) head_ = x.next;
    if (x.next != kNil) slots_[x.next].prev = x.prev;
    else if (tail_ == i) tail_ = x.prev;
    x.prev = x.next = kNil;
  }
  void PushFront(uint32_t i) {
    T& x = slots_[i];
    x.prev = kNil;
    x.next = head_;
    if (head_ != kNil) slots_[head_].prev = i;
    head_ = i;
    if (tail_ == kNil) tail_ = i;
  }

  size_t cap_;
  std::vector<T> slots_;
  std::vector<uint32_t> free_;
  absl::flat_hash_map<uint64_t, uint32_t> index_;
  uint32_t head_ = kNil, tail_ = kNil;
};

// Fingerprint of one comment, computed outside the lock.
struct Fingerprint {
  bool ok = false;
  Signature sig{};
  std::array<uint64_t, kBands> bands{};
};

}  // namespace

struct SpamTracker::Impl {
  std::shared_ptr<const Engine> engine;
  SpamTrackerOptions opt;
  mutable absl::Mutex mu;
  LruPool<Bucket> buckets ABSL_GUARDED_BY(mu);
  LruPool<Author> authors ABSL_GUARDED_BY(mu);

  Impl(std::shared_ptr<const Engine> e, const SpamTrackerOptions& o)
      : engine(std::move(e)), opt(o), buckets(o.max_buckets), authors(o.max_authors) {}

  Fingerprint Fingerprinting(std::string_view text) const {
    Fingerprint fp;
    thread_local NormalizedText norm;
    engine->normalizer().Normalize(text, &norm);
    const std::string& v = norm.text.bytes;
    int letters = 0;
    for (unsigned char c : v) letters += c >= 0xE0 || (c >= 'a' && c <= 'z');
    if (letters < opt.min_letters || v.size() < 4) return fp;
    fp.sig.fill(UINT32_MAX);
    for (size_t i = 0; i + 4 <= v.size(); ++i) {
      uint32_t sh;
      std::memcpy(&sh, v.data() + i, 4);
      // One strong hash per shingle, then kHashes multiply-shift hashes of
      // it (h_k = high 32 bits of a_k * base + b_k, a_k odd): cheap and
      // 2-universal, which is what MinHash needs.
      const uint64_t base = Mix(sh + 0x9e3779b97f4a7c15ULL);
      for (int k = 0; k < kHashes; ++k) {
        uint32_t h = static_cast<uint32_t>((base * kMulA[k] + kMulB[k]) >> 32);
        fp.sig[k] = std::min(fp.sig[k], h);
      }
    }
    for (int b = 0; b < kBands; ++b) {
      uint64_t h = 0x51ed270b27fd1a5dULL * (b + 1);
      for (int r = 0; r < kRows; ++r) h = Mix(h ^ fp.sig[b * kRows + r]);
      fp.bands[b] = h;
    }
    fp.ok = true;
    return fp;
  }
};

absl::StatusOr<std::unique_ptr<SpamTracker>> SpamTracker::Create(
    std::shared_ptr<const Engine> engine, const SpamTrackerOptions& o) {
  if (!engine) return absl::InvalidArgumentError("SpamTracker: null engine");
  if (o.window <= absl::ZeroDuration() || o.flood_window <= absl::ZeroDuration())
    return absl::InvalidArgumentError("SpamTracker: windows must be positive");
  if (o.duplicate_threshold < 2 || o.duplicate_threshold > kRecent)
    return absl::InvalidArgumentError("SpamTracker: duplicate_threshold must be in 2..16");
  if (!(o.similarity > 0 && o.similarity <= 1))
    return absl::InvalidArgumentError("SpamTracker: similarity must be in (0, 1]");
  if (o.flood_max < 1 || o.flood_max >= kAuthorRing)
    return absl::InvalidArgumentError("SpamTracker: flood_max must be in 1..31");
  if (o.max_buckets == 0 || o.max_authors == 0)
    return absl::InvalidArgumentError("SpamTracker: max_buckets and max_authors must be > 0");
  if (o.max_buckets >= kNil || o.max_authors >= kNil)
    return absl::InvalidArgumentError("SpamTracker: max_buckets/max_authors too large");
  if (o.clock == nullptr) return absl::InvalidArgumentError("SpamTracker: null clock");
  return std::unique_ptr<SpamTracker>(
      new SpamTracker(std::make_unique<Impl>(std::move(engine), o)));
}

SpamTracker::SpamTracker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SpamTracker::~SpamTracker() = default;

SpamObservation SpamTracker::Observe(std::string_view author, std::string_view text) {
  return Observe(author, text, impl_->opt.clock->Now());
}

SpamObservation SpamTracker::Observe(std::string_view author, std::string_view text,
                                     absl::Time at) {
  Impl& m = *impl_;
  const SpamTrackerOptions& o = m.opt;
  Fingerprint fp = m.Fingerprinting(text);
  const uint64_t who = HashBytes(author);
  const int64_t t = absl::ToUnixMicros(at);
  SpamObservation out;
  out.fingerprinted = fp.ok;

  absl::MutexLock lock(&m.mu);
  // Eviction is relative to this comment's own time, not to the latest time
  // seen: one far-future time (milliseconds passed as seconds) or a clock
  // stepped back must not make every later entry look expired at once,
  // which left the tracker blind. Entries of other times leave by the LRU
  // order and the capacity (memory stays bounded either way). The same
  // cutoffs bound what is counted below; saturated, so an infinite past
  // `at` does not overflow.
  auto before_t = [t](absl::Duration d) {
    const int64_t us = absl::ToInt64Microseconds(d);
    return t < INT64_MIN + us ? INT64_MIN : t - us;
  };
  const int64_t dup_cut = before_t(o.window), flood_cut = before_t(o.flood_window);
  m.buckets.Expire(dup_cut);
  m.authors.Expire(flood_cut);

  // --- Author flood rate.
  Author* a = m.authors.Find(who);
  if (!a) a = m.authors.Insert(who, t);
  int recent = 1;
  for (int i = 0; i < a->n; ++i)
    if (a->ring[i] >= flood_cut && a->ring[i] <= t) ++recent;
  a->ring[a->head] = t;
  a->head = static_cast<uint8_t>((a->head + 1) % kAuthorRing);
  a->n = static_cast<uint8_t>(std::min(a->n + 1, kAuthorRing));
  m.authors.Touch(a, t);
  out.author_recent = std::min(recent, kAuthorRing);
  out.flood = recent > o.flood_max;

  if (!fp.ok) return out;

  // --- Near-duplicates: the best matching bucket among the bands.
  const int need = static_cast<int>(o.similarity * kHashes + 0.999);
  int best = 0, best_authors = 0;
  for (int b = 0; b < kBands; ++b) {
    Bucket* k = m.buckets.Find(fp.bands[b]);
    if (k) {
      int eq = 0;
      for (int i = 0; i < kHashes; ++i) eq += k->rep[i] == fp.sig[i];
      if (eq < need) continue;  // a band collision of unrelated texts
    } else {
      k = m.buckets.Insert(fp.bands[b], t);
      k->rep = fp.sig;
    }
    int count = 1;
    std::array<uint64_t, kRecent + 1> seen;
    int ns = 0;
    seen[ns++] = who;
    for (int i = 0; i < k->n; ++i) {
      const Event& e = k->ring[i];
      if (e.t < dup_cut || e.t > t) continue;
      ++count;
      if (std::find(seen.begin(), seen.begin() + ns, e.author) == seen.begin() + ns)
        seen[ns++] = e.author;
    }
    if (count > best || (count == best && ns > best_authors)) {
      best = count;
      best_authors = ns;
    }
    k->ring[k->head] = {t, who};
    k->head = static_cast<uint8_t>((k->head + 1) % kRecent);
    k->n = static_cast<uint8_t>(std::min(k->n + 1, kRecent));
    m.buckets.Touch(k, t);
  }
  out.similar = std::min(std::max(best, 1), kRecent);
  out.similar_authors = std::min(std::max(best_authors, 1), kRecent);
  out.duplicate = out.similar >= o.duplicate_threshold;
  return out;
}

size_t SpamTracker::bucket_count() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->buckets.size();
}

size_t SpamTracker::author_count() const {
  absl::MutexLock lock(&impl_->mu);
  return impl_->authors.size();
}

size_t SpamTracker::MemoryBytes() const {
  absl::MutexLock lock(&impl_->mu);
  return sizeof(Impl) + impl_->buckets.Bytes() + impl_->authors.Bytes();
}

}  // namespace rumod
