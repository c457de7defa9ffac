// SQLite implementation of BlacklistStore.
//
// One connection per store object, guarded by a mutex (SQLite connections
// are not meant to be used by two threads at once, and a single writer per
// process is what WAL serialises anyway). Every statement is prepared once
// from a constant string and cached; values are always bound. Writes run in
// BEGIN IMMEDIATE transactions, so the write lock is taken up front and the
// busy handler (busy_timeout) waits for other processes instead of failing
// on a read->write upgrade.
#include <cctype>
#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "blacklist/schema.h"
#include "blacklist/strutil.h"
#include "nlohmann/json.hpp"
#include "rumod/blacklist.h"

namespace rumod {
namespace internal {
namespace {

using json = nlohmann::json;

// Platform, page, author and comment ids, and actors, are printable: a
// control character (NUL, newline, NEL U+0085, U+2028 ...) in one is a
// broken event, and would break the CSV export and the audit log's readers.
absl::Status CheckIds(std::initializer_list<std::string_view> ids) {
  for (std::string_view id : ids)
    if (HasControlChar(id))
      return absl::InvalidArgumentError(absl::StrCat(
          "blacklist store: '", Quotable(id, 80), "' contains a control character"));
  return absl::OkStatus();
}

// The last second a stored time may take (9999-12-31T23:59:59Z).
absl::Time LastTime() {
  static const absl::Time kLast =
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone());
  return kLast;
}

// A comment's time must be a real date: written as an RFC 3339 timestamp
// and read back (a far-future or infinite time made the author's records
// unreadable). InfinitePast is CommentRef's "not given": the recording time.
absl::Status CheckTime(absl::Time t, std::string_view comment_id) {
  static const absl::Time kFirst =
      absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  if (t == absl::InfinitePast() || (t >= kFirst && t <= LastTime())) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "blacklist store: created_at of comment '", Quotable(comment_id, 80),
      "' is outside years 1..9999"));
}

absl::Status SqlError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = absl::StrCat("blacklist store: ", A(what), ": ",
                                 db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xFF;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    return absl::UnavailableError(msg);
  if (primary == SQLITE_CONSTRAINT) return absl::FailedPreconditionError(msg);
  return absl::InternalError(msg);
}

// A short name for a statement in error messages: its first three words
// ("INSERT INTO violations"), never the whole SQL text.
std::string SqlLabel(std::string_view sql) {
  std::string out;
  int words = 0;
  size_t i = 0;
  while (i < sql.size() && words < 3) {
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    size_t b = i;
    while (i < sql.size() && !std::isspace(static_cast<unsigned char>(sql[i])) && sql[i] != '(')
      ++i;
    if (i == b) break;
    if (!out.empty()) out += ' ';
    out.append(sql.substr(b, i - b));
    ++words;
  }
  return "statement \"" + out + "\"";
}

int64_t ToUnix(absl::Time t) { return absl::ToUnixSeconds(t); }
absl::Time FromUnix(int64_t s) { return absl::FromUnixSeconds(s); }

// A cached prepared statement, reset and unbound when the Stmt goes away.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(st_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  void Reset() {
    sqlite3_reset(st_);
    sqlite3_clear_bindings(st_);
  }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(st_, i);
    return *this;
  }
  // SQLITE_ROW / SQLITE_DONE, or an error status.
  absl::StatusOr<bool> Step() {
    int rc = sqlite3_step(st_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqlError(db_, rc, SqlLabel(sqlite3_sql(st_) ? sqlite3_sql(st_) : ""));
  }
  absl::Status Run() {
    absl::StatusOr<bool> r = Step();
    return r.status();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(st_, col); }
  bool IsNull(int col) const {
    return sqlite3_column_type(st_, col) == SQLITE_NULL;
  }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(st_, col);
    int n = sqlite3_column_bytes(st_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), n) : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

#define RUMOD_RETURN_IF_ERROR(expr)          \
  do {                                       \
    absl::Status _st = (expr);               \
    if (!_st.ok()) return _st;               \
  } while (0)

#define RUMOD_ASSIGN_OR_RETURN(lhs, expr)    \
  auto lhs##_or = (expr);                    \
  if (!lhs##_or.ok()) return lhs##_or.status(); \
  auto& lhs = *lhs##_or

std::string CategoriesToText(const std::vector<Category>& cs) {
  std::string out;
  for (Category c : cs) {
    if (!out.empty()) out += ',';
    out += CategoryName(c);
  }
  return out;
}

std::vector<Category> CategoriesFromText(std::string_view s) {
  std::vector<Category> out;
  for (std::string_view part : Split(s, ',', true))
    if (auto c = ParseCategory(part)) out.push_back(*c);
  return out;
}

int64_t CategoryMask(const std::vector<Category>& cs) {
  int64_t m = 0;
  for (Category c : cs) m |= int64_t{1} << static_cast<int>(c);
  return m;
}

std::vector<std::string> JsonStrings(const std::string& s) {
  std::vector<std::string> out;
  json j = json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

std::string ScoresToText(const std::array<float, kNumCategories>& s) {
  json j = json::array();
  for (float f : s) j.push_back(f);
  return j.dump();
}

std::array<float, kNumCategories> ScoresFromText(const std::string& s) {
  std::array<float, kNumCategories> out{};
  json j = json::parse(s, nullptr, false);
  if (j.is_array())
    for (size_t i = 0; i < j.size() && i < out.size(); ++i)
      if (j[i].is_number()) out[i] = j[i].get<float>();
  return out;
}

std::string LegalBasisText(const std::vector<Category>& cs) {
  std::string out;
  for (Category c : cs) {
    if (!out.empty()) out += "; ";
    out += LegalBasis(c);
  }
  return out;
}

// Column lists shared by the row readers below.
#define RUMOD_VIOLATION_COLS                                                  \
  "id, platform, page_id, author_id, comment_id, created_at, recorded_at, "   \
  "categories, rule_ids, text_sha256, excerpt, full_text, action, actor, "    \
  "legal_basis, reasons, scores"
#define RUMOD_BAN_COLS                                                        \
  "b.id, b.platform, b.page_id, b.author_id, b.start_at, b.end_at, "          \
  "b.category, b.vk_reason, b.reason, b.actor, b.violation_id, l.lifted_at, " \
  "l.kind, l.actor, l.reason"
#define RUMOD_BAN_FROM " FROM bans b LEFT JOIN ban_lifts l ON l.ban_id = b.id "
#define RUMOD_FILTER(table_prefix, time_col)                           \
  " (?1 = '' OR " table_prefix "platform = ?1) AND (?2 = '' OR "       \
  table_prefix "page_id = ?2) AND (?3 = '' OR " table_prefix           \
  "author_id = ?3) AND " table_prefix time_col " >= ?4 AND "           \
  table_prefix time_col " < ?5 "

Violation ReadViolation(const Stmt& s) {
  Violation v;
  v.id = s.Int(0);
  v.comment.platform = s.Text(1);
  v.comment.page_id = s.Text(2);
  v.comment.author_id = s.Text(3);
  v.comment.comment_id = s.Text(4);
  v.comment.created_at = FromUnix(s.Int(5));
  v.recorded_at = FromUnix(s.Int(6));
  v.categories = CategoriesFromText(s.Text(7));
  v.rule_ids = JsonStrings(s.Text(8));
  v.text_sha256 = s.Text(9);
  v.excerpt = s.Text(10);
  v.full_text = s.Text(11);
  v.action = ParseAction(s.Text(12)).value_or(Action::kKeep);
  v.actor = s.Text(13);
  v.legal_basis = s.Text(14);
  v.reasons = JsonStrings(s.Text(15));
  v.scores = ScoresFromText(s.Text(16));
  return v;
}

Ban ReadBan(const Stmt& s) {
  Ban b;
  b.id = s.Int(0);
  b.platform = s.Text(1);
  b.page_id = s.Text(2);
  b.author_id = s.Text(3);
  b.start = FromUnix(s.Int(4));
  if (!s.IsNull(5)) b.end = FromUnix(s.Int(5));
  b.category = ParseCategory(s.Text(6)).value_or(Category::kSpam);
  b.vk_reason = static_cast<int>(s.Int(7));
  b.reason = s.Text(8);
  b.actor = s.Text(9);
  b.violation_id = s.IsNull(10) ? 0 : s.Int(10);
  if (!s.IsNull(11)) {
    b.lift = BanLift{FromUnix(s.Int(11)), s.Text(12), s.Text(13), s.Text(14)};
  }
  return b;
}

void BindFilter(Stmt& s, const RecordFilter& f) {
  s.Bind(1, std::string_view(f.platform))
      .Bind(2, std::string_view(f.page_id))
      .Bind(3, std::string_view(f.author_id))
      .Bind(4, ToUnix(f.from))
      .Bind(5, ToUnix(f.to))
      .Bind(6, f.limit > 0 ? f.limit : int64_t{-1});
}

// True when `s` is a plain decimal number ("-1", "2.5"), which a
// spreadsheet reads as a number, never as a formula.
bool PlainNumber(std::string_view s) {
  size_t i = s.substr(0, 1) == "-" ? 1 : 0;
  const size_t digits_at = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits_at) return false;
  if (i < s.size() && s[i] == '.') {
    const size_t frac_at = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == frac_at) return false;
  }
  return i == s.size();
}

// One CSV field (RFC 4180 quoting). A field that a spreadsheet would run as
// a formula (first character = + - @, tab or CR, and not a plain number:
// excerpts, ids and reasons come from commenters) gets a leading
// apostrophe, as OWASP's "CSV Injection" advice has it; JSONL exports keep
// every value as stored.
std::string CsvField(std::string_view s) {
  const bool formula = !s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos &&
                       !PlainNumber(s);
  if (formula) return CsvField(std::string("'") + std::string(s));
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

class SqliteBlacklistStore final : public BlacklistStore {
 public:
  SqliteBlacklistStore(sqlite3* db, const BlacklistStoreOptions& options,
                       int version)
      : db_(db), options_(options), version_(version) {
    if (options_.clock == nullptr) options_.clock = SystemClock::Default();
  }
  ~SqliteBlacklistStore() override {
    absl::MutexLock lock(&mu_);
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  int schema_version() const override { return version_; }

  absl::StatusOr<RecordResult> Record(const ViolationInput& input,
                                      const Decision& decision) override {
    return DecideAndRecord(input, [&](const AuthorHistory&, absl::Time) {
      return decision;
    });
  }

  absl::StatusOr<RecordResult> DecideAndRecord(const ViolationInput& input,
                                               const DecideFn& decide) override {
    absl::StatusOr<std::vector<RecordResult>> r = DecideAndRecordBatch(
        std::span<const ViolationInput>(&input, 1),
        [&](size_t, const AuthorHistory& h, absl::Time now) {
          return decide(h, now);
        });
    if (!r.ok()) return r.status();
    return std::move((*r)[0]);
  }

  absl::StatusOr<std::vector<RecordResult>> DecideAndRecordBatch(
      std::span<const ViolationInput> inputs,
      const BatchDecideFn& decide) override {
    for (const ViolationInput& in : inputs) {
      const CommentRef& c = in.comment;
      if (c.platform.empty() || c.page_id.empty() || c.author_id.empty() ||
          c.comment_id.empty())
        return absl::InvalidArgumentError(absl::StrCat(
            "blacklist store: platform, page_id, author_id and comment_id "
            "are required (comment '",
            c.comment_id, "')"));
      if (absl::Status s = CheckIds({c.platform, c.page_id, c.author_id, c.comment_id});
          !s.ok())
        return s;
      if (absl::Status s = CheckTime(c.created_at, c.comment_id); !s.ok()) return s;
    }
    absl::MutexLock lock(&mu_);
    std::vector<RecordResult> results;
    results.reserve(inputs.size());
    absl::Status s = InWriteTxn([&]() -> absl::Status {
      const absl::Time now = options_.clock->Now();
      for (size_t i = 0; i < inputs.size(); ++i) {
        const ViolationInput& in = inputs[i];
        // A comment already recorded (a replayed stream, a retried batch) is
        // not a new violation: report the recorded decision, write nothing.
        {
          RUMOD_ASSIGN_OR_RETURN(
              st, Prepare("SELECT id, action FROM violations WHERE platform = ?1 AND "
                          "page_id = ?2 AND comment_id = ?3 ORDER BY id LIMIT 1"));
          st->Bind(1, in.comment.platform).Bind(2, in.comment.page_id)
              .Bind(3, in.comment.comment_id);
          RUMOD_ASSIGN_OR_RETURN(row, st->Step());
          if (row) {
            RecordResult r;
            r.violation_id = st->Int(0);
            r.decision.action = ParseAction(st->Text(1)).value_or(Action::kReview);
            r.decision.reasons.push_back(absl::StrCat(
                "already recorded as violation ", r.violation_id, "; replay ignored"));
            results.push_back(std::move(r));
            continue;
          }
        }
        RUMOD_ASSIGN_OR_RETURN(
            history, LoadHistory(in.comment.platform, in.comment.page_id,
                                 in.comment.author_id, now));
        Decision d = decide(i, history, now);
        RUMOD_ASSIGN_OR_RETURN(r, WriteDecision(in, std::move(d), now));
        results.push_back(std::move(r));
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return results;
  }

  absl::StatusOr<std::optional<Ban>> ActiveBan(
      std::string_view platform, std::string_view page_id,
      std::string_view author_id) override {
    absl::MutexLock lock(&mu_);
    return ActiveBanLocked(platform, page_id, author_id, options_.clock->Now());
  }

  absl::StatusOr<AuthorHistory> History(std::string_view platform,
                                        std::string_view page_id,
                                        std::string_view author_id) override {
    absl::MutexLock lock(&mu_);
    return LoadHistory(platform, page_id, author_id, options_.clock->Now());
  }

  absl::StatusOr<int64_t> BanManually(const ManualBan& ban) override {
    if (ban.platform.empty() || ban.page_id.empty() || ban.author_id.empty())
      return absl::InvalidArgumentError(
          "blacklist store: platform, page_id and author_id are required");
    if (absl::Status s = CheckIds({ban.platform, ban.page_id, ban.author_id}); !s.ok())
      return s;
    if (ban.reason.empty())
      return absl::InvalidArgumentError("blacklist store: a ban needs a reason");
    if (ban.actor.empty())
      return absl::InvalidArgumentError("blacklist store: a ban needs an actor");
    if (absl::Status s = CheckIds({ban.actor}); !s.ok()) return s;
    if (ban.duration && *ban.duration <= absl::ZeroDuration())
      return absl::InvalidArgumentError(
          "blacklist store: ban duration must be positive");
    // Its end must be a real date (an RFC 3339 timestamp): longer is permanent.
    if (ban.duration && *ban.duration > absl::Hours(24) * 365 * 1000)
      return absl::InvalidArgumentError(
          "blacklist store: a ban over 1000 years must be permanent (no duration)");
    absl::MutexLock lock(&mu_);
    int64_t id = 0;
    absl::Status s = InWriteTxn([&]() -> absl::Status {
      const absl::Time now = options_.clock->Now();
      std::optional<absl::Time> end;
      if (ban.duration) end = now + *ban.duration;
      RUMOD_ASSIGN_OR_RETURN(
          bid, InsertBan(ban.platform, ban.page_id, ban.author_id, now, end,
                         ban.category, ban.reason, ban.actor, 0));
      id = bid;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return id;
  }

  absl::StatusOr<int> Unban(std::string_view platform, std::string_view page_id,
                            std::string_view author_id, std::string_view actor,
                            std::string_view reason) override {
    if (actor.empty())
      return absl::InvalidArgumentError("blacklist store: unban needs an actor");
    if (absl::Status s = CheckIds({platform, page_id, author_id, actor}); !s.ok()) return s;
    if (reason.empty())
      return absl::InvalidArgumentError("blacklist store: unban needs a reason");
    absl::MutexLock lock(&mu_);
    int lifted = 0;
    absl::Status s = InWriteTxn([&]() -> absl::Status {
      const absl::Time now = options_.clock->Now();
      RUMOD_ASSIGN_OR_RETURN(bans, LoadBans(platform, page_id, author_id));
      for (const Ban& b : bans) {
        if (!b.ActiveAt(now)) continue;
        RUMOD_RETURN_IF_ERROR(InsertLift(b, now, "unban", actor, reason));
        ++lifted;
      }
      if (lifted == 0)
        return absl::NotFoundError(absl::StrCat(
            "blacklist store: author ", A(author_id), " is not banned on ",
            A(platform), "/", A(page_id)));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return lifted;
  }

  absl::StatusOr<int> RecordExpiredBans() override {
    absl::MutexLock lock(&mu_);
    int n = 0;
    absl::Status s = InWriteTxn([&]() -> absl::Status {
      const absl::Time now = options_.clock->Now();
      std::vector<Ban> expired;
      {
        RUMOD_ASSIGN_OR_RETURN(
            st, Prepare("SELECT " RUMOD_BAN_COLS RUMOD_BAN_FROM
                        "WHERE l.ban_id IS NULL AND b.end_at IS NOT NULL AND "
                        "b.end_at <= ?1 ORDER BY b.id"));
        st->Bind(1, ToUnix(now));
        while (true) {
          RUMOD_ASSIGN_OR_RETURN(row, st->Step());
          if (!row) break;
          expired.push_back(ReadBan(*st));
        }
      }
      for (const Ban& b : expired) {
        // The lift is dated at the end of the ban, not at the time we noticed.
        RUMOD_RETURN_IF_ERROR(
            InsertLift(b, *b.end, "expired", "auto:expiry", "ban term ended"));
        ++n;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return n;
  }

  absl::StatusOr<std::vector<Ban>> BansEndingSoon(
      absl::Duration within, const RecordFilter& filter) override {
    absl::MutexLock lock(&mu_);
    const absl::Time now = options_.clock->Now();
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("SELECT " RUMOD_BAN_COLS RUMOD_BAN_FROM
                    "WHERE l.ban_id IS NULL AND b.end_at IS NOT NULL AND "
                    "b.end_at >= ?7 AND b.end_at < ?8 AND b.start_at <= ?7 AND"
                    RUMOD_FILTER("b.", "start_at")
                    "ORDER BY b.end_at, b.id LIMIT ?6"));
    BindFilter(*st, filter);
    st->Bind(7, ToUnix(now)).Bind(8, ToUnix(now + within));
    return ReadBans(*st);
  }

  absl::StatusOr<std::vector<Ban>> ListBans(const RecordFilter& filter,
                                            bool active_only) override {
    absl::MutexLock lock(&mu_);
    return ListBansLocked(filter, active_only);
  }

  absl::StatusOr<std::vector<Ban>> ListBansLocked(const RecordFilter& filter,
                                                  bool active_only)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const absl::Time now = options_.clock->Now();
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("SELECT " RUMOD_BAN_COLS RUMOD_BAN_FROM "WHERE"
                    RUMOD_FILTER("b.", "start_at")
                    "AND (?7 = 0 OR (b.start_at <= ?8 AND (b.end_at IS NULL OR "
                    "b.end_at > ?8) AND (l.lifted_at IS NULL OR "
                    "l.lifted_at > ?8))) ORDER BY b.id DESC LIMIT ?6"));
    BindFilter(*st, filter);
    st->Bind(7, int64_t{active_only ? 1 : 0}).Bind(8, ToUnix(now));
    return ReadBans(*st);
  }

  absl::StatusOr<std::vector<Violation>> ListViolations(
      const RecordFilter& filter) override {
    absl::MutexLock lock(&mu_);
    return ListViolationsLocked(filter);
  }

  absl::StatusOr<std::vector<Violation>> ListViolationsLocked(
      const RecordFilter& filter) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("SELECT " RUMOD_VIOLATION_COLS " FROM violations WHERE"
                    RUMOD_FILTER("", "created_at")
                    "ORDER BY id DESC LIMIT ?6"));
    BindFilter(*st, filter);
    std::vector<Violation> out;
    while (true) {
      RUMOD_ASSIGN_OR_RETURN(row, st->Step());
      if (!row) break;
      out.push_back(ReadViolation(*st));
    }
    return out;
  }

  absl::StatusOr<std::vector<OffenderSummary>> ListOffenders(
      const RecordFilter& filter) override {
    absl::MutexLock lock(&mu_);
    std::vector<OffenderSummary> out;
    {
      RUMOD_ASSIGN_OR_RETURN(
          st, Prepare("SELECT platform, page_id, author_id, COUNT(*), "
                      "MAX(created_at) FROM violations WHERE"
                      RUMOD_FILTER("", "created_at")
                      "AND action IN ('delete', 'ban') "
                      "GROUP BY platform, page_id, author_id "
                      "ORDER BY 4 DESC, 5 DESC LIMIT ?6"));
      BindFilter(*st, filter);
      while (true) {
        RUMOD_ASSIGN_OR_RETURN(row, st->Step());
        if (!row) break;
        OffenderSummary o;
        o.platform = st->Text(0);
        o.page_id = st->Text(1);
        o.author_id = st->Text(2);
        o.violations = st->Int(3);
        o.last_violation = FromUnix(st->Int(4));
        out.push_back(std::move(o));
      }
    }
    const absl::Time now = options_.clock->Now();
    for (OffenderSummary& o : out) {
      RUMOD_ASSIGN_OR_RETURN(b, ActiveBanLocked(o.platform, o.page_id,
                                                o.author_id, now));
      o.active_ban = b;
    }
    return out;
  }

  absl::StatusOr<std::vector<CategoryCount>> CountByCategory(
      const RecordFilter& filter) override {
    absl::MutexLock lock(&mu_);
    std::vector<CategoryCount> out;
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("SELECT action, COUNT(*), COUNT(DISTINCT platform || '/' "
                    "|| page_id || '/' || author_id) FROM violations WHERE"
                    RUMOD_FILTER("", "created_at")
                    "AND (category_mask & ?7) != 0 GROUP BY action "
                    "ORDER BY action LIMIT ?6"));
    for (int c = 0; c < kNumCategories; ++c) {
      RecordFilter f = filter;
      f.limit = 0;
      BindFilter(*st, f);
      st->Bind(7, int64_t{1} << c);
      while (true) {
        RUMOD_ASSIGN_OR_RETURN(row, st->Step());
        if (!row) break;
        CategoryCount cc;
        cc.category = static_cast<Category>(c);
        cc.action = ParseAction(st->Text(0)).value_or(Action::kKeep);
        cc.violations = st->Int(1);
        cc.authors = st->Int(2);
        out.push_back(cc);
      }
      st->Reset();
    }
    return out;
  }

  absl::StatusOr<PurgeResult> Purge(absl::Time cutoff,
                                    std::string_view actor) override {
    if (actor.empty())
      return absl::InvalidArgumentError("blacklist store: purge needs an actor");
    if (absl::Status s = CheckIds({actor}); !s.ok()) return s;
    absl::MutexLock lock(&mu_);
    PurgeResult result;
    absl::Status s = InWriteTxn([&]() -> absl::Status {
      const absl::Time now = options_.clock->Now();
      const int64_t c = ToUnix(cutoff);
      {
        RUMOD_ASSIGN_OR_RETURN(
            st, Prepare("DELETE FROM violations WHERE created_at < ?1"));
        st->Bind(1, c);
        RUMOD_RETURN_IF_ERROR(st->Run());
        result.violations_deleted = sqlite3_changes(db_);
      }
      {
        RUMOD_ASSIGN_OR_RETURN(
            st, Prepare("DELETE FROM bans WHERE id IN (SELECT b.id"
                        RUMOD_BAN_FROM "WHERE (b.end_at IS NOT NULL AND "
                        "b.end_at < ?1) OR (l.lifted_at IS NOT NULL AND "
                        "l.lifted_at < ?1))"));
        st->Bind(1, c);
        RUMOD_RETURN_IF_ERROR(st->Run());
        result.bans_deleted = sqlite3_changes(db_);
      }
      {
        RUMOD_ASSIGN_OR_RETURN(
            st, Prepare("DELETE FROM ban_lifts WHERE ban_id NOT IN "
                        "(SELECT id FROM bans)"));
        RUMOD_RETURN_IF_ERROR(st->Run());
      }
      {
        RUMOD_ASSIGN_OR_RETURN(
            st, Prepare("DELETE FROM audit_log WHERE at < ?1 AND event NOT IN "
                        "('purge', 'migrate')"));
        st->Bind(1, c);
        RUMOD_RETURN_IF_ERROR(st->Run());
        result.audit_deleted = sqlite3_changes(db_);
      }
      {
        RUMOD_ASSIGN_OR_RETURN(
            st, Prepare("INSERT INTO purges(at, actor, cutoff, "
                        "violations_deleted, bans_deleted, audit_deleted) "
                        "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
        st->Bind(1, ToUnix(now))
            .Bind(2, actor)
            .Bind(3, c)
            .Bind(4, result.violations_deleted)
            .Bind(5, result.bans_deleted)
            .Bind(6, result.audit_deleted);
        RUMOD_RETURN_IF_ERROR(st->Run());
        result.purge_id = sqlite3_last_insert_rowid(db_);
      }
      return Audit(now, actor, "purge", "", "", "", result.purge_id,
                   absl::StrCat("cutoff ", TimeText(cutoff), "; violations ",
                                result.violations_deleted, ", bans ",
                                result.bans_deleted, ", audit entries ",
                                result.audit_deleted));
    });
    if (!s.ok()) return s;
    return result;
  }

  absl::Status Export(ExportFormat format, const RecordFilter& filter,
                      std::ostream* out) override {
    if (out == nullptr)
      return absl::InvalidArgumentError("blacklist store: null output stream");
    absl::StatusOr<std::vector<Violation>> vs;
    absl::StatusOr<std::vector<Ban>> bans;
    {
      // One read transaction: violations and bans from the same snapshot.
      absl::MutexLock lock(&mu_);
      RUMOD_RETURN_IF_ERROR(ExecLocked("BEGIN"));
      vs = ListViolationsLocked(filter);
      if (vs.ok()) bans = ListBansLocked(filter, false);
      sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    }
    if (!vs.ok()) return vs.status();
    if (!bans.ok()) return bans.status();
    if (format == ExportFormat::kJsonl) {
      for (const Violation& v : *vs) {
        json j = {{"type", "violation"},
                  {"id", v.id},
                  {"platform", v.comment.platform},
                  {"page_id", v.comment.page_id},
                  {"author_id", v.comment.author_id},
                  {"comment_id", v.comment.comment_id},
                  {"created_at", TimeText(v.comment.created_at)},
                  {"recorded_at", TimeText(v.recorded_at)},
                  {"categories", CategoriesToText(v.categories)},
                  {"rule_ids", v.rule_ids},
                  {"text_sha256", v.text_sha256},
                  {"excerpt", v.excerpt},
                  {"action", ActionName(v.action)},
                  {"actor", v.actor},
                  {"legal_basis", v.legal_basis},
                  {"reasons", v.reasons}};
        if (!v.full_text.empty()) j["text"] = v.full_text;
        *out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
      }
      for (const Ban& b : *bans) {
        json j = {{"type", "ban"},
                  {"id", b.id},
                  {"platform", b.platform},
                  {"page_id", b.page_id},
                  {"author_id", b.author_id},
                  {"start", TimeText(b.start)},
                  {"end", b.end ? json(TimeText(*b.end)) : json(nullptr)},
                  {"category", CategoryName(b.category)},
                  {"vk_reason", b.vk_reason},
                  {"reason", b.reason},
                  {"actor", b.actor},
                  {"violation_id", b.violation_id}};
        if (b.lift) {
          j["lift"] = {{"at", TimeText(b.lift->lifted_at)},
                       {"kind", b.lift->kind},
                       {"actor", b.lift->actor},
                       {"reason", b.lift->reason}};
        }
        *out << j.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
      }
    } else {
      *out << "type,id,platform,page_id,author_id,comment_id,created_at,"
              "recorded_at,categories,rule_ids,text_sha256,excerpt,action,"
              "actor,legal_basis,reasons\n";
      for (const Violation& v : *vs) {
        *out << "violation," << v.id << ',' << CsvField(v.comment.platform)
             << ',' << CsvField(v.comment.page_id) << ','
             << CsvField(v.comment.author_id) << ','
             << CsvField(v.comment.comment_id) << ','
             << TimeText(v.comment.created_at) << ','
             << TimeText(v.recorded_at) << ','
             << CsvField(CategoriesToText(v.categories)) << ','
             << CsvField(absl::StrJoin(v.rule_ids, " ")) << ','
             << v.text_sha256 << ',' << CsvField(v.excerpt) << ','
             << ActionName(v.action) << ',' << CsvField(v.actor) << ','
             << CsvField(v.legal_basis) << ','
             << CsvField(absl::StrJoin(v.reasons, "; ")) << '\n';
      }
      *out << "\ntype,id,platform,page_id,author_id,start,end,category,"
              "vk_reason,reason,actor,violation_id,lifted_at,lift_kind,"
              "lifted_by,lift_reason\n";
      for (const Ban& b : *bans) {
        *out << "ban," << b.id << ',' << CsvField(b.platform) << ','
             << CsvField(b.page_id) << ',' << CsvField(b.author_id) << ','
             << TimeText(b.start) << ','
             << (b.end ? TimeText(*b.end) : std::string("permanent")) << ','
             << CategoryName(b.category) << ',' << b.vk_reason << ','
             << CsvField(b.reason) << ',' << CsvField(b.actor) << ','
             << b.violation_id << ','
             << (b.lift ? TimeText(b.lift->lifted_at) : "") << ','
             << (b.lift ? CsvField(b.lift->kind) : "") << ','
             << (b.lift ? CsvField(b.lift->actor) : "") << ','
             << (b.lift ? CsvField(b.lift->reason) : "") << '\n';
      }
    }
    out->flush();
    if (!*out) return absl::DataLossError("blacklist store: export write failed");
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<AuditEntry>> Audit(
      const RecordFilter& filter) override {
    absl::MutexLock lock(&mu_);
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("SELECT id, at, actor, event, platform, page_id, "
                    "author_id, object_id, detail FROM audit_log WHERE"
                    RUMOD_FILTER("", "at") "ORDER BY id LIMIT ?6"));
    BindFilter(*st, filter);
    std::vector<AuditEntry> out;
    while (true) {
      RUMOD_ASSIGN_OR_RETURN(row, st->Step());
      if (!row) break;
      AuditEntry e;
      e.id = st->Int(0);
      e.at = FromUnix(st->Int(1));
      e.actor = st->Text(2);
      e.event = st->Text(3);
      e.platform = st->Text(4);
      e.page_id = st->Text(5);
      e.author_id = st->Text(6);
      e.object_id = st->Int(7);
      e.detail = st->Text(8);
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  // Returns a cached prepared statement (wrapped for automatic reset).
  absl::StatusOr<std::unique_ptr<Stmt>> Prepare(const char* sql)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto it = cache_.find(sql);
    sqlite3_stmt* st;
    if (it != cache_.end()) {
      st = it->second;
    } else {
      int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                                  nullptr);
      if (rc != SQLITE_OK) return SqlError(db_, rc, SqlLabel(sql));
      cache_.emplace(sql, st);
    }
    return std::make_unique<Stmt>(db_, st);
  }

  absl::Status ExecLocked(const char* sql) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqlError(db_, rc, SqlLabel(sql));
    return absl::OkStatus();
  }

  // Runs `body` in BEGIN IMMEDIATE ... COMMIT; rolls back on any error.
  template <typename F>
  absl::Status InWriteTxn(F&& body) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE"));
    absl::Status s = body();
    if (s.ok()) s = ExecLocked("COMMIT");
    if (!s.ok() && !sqlite3_get_autocommit(db_)) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    return s;
  }

  absl::Status Audit(absl::Time at, std::string_view actor,
                     std::string_view event, std::string_view platform,
                     std::string_view page_id, std::string_view author_id,
                     int64_t object_id, std::string_view detail)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("INSERT INTO audit_log(at, actor, event, platform, "
                    "page_id, author_id, object_id, detail) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    st->Bind(1, ToUnix(at))
        .Bind(2, actor)
        .Bind(3, event)
        .Bind(4, platform)
        .Bind(5, page_id)
        .Bind(6, author_id)
        .Bind(7, object_id)
        .Bind(8, detail);
    return st->Run();
  }

  // Inserts a ban and its audit entry. An `end` past year 9999 (a term
  // reaching beyond the range from a clock near its end) is clamped to its
  // last second in place, so the caller's decision says what was stored: a
  // later end could not be read back as a date, and the author's records
  // would become unreadable.
  absl::StatusOr<int64_t> InsertBan(std::string_view platform,
                                    std::string_view page_id,
                                    std::string_view author_id,
                                    absl::Time start,
                                    std::optional<absl::Time>& end,
                                    Category category, std::string_view reason,
                                    std::string_view actor,
                                    int64_t violation_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("INSERT INTO bans(platform, page_id, author_id, start_at, "
                    "end_at, category, vk_reason, reason, actor, violation_id) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    if (end && *end > LastTime()) end = LastTime();
    st->Bind(1, platform).Bind(2, page_id).Bind(3, author_id);
    st->Bind(4, ToUnix(start));
    if (end) st->Bind(5, ToUnix(*end)); else st->BindNull(5);
    st->Bind(6, CategoryName(category))
        .Bind(7, int64_t{VkBanReason(category)})
        .Bind(8, reason)
        .Bind(9, actor);
    if (violation_id) st->Bind(10, violation_id); else st->BindNull(10);
    RUMOD_RETURN_IF_ERROR(st->Run());
    int64_t id = sqlite3_last_insert_rowid(db_);
    RUMOD_RETURN_IF_ERROR(Audit(
        start, actor, "ban", platform, page_id, author_id, id,
        absl::StrCat(A(CategoryName(category)), " until ",
                     end ? TimeText(*end) : std::string("permanent"), ": ",
                     A(reason))));
    return id;
  }

  absl::Status InsertLift(const Ban& b, absl::Time at, std::string_view kind,
                          std::string_view actor, std::string_view reason)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("INSERT INTO ban_lifts(ban_id, lifted_at, kind, actor, "
                    "reason) VALUES(?1, ?2, ?3, ?4, ?5)"));
    st->Bind(1, b.id).Bind(2, ToUnix(at)).Bind(3, kind).Bind(4, actor).Bind(
        5, reason);
    RUMOD_RETURN_IF_ERROR(st->Run());
    return Audit(at, actor, kind == "unban" ? "unban" : "expire", b.platform,
                 b.page_id, b.author_id, b.id, reason);
  }

  absl::StatusOr<RecordResult> WriteDecision(const ViolationInput& in,
                                             Decision d, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RecordResult r;
    if (d.action == Action::kKeep && in.categories.empty()) {
      r.decision = std::move(d);
      return r;
    }
    const CommentRef& c = in.comment;
    const absl::Time created =
        c.created_at == absl::InfinitePast() ? now : c.created_at;
    {
      RUMOD_ASSIGN_OR_RETURN(
          st, Prepare("INSERT INTO violations(platform, page_id, author_id, "
                      "comment_id, created_at, recorded_at, categories, "
                      "category_mask, rule_ids, text_sha256, excerpt, "
                      "full_text, action, actor, legal_basis, reasons, scores) "
                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                      "?12, ?13, ?14, ?15, ?16, ?17)"));
      st->Bind(1, c.platform).Bind(2, c.page_id).Bind(3, c.author_id);
      st->Bind(4, c.comment_id).Bind(5, ToUnix(created)).Bind(6, ToUnix(now));
      st->Bind(7, CategoriesToText(in.categories))
          .Bind(8, CategoryMask(in.categories))
          .Bind(9, json(in.rule_ids).dump(-1, ' ', false,
                                          json::error_handler_t::replace))
          .Bind(10, internal_sha(in.text))
          .Bind(11, MaskedExcerpt(in.text, in.mask_spans,
                                  options_.excerpt_chars));
      if (options_.store_full_text) st->Bind(12, in.text); else st->BindNull(12);
      st->Bind(13, ActionName(d.action))
          .Bind(14, d.actor)
          .Bind(15, LegalBasisText(in.categories))
          .Bind(16, json(d.reasons).dump(-1, ' ', false,
                                         json::error_handler_t::replace))
          .Bind(17, ScoresToText(in.scores));
      RUMOD_RETURN_IF_ERROR(st->Run());
      r.violation_id = sqlite3_last_insert_rowid(db_);
    }
    RUMOD_RETURN_IF_ERROR(Audit(
        now, d.actor, "record", c.platform, c.page_id, c.author_id,
        r.violation_id,
        absl::StrCat("comment ", c.comment_id, ": ", A(ActionName(d.action)), " [",
                     CategoriesToText(in.categories), "]")));
    if (d.action == Action::kBan) {
      Category basis = d.basis.value_or(
          in.categories.empty() ? Category::kSpam
                                : PrimaryCategory(in.categories));
      RUMOD_ASSIGN_OR_RETURN(
          bid, InsertBan(c.platform, c.page_id, c.author_id, now, d.ban_until,
                         basis, absl::StrJoin(d.reasons, "; "), d.actor,
                         r.violation_id));
      r.ban_id = bid;
    }
    r.decision = std::move(d);
    return r;
  }

  static std::string internal_sha(std::string_view text) {
    return Sha256Hex(text);
  }

  absl::StatusOr<std::vector<Ban>> ReadBans(Stmt& st) {
    std::vector<Ban> out;
    while (true) {
      RUMOD_ASSIGN_OR_RETURN(row, st.Step());
      if (!row) break;
      out.push_back(ReadBan(st));
    }
    return out;
  }

  absl::StatusOr<std::vector<Ban>> LoadBans(std::string_view platform,
                                            std::string_view page_id,
                                            std::string_view author_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_ASSIGN_OR_RETURN(
        st, Prepare("SELECT " RUMOD_BAN_COLS RUMOD_BAN_FROM
                    "WHERE b.platform = ?1 AND b.page_id = ?2 AND "
                    "b.author_id = ?3 ORDER BY b.start_at DESC, b.id DESC"));
    st->Bind(1, platform).Bind(2, page_id).Bind(3, author_id);
    return ReadBans(*st);
  }

  absl::StatusOr<std::optional<Ban>> ActiveBanLocked(std::string_view platform,
                                                     std::string_view page_id,
                                                     std::string_view author_id,
                                                     absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    RUMOD_ASSIGN_OR_RETURN(bans, LoadBans(platform, page_id, author_id));
    std::optional<Ban> best;
    for (Ban& b : bans) {
      if (!b.ActiveAt(now)) continue;
      // The one ending last (permanent wins).
      if (!best || !b.end || (best->end && *b.end > *best->end)) best = b;
    }
    return best;
  }

  absl::StatusOr<AuthorHistory> LoadHistory(std::string_view platform,
                                            std::string_view page_id,
                                            std::string_view author_id,
                                            absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    AuthorHistory h;
    {
      RUMOD_ASSIGN_OR_RETURN(
          st, Prepare("SELECT " RUMOD_VIOLATION_COLS " FROM violations "
                      "WHERE platform = ?1 AND page_id = ?2 AND author_id = ?3 "
                      "ORDER BY created_at DESC, id DESC LIMIT ?4"));
      st->Bind(1, platform).Bind(2, page_id).Bind(3, author_id).Bind(
          4, int64_t{options_.history_limit});
      while (true) {
        RUMOD_ASSIGN_OR_RETURN(row, st->Step());
        if (!row) break;
        h.violations.push_back(ReadViolation(*st));
      }
    }
    RUMOD_ASSIGN_OR_RETURN(bans, LoadBans(platform, page_id, author_id));
    h.bans = std::move(bans);
    for (const Ban& b : h.bans) {
      if (!b.ActiveAt(now)) continue;
      if (!h.active_ban || !b.end ||
          (h.active_ban->end && *b.end > *h.active_ban->end))
        h.active_ban = b;
    }
    return h;
  }

  sqlite3* const db_;
  BlacklistStoreOptions options_;
  const int version_;
  absl::Mutex mu_;
  absl::flat_hash_map<const char*, sqlite3_stmt*> cache_ ABSL_GUARDED_BY(mu_);
};

// Reads `PRAGMA journal_mode` (one row: the mode name); "" when the pragma
// gave no row. Returns the prepare or step result code through *rc.
std::string JournalMode(sqlite3* db, const char* sql, int* rc) {
  sqlite3_stmt* st = nullptr;
  *rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  if (*rc != SQLITE_OK) return "";
  *rc = sqlite3_step(st);
  std::string mode = *rc == SQLITE_ROW && sqlite3_column_text(st, 0)
                         ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0))
                         : "";
  sqlite3_finalize(st);
  return mode;
}

absl::Status EnsureWal(sqlite3* db, const std::string& path, int busy_timeout_ms) {
  // WAL is a property of the file: once one connection has switched it,
  // every later open only reads the mode, which takes no lock.
  int rc = SQLITE_OK;
  if (JournalMode(db, "PRAGMA journal_mode", &rc) == "wal") return absl::OkStatus();
  if (rc != SQLITE_ROW) return SqlError(db, rc, "journal_mode");
  // Switching needs exclusive access, and SQLite returns SQLITE_BUSY for it
  // without calling the busy handler: two processes opening a new store at
  // once would see "database is locked". So retry here, with backoff, for
  // as long as the busy timeout would have waited.
  const absl::Time deadline = absl::Now() + absl::Milliseconds(busy_timeout_ms);
  absl::Duration pause = absl::Milliseconds(1);
  for (;;) {
    std::string mode = JournalMode(db, "PRAGMA journal_mode=WAL", &rc);
    if (rc == SQLITE_ROW) {
      if (mode == "wal") return absl::OkStatus();
      return absl::FailedPreconditionError(absl::StrCat(
          "blacklist store: cannot use WAL on ", path, " (mode ", mode, ")"));
    }
    if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
      return SqlError(db, rc, "journal_mode");
    if (absl::Now() + pause > deadline) return SqlError(db, rc, "journal_mode");
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Milliseconds(50));
  }
}

}  // namespace
}  // namespace internal

absl::StatusOr<std::unique_ptr<BlacklistStore>> BlacklistStore::OpenSqlite(
    std::string_view path, const BlacklistStoreOptions& options) {
  if (path.empty())
    return absl::InvalidArgumentError("blacklist store: empty database path");
  if (options.busy_timeout_ms < 0)
    return absl::InvalidArgumentError(
        "blacklist store: busy_timeout_ms must be >= 0");
  if (options.excerpt_chars < 0)
    return absl::InvalidArgumentError(
        "blacklist store: excerpt_chars must be >= 0");
  if (options.history_limit <= 0)
    return absl::InvalidArgumentError(
        "blacklist store: history_limit must be > 0");
  sqlite3* db = nullptr;
  std::string p(path);
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (options.create_if_missing) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(p.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = absl::StrCat("blacklist store: cannot open ", p, ": ",
                                   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    if (rc == SQLITE_CANTOPEN && !options.create_if_missing)
      return absl::NotFoundError(msg);
    return absl::UnavailableError(msg);
  }
  auto fail = [&](absl::Status s) {
    sqlite3_close(db);
    return s;
  };
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(db, 1);
  if (absl::Status s = internal::EnsureWal(db, p, options.busy_timeout_ms); !s.ok())
    return fail(s);
  const char* sync = options.durable ? "PRAGMA synchronous=FULL"
                                     : "PRAGMA synchronous=NORMAL";
  rc = sqlite3_exec(db, sync, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return fail(internal::SqlError(db, rc, "synchronous"));
  Clock* clock = options.clock ? options.clock : SystemClock::Default();
  absl::StatusOr<int> found = internal::Migrate(
      db, internal::kCurrentSchemaVersion, absl::ToUnixSeconds(clock->Now()));
  if (!found.ok()) return fail(found.status());
  return std::unique_ptr<BlacklistStore>(new internal::SqliteBlacklistStore(
      db, options, internal::kCurrentSchemaVersion));
}

}  // namespace rumod
