// rumod/policy.h — escalation policy: verdict + author history -> action.
//
//   absl::StatusOr<rumod::Policy> policy =
//       rumod::Policy::LoadFile("examples/policy.conf");   // or Policy()
//   rumod::Decision d = policy->Decide(verdict, history, clock.Now());
//   // d.action: keep / review / delete / ban; d.ban_until; d.reasons
//
// Defaults (docs/blacklist.md has the full table and the file format):
//   - clean comment -> keep;
//   - a label whose score is below the category's `review_below` -> review
//     (never deleted or banned automatically); insult defaults to 0.7;
//   - first violation in `window` (30 days) -> delete;
//   - `ban_after` (2) removed violations within the window -> ban, with the
//     term taken from `ban_ladder` (7 days, 30 days, permanent) by the number
//     of earlier bans within `ban_memory` (365 days);
//   - spam: `burst_count` (3) spam comments within `burst_window` (1 hour)
//     -> ban at once;
//   - a ban is never decided on a single borderline match: a violation counts
//     as a ban-worthy strike only when its score is >= `ban_min_score`
//     (default 0.8) or it rests on at least two matches.
//
// A Policy is an immutable value once built: Decide() is const and
// thread-safe; copying is cheap enough to do per configuration reload.
#ifndef RUMOD_POLICY_H_
#define RUMOD_POLICY_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rumod/blacklist.h"
#include "rumod/verdict.h"

namespace rumod {

// Per-category escalation settings. Defaults are the global ones.
struct CategoryPolicy {
  // Whether this label leads to any action. false: the comment is kept (and
  // the violation recorded as "keep" if it has no other label). Default true.
  bool enabled = true;
  // Scores below this go to a moderator (review) instead of being deleted.
  // [0, 1]. Default 0 (never), insult 0.7.
  float review_below = 0.0f;
  // A violation counts toward a ban only if its score is >= this, or it has
  // at least `min_matches_for_ban` matches of the category. [0, 1].
  // Default 0.8.
  float ban_min_score = 0.8f;
  int min_matches_for_ban = 2;
  // Number of removed violations within the window (this one included) that
  // leads to a ban. >= 1. Default 2 (the second violation in 30 days).
  int ban_after = 2;
  // Whether the policy may ban for this category at all; false sends the
  // would-be ban to review. Default true.
  bool auto_ban = true;
  // Spam only: this many spam comments within burst_window -> ban at once
  // (0 disables). Default 3 for spam, 0 otherwise.
  int burst_count = 0;
};

struct PolicyOptions {
  // Escalation window: earlier removed violations newer than this count as
  // repeats. Default 30 days.
  absl::Duration window = absl::Hours(24 * 30);
  // Ban terms by step: the first ban takes [0], the second [1], ...; the
  // last entry repeats. nullopt = permanent. Default {7 days, 30 days,
  // permanent}.
  std::vector<std::optional<absl::Duration>> ban_ladder = {
      absl::Hours(24 * 7), absl::Hours(24 * 30), std::nullopt};
  // Earlier bans that started within this period move the author up the
  // ladder. Default 365 days.
  absl::Duration ban_memory = absl::Hours(24 * 365);
  // Spam bursts are counted within this period. Default 1 hour.
  absl::Duration burst_window = absl::Hours(1);
  // Send every ban decision to a moderator (action review with
  // Decision::proposed_ban) instead of banning automatically. Default false.
  bool bans_need_confirmation = false;
  // Indexed by Category.
  std::array<CategoryPolicy, kNumCategories> categories = DefaultCategories();

  static std::array<CategoryPolicy, kNumCategories> DefaultCategories();
};

// Thread-safe (immutable after construction).
class Policy {
 public:
  Policy() = default;  // the defaults above
  // InvalidArgument for out-of-range values (ban_after < 1, empty ladder,
  // scores outside [0, 1], non-positive durations).
  static absl::StatusOr<Policy> Create(const PolicyOptions& options);
  // Parses the policy file format (docs/blacklist.md); errors name
  // file:line. Unknown keys and sections are errors.
  static absl::StatusOr<Policy> Parse(std::string_view text,
                                      std::string_view file_name = "<policy>");
  static absl::StatusOr<Policy> LoadFile(std::string_view path);

  // The decision for one comment by an author with `history` (as recorded
  // before this comment), at time `now`. Never fails; reasons explain it.
  // `posted_at` is when the comment was posted: the escalation and burst
  // windows reach back from it (so replaying old comments escalates as it
  // would have live); it is capped at `now`. Bans start at `now`; an active
  // ban and `ban_memory` are judged at `now`. The 3-argument form uses
  // posted_at = now.
  Decision Decide(const Verdict& verdict, const AuthorHistory& history,
                  absl::Time now, absl::Time posted_at) const;
  Decision Decide(const Verdict& verdict, const AuthorHistory& history,
                  absl::Time now) const {
    return Decide(verdict, history, now, now);
  }

  const PolicyOptions& options() const { return options_; }
  // Renders the options in the file format (round-trips through Parse).
  std::string ToText() const;

 private:
  explicit Policy(PolicyOptions o) : options_(std::move(o)) {}
  PolicyOptions options_;
};

// "7d", "12h", "30m", "45s", "permanent" (nullopt). InvalidArgument otherwise,
// and for terms over kMaxPolicyDuration (write "permanent" instead).
inline constexpr absl::Duration kMaxPolicyDuration = absl::Hours(24 * 36500);  // 100 years
absl::StatusOr<std::optional<absl::Duration>> ParsePolicyDuration(
    std::string_view s);
std::string FormatPolicyDuration(std::optional<absl::Duration> d);

}  // namespace rumod

#endif  // RUMOD_POLICY_H_
