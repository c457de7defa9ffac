// rumod/clock.h — injectable wall clock.
//
//   rumod::FakeClock clock(absl::FromUnixSeconds(1767225600));
//   rumod::BlacklistStoreOptions opts;
//   opts.clock = &clock;                       // the store now lives in fake time
//   clock.Advance(absl::Hours(24 * 8));        // a 7-day ban has expired
//
// Library code never calls absl::Now() directly where a decision depends on
// the time (ban expiry, escalation windows, retention); it asks a Clock, so
// tests can move time by hand.
#ifndef RUMOD_CLOCK_H_
#define RUMOD_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace rumod {

// Source of the current time. Implementations must be thread-safe: Now() is
// called concurrently from every thread that uses a store or policy.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real wall clock (absl::Now()). Thread-safe, stateless.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // A process-wide instance; never destroyed (safe to use during exit).
  static Clock* Default() {
    static SystemClock* const clock = new SystemClock();
    return clock;
  }
};

// A clock that only moves when told to. Thread-safe (internally locked).
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start = absl::FromUnixSeconds(1767225600))
      : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace rumod

#endif  // RUMOD_CLOCK_H_
