// rumod/spam_tracker.h — cross-comment spam: near-duplicate bursts and
// per-author flooding.
//
//   auto engine = rumod::Engine::Default();
//   rumod::SpamTrackerOptions opts;            // 30 min window, 3 copies ...
//   auto tracker = rumod::SpamTracker::Create(*engine, opts);
//   rumod::SpamObservation o = (*tracker)->Observe("id123", comment_text);
//   if (o.duplicate || o.flood) { /* spam mailing: remove, review author */ }
//
// A per-comment classifier cannot see that the same lure arrives from forty
// accounts in ten minutes, or that one account posts twenty comments a
// minute. SpamTracker remembers recent comments in bounded memory and answers
// for each new one:
//   * near-duplicates: how many comments within `window` (this one included)
//     have nearly the same NORMALIZED text — MinHash over 4-byte shingles of
//     the engine's normalized view, so homoglyph swaps (Latin "о" for
//     Cyrillic), case, stretched letters, punctuation, emoji, links and small
//     edits still collide; and from how many distinct authors;
//   * flooding: how many comments the author posted within `flood_window`.
// The algorithm, its error rates and measured cost are in docs/spam.md.
//
// Thread-safe: Observe() may be called from many threads; fingerprinting runs
// outside the lock, the shared tables are updated under one mutex in O(1)
// amortised time (a fixed number of hash-table operations per comment).
// Memory is bounded by `max_buckets` and `max_authors`: the least recently
// used entries are evicted first, and entries older than the windows are
// dropped as new comments arrive. Deterministic: the time comes from the
// injected Clock (or the explicit `at` argument) and hashing uses fixed
// seeds, so the same stream gives the same decisions.
#ifndef RUMOD_SPAM_TRACKER_H_
#define RUMOD_SPAM_TRACKER_H_

#include <cstddef>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rumod/clock.h"
#include "rumod/engine.h"

namespace rumod {

struct SpamTrackerOptions {
  // Near-duplicates count within this sliding window. Default 30 minutes.
  absl::Duration window = absl::Minutes(30);
  // `duplicate` is set when at least this many near-duplicates (this comment
  // included) fall within `window`. Default 3. Range 2..16.
  int duplicate_threshold = 3;
  // Estimated Jaccard similarity of the shingle sets above which two comments
  // are near-duplicates, 0..1. Default 0.5 (a one-word edit in a 12-word
  // lure keeps ~0.8; unrelated comments are below 0.2).
  double similarity = 0.5;
  // Comments with fewer letters in the normalized view are never compared
  // ("+", "Спасибо!", "Согласен" are legitimately repeated). Default 24.
  int min_letters = 24;
  // `flood` is set when the author posted MORE than `flood_max` comments
  // within `flood_window` (this one included). Defaults: 5 per minute.
  // flood_max range 1..31.
  int flood_max = 5;
  absl::Duration flood_window = absl::Minutes(1);
  // Memory bounds: at most this many fingerprint buckets (a comment uses up
  // to 6, one per LSH band; ~530 bytes each with the index) and authors
  // (~300 bytes each).
  // Least recently used entries are evicted first. Defaults 50000 buckets
  // (~8000 distinct recent comments, ~27 MB) and 20000 authors (~6 MB).
  size_t max_buckets = 50000;
  size_t max_authors = 20000;
  // Source of "now" for Observe() without an explicit time. Not owned; must
  // outlive the tracker. Default: the system clock.
  const Clock* clock = SystemClock::Default();
};

// What the tracker concluded about one comment.
struct SpamObservation {
  bool duplicate = false;    // similar >= duplicate_threshold
  bool flood = false;        // author_recent > flood_max
  bool fingerprinted = false;  // false: too short to compare (min_letters)
  int similar = 1;           // near-duplicates within window, this one included
                             // (counts above 16 are reported as 16)
  int similar_authors = 1;   // distinct authors among them (same cap)
  int author_recent = 1;     // author's comments within flood_window (cap 32)
};

class SpamTracker {
 public:
  // InvalidArgument for options out of range (windows <= 0,
  // duplicate_threshold outside 2..16, similarity outside (0, 1],
  // flood_max outside 1..31, max_buckets or max_authors == 0, null clock).
  // The engine provides the normalizer and is kept alive by the tracker.
  static absl::StatusOr<std::unique_ptr<SpamTracker>> Create(
      std::shared_ptr<const Engine> engine, const SpamTrackerOptions& options = {});

  ~SpamTracker();
  SpamTracker(const SpamTracker&) = delete;
  SpamTracker& operator=(const SpamTracker&) = delete;

  // Records the comment `text` by `author` (any stable id: platform user id)
  // at the clock's current time, or at `at` (e.g. the comment's posting
  // time when replaying a stream). Times need not be monotonic: each call
  // counts the events within the window before its own time and evicts by
  // it, so a far-future time or a clock stepped back does not blind the
  // tracker; events later than `at` are not counted for it.
  SpamObservation Observe(std::string_view author, std::string_view text);
  SpamObservation Observe(std::string_view author, std::string_view text, absl::Time at);

  // Current number of fingerprint buckets / authors held (<= the maxima).
  size_t bucket_count() const;
  size_t author_count() const;
  // Approximate bytes held by the tables (grows up to a bound set by the
  // options, never beyond).
  size_t MemoryBytes() const;

  struct Impl;

 private:
  explicit SpamTracker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace rumod

#endif  // RUMOD_SPAM_TRACKER_H_
