// rumod/blacklist.h — the book of violations and bans of an official page.
//
//   rumod::BlacklistStoreOptions opts;            // WAL, busy_timeout 5 s, ...
//   auto store = rumod::BlacklistStore::OpenSqlite("/var/lib/rumod/bl.db", opts);
//   if (!store.ok()) return store.status();
//
//   rumod::ViolationInput in = rumod::ViolationInput::FromVerdict(
//       {"vk", "42", "777", "9001", absl::FromUnixSeconds(1767225600)},
//       text, verdict);
//   // Reads the author's history, lets the policy decide and records the
//   // violation (and the ban, if any) in ONE transaction: two processes
//   // moderating the same author cannot both miss each other's strike.
//   auto rec = (*store)->DecideAndRecord(in, [&](const rumod::AuthorHistory& h,
//                                                absl::Time now) {
//     return policy.Decide(verdict, h, now);
//   });
//
// What is kept (see docs/blacklist.md): per page (platform + page id) every
// violation (comment id, time, categories, rule ids, SHA-256 of the text, a
// short masked excerpt — never the whole text unless
// BlacklistStoreOptions::store_full_text), the action taken, who took it and
// the clause 8 legal basis; every ban with start, end (or permanent), the
// platform reason code, and its lifting (expiry or manual unban) as a separate
// record: nothing is overwritten. Purges for retention are recorded too.
//
// BlacklistStore is an interface: OpenSqlite() is the embedded default; a
// server database (PostgreSQL) can implement the same interface.
#ifndef RUMOD_BLACKLIST_H_
#define RUMOD_BLACKLIST_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rumod/clock.h"
#include "rumod/verdict.h"

namespace rumod {

// What was done with a comment. Stored by name ("keep", "review", "delete",
// "ban"); kBan means "delete the comment and ban the author".
enum class Action : uint8_t { kKeep = 0, kReview = 1, kDelete = 2, kBan = 3 };
std::string_view ActionName(Action a);
std::optional<Action> ParseAction(std::string_view name);

// Clause 8 wording of the legal basis for a category, e.g. for kSpam
// "п. 8 Порядка: спам-рассылки".
std::string_view LegalBasis(Category c);
// VK groups.ban `reason`: spam 1, insult 2, profanity 3, hate and
// discrimination 0 ("другое"; the note names the category).
int VkBanReason(Category c);
// The category a ban is recorded under when a comment has several labels:
// the first of hate, discrimination, profanity, insult, spam that is present.
// Requires a non-empty list.
Category PrimaryCategory(std::span<const Category> categories);

// Identifies one comment. `platform` is "vk" or "ok" (any non-empty token is
// accepted); ids are the platform's decimal ids as strings.
struct CommentRef {
  std::string platform;
  std::string page_id;
  std::string author_id;
  std::string comment_id;
  absl::Time created_at = absl::InfinitePast();  // when it was posted
};

// One violation to record. Build it with FromVerdict() or by hand (manual
// moderator entries).
struct ViolationInput {
  CommentRef comment;
  // The comment text. The store keeps its SHA-256 and a masked excerpt, and
  // the text itself only with BlacklistStoreOptions::store_full_text.
  std::string text;
  std::vector<Category> categories;      // may be empty (e.g. manual review)
  std::vector<std::string> rule_ids;     // rules that matched, deduplicated
  std::array<float, kNumCategories> scores{};
  // Byte ranges of `text` to mask in the excerpt (the matched spans).
  std::vector<std::pair<uint32_t, uint32_t>> mask_spans;

  static ViolationInput FromVerdict(CommentRef comment, std::string_view text,
                                    const Verdict& verdict);
};

// What to do about one comment; produced by Policy::Decide or a moderator.
struct Decision {
  Action action = Action::kKeep;
  // For kBan: end of the ban; nullopt with kBan means permanent. For
  // kReview, a ban the policy proposes for a moderator to confirm
  // (proposed_ban == true).
  std::optional<absl::Time> ban_until;
  bool proposed_ban = false;
  // Category the ban (or deletion) rests on; meaningful when action != kKeep
  // and the comment has labels.
  std::optional<Category> basis;
  // Human-readable reasons, in order, e.g. "profanity score 1.00",
  // "3rd violation within 30 days", "ban step 2 of 3: 30 days".
  std::vector<std::string> reasons;
  // Who decided: "auto:policy" for the policy, "moderator:<name>" by hand.
  std::string actor = "auto:policy";
};

// A recorded violation.
struct Violation {
  int64_t id = 0;
  CommentRef comment;
  absl::Time recorded_at;
  std::vector<Category> categories;
  std::vector<std::string> rule_ids;
  std::array<float, kNumCategories> scores{};
  std::string text_sha256;   // lowercase hex, 64 chars
  std::string excerpt;       // masked, at most excerpt_chars code points
  std::string full_text;     // empty unless store_full_text
  Action action = Action::kKeep;
  std::string actor;
  std::string legal_basis;   // LegalBasis() of the categories, "; "-joined
  std::vector<std::string> reasons;
};

// How a ban ended before (or at) its end time.
struct BanLift {
  absl::Time lifted_at;
  std::string kind;    // "expired" or "unban"
  std::string actor;   // "auto:expiry" or "moderator:<name>"
  std::string reason;
};

// A recorded ban. Rows are never modified; a lift is a separate record.
struct Ban {
  int64_t id = 0;
  std::string platform, page_id, author_id;
  absl::Time start;
  std::optional<absl::Time> end;   // nullopt = permanent
  Category category = Category::kSpam;
  int vk_reason = 0;               // VkBanReason(category) unless set by hand
  std::string reason;              // free text shown to moderators
  std::string actor;
  int64_t violation_id = 0;        // 0 for a manual ban without a comment
  std::optional<BanLift> lift;

  // In force at `t`: started, not ended, not lifted.
  bool ActiveAt(absl::Time t) const {
    return start <= t && (!end || t < *end) && (!lift || t < lift->lifted_at);
  }
};

// An author's record on one page, as the policy sees it.
struct AuthorHistory {
  std::vector<Violation> violations;  // newest first, at most history_limit
  std::vector<Ban> bans;              // newest first, all of them
  std::optional<Ban> active_ban;      // the ban in force now, if any
};

// A manual ban by a moderator.
struct ManualBan {
  std::string platform, page_id, author_id;
  Category category = Category::kSpam;
  std::optional<absl::Duration> duration;  // nullopt = permanent
  std::string reason;                      // required, non-empty
  std::string actor;                       // required, e.g. "moderator:ivanova"
};

// Result of recording one decision.
struct RecordResult {
  int64_t violation_id = 0;  // 0 when nothing was recorded (clean + keep)
  int64_t ban_id = 0;        // 0 when no ban
  Decision decision;
};

// Per (category, action) counts for a period, for the monthly report.
struct CategoryCount {
  Category category = Category::kSpam;
  Action action = Action::kKeep;
  int64_t violations = 0;
  int64_t authors = 0;  // distinct authors
};

struct OffenderSummary {
  std::string platform, page_id, author_id;
  int64_t violations = 0;
  absl::Time last_violation;
  std::optional<Ban> active_ban;
};

struct PurgeResult {
  int64_t violations_deleted = 0;
  int64_t bans_deleted = 0;      // ended or lifted before the cutoff
  int64_t audit_deleted = 0;
  int64_t purge_id = 0;          // the record of this purge
};

// One line of the audit log (every write the store makes).
struct AuditEntry {
  int64_t id = 0;
  absl::Time at;
  std::string actor;
  std::string event;   // "record", "ban", "unban", "expire", "purge", "migrate"
  std::string platform, page_id, author_id;
  int64_t object_id = 0;
  std::string detail;
};

// Filter for listing and export. Empty strings match everything.
struct RecordFilter {
  std::string platform;
  std::string page_id;
  std::string author_id;
  absl::Time from = absl::InfinitePast();  // violation created_at / ban start
  absl::Time to = absl::InfiniteFuture();  // exclusive
  int64_t limit = 0;                       // 0 = no limit
};

enum class ExportFormat { kCsv, kJsonl };

struct BlacklistStoreOptions {
  // Time source for recorded_at, "now" in queries and expiry. Not owned;
  // must outlive the store. Default: SystemClock::Default().
  Clock* clock = nullptr;
  // How long a writer waits for another process's lock before failing with
  // Unavailable, milliseconds (SQLite busy_timeout). Default 5000.
  int busy_timeout_ms = 5000;
  // Keep the full comment text in violations.full_text. Default false: only
  // the SHA-256 and the masked excerpt (personal data minimisation).
  bool store_full_text = false;
  // Length of the masked excerpt, in Unicode code points. Default 80.
  int excerpt_chars = 80;
  // Violations loaded into AuthorHistory, newest first. The default policy
  // looks back 30 days; an author with more than this many recent
  // violations is long banned. Cost of DecideAndRecord grows with it.
  // Default 50.
  int history_limit = 50;
  // SQLite `synchronous`: true = FULL (a committed decision survives power
  // loss), false = NORMAL (survives a crash of the process, not of the
  // machine; faster). Default true.
  bool durable = true;
  // Create the file if missing. Default true.
  bool create_if_missing = true;
};

// Storage of violations, bans and the audit log. Thread-safe: one store may
// be shared by any number of threads; several processes may open the same
// SQLite file (WAL mode, write transactions wait up to busy_timeout_ms).
// Every method returns errors as Status; none throws.
class BlacklistStore {
 public:
  // Decides inside the write transaction: history of (platform, page,
  // author) as of now, then the decision, then the writes.
  using DecideFn =
      std::function<Decision(const AuthorHistory& history, absl::Time now)>;
  using BatchDecideFn = std::function<Decision(
      size_t index, const AuthorHistory& history, absl::Time now)>;

  // Opens (creating and migrating as needed) an SQLite database. Errors:
  // InvalidArgument for bad options, NotFound if missing and
  // !create_if_missing, FailedPrecondition for a schema newer than this
  // library, Internal/Unavailable for SQLite errors.
  static absl::StatusOr<std::unique_ptr<BlacklistStore>> OpenSqlite(
      std::string_view path, const BlacklistStoreOptions& options = {});

  virtual ~BlacklistStore() = default;

  // Current schema version of the open database.
  virtual int schema_version() const = 0;

  // Records a decision already made. Nothing is written for a kKeep
  // decision on an input without categories. A kBan decision writes the
  // violation and the ban atomically. InvalidArgument for empty ids.
  virtual absl::StatusOr<RecordResult> Record(const ViolationInput& input,
                                              const Decision& decision) = 0;
  // Atomic read-history / decide / write for one comment.
  virtual absl::StatusOr<RecordResult> DecideAndRecord(
      const ViolationInput& input, const DecideFn& decide) = 0;
  // The same for a batch, in ONE transaction (all or nothing). Items are
  // decided in order; later items see the records of earlier ones.
  virtual absl::StatusOr<std::vector<RecordResult>> DecideAndRecordBatch(
      std::span<const ViolationInput> inputs, const BatchDecideFn& decide) = 0;

  // The ban in force now (nullopt if none).
  virtual absl::StatusOr<std::optional<Ban>> ActiveBan(
      std::string_view platform, std::string_view page_id,
      std::string_view author_id) = 0;
  virtual absl::StatusOr<AuthorHistory> History(std::string_view platform,
                                                std::string_view page_id,
                                                std::string_view author_id) = 0;

  // Manual ban; returns the ban id. InvalidArgument without reason/actor.
  virtual absl::StatusOr<int64_t> BanManually(const ManualBan& ban) = 0;
  // Lifts every ban of the author in force now, recording kind "unban".
  // Returns the number lifted; NotFound if none was in force.
  virtual absl::StatusOr<int> Unban(std::string_view platform,
                                    std::string_view page_id,
                                    std::string_view author_id,
                                    std::string_view actor,
                                    std::string_view reason) = 0;
  // Records a lift of kind "expired" for every ban whose end has passed and
  // which has no lift yet. Returns how many. Queries do not depend on it
  // (an ended ban is never active); it makes the expiry visible in the book.
  virtual absl::StatusOr<int> RecordExpiredBans() = 0;

  // Bans (not lifted) ending in [now, now + within), soonest first.
  virtual absl::StatusOr<std::vector<Ban>> BansEndingSoon(
      absl::Duration within, const RecordFilter& filter = {}) = 0;
  virtual absl::StatusOr<std::vector<Ban>> ListBans(
      const RecordFilter& filter, bool active_only) = 0;
  virtual absl::StatusOr<std::vector<Violation>> ListViolations(
      const RecordFilter& filter) = 0;
  virtual absl::StatusOr<std::vector<OffenderSummary>> ListOffenders(
      const RecordFilter& filter) = 0;
  // Counts of violations created in [filter.from, filter.to) per category
  // and action (a violation with two labels counts under both).
  virtual absl::StatusOr<std::vector<CategoryCount>> CountByCategory(
      const RecordFilter& filter) = 0;

  // Deletes violations created before `cutoff`, bans that ended or were
  // lifted before it, and audit entries older than it (except purge and
  // migration entries); records the purge. One transaction.
  virtual absl::StatusOr<PurgeResult> Purge(absl::Time cutoff,
                                            std::string_view actor) = 0;

  // Writes violations and bans matching `filter` (CSV: two sections with a
  // header each; JSONL: one object per line with "type": "violation"|"ban").
  virtual absl::Status Export(ExportFormat format, const RecordFilter& filter,
                              std::ostream* out) = 0;
  virtual absl::StatusOr<std::vector<AuditEntry>> Audit(
      const RecordFilter& filter) = 0;
};

// Masks `text` for storage: every code point of a mask span but the first
// becomes '*', digit runs of 5 or more keep their first digit, line breaks
// become spaces, invalid UTF-8 becomes U+FFFD; truncated to `max_chars` code
// points with a trailing "…". Thread-safe (pure).
std::string MaskedExcerpt(std::string_view text,
                          std::span<const std::pair<uint32_t, uint32_t>> spans,
                          int max_chars);
// SHA-256 of `data` as 64 lowercase hex characters. Thread-safe (pure).
std::string Sha256Hex(std::string_view data);

}  // namespace rumod

#endif  // RUMOD_BLACKLIST_H_
