#include "blacklist/schema.h"

#include <sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "blacklist/strutil.h"

namespace rumod::internal {
namespace {

// kSteps[i] takes the schema from version i to i + 1.
constexpr const char* kSteps[] = {
    // 0 -> 1: violations and bans. v1 kept the lifting of a ban in the ban
    // row itself (lifted_at, lifted_by); v2 moves it to ban_lifts.
    R"sql(
CREATE TABLE violations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  platform TEXT NOT NULL,
  page_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  comment_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  categories TEXT NOT NULL,
  category_mask INTEGER NOT NULL,
  rule_ids TEXT NOT NULL,
  text_sha256 TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  full_text TEXT,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  legal_basis TEXT NOT NULL,
  reasons TEXT NOT NULL);
CREATE INDEX violations_author
  ON violations(platform, page_id, author_id, created_at);
CREATE TABLE bans(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  platform TEXT NOT NULL,
  page_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  start_at INTEGER NOT NULL,
  end_at INTEGER,
  category TEXT NOT NULL,
  vk_reason INTEGER NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  violation_id INTEGER,
  lifted_at INTEGER,
  lifted_by TEXT);
CREATE INDEX bans_author ON bans(platform, page_id, author_id);
)sql",
    // 1 -> 2: lifts as separate append-only records, audit log, purges;
    // rows of violations / bans / ban_lifts can no longer be updated.
    R"sql(
CREATE TABLE ban_lifts(
  ban_id INTEGER PRIMARY KEY,
  lifted_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL);
INSERT INTO ban_lifts(ban_id, lifted_at, kind, actor, reason)
  SELECT id, lifted_at, 'unban', COALESCE(lifted_by, 'unknown'),
         'migrated from schema v1'
  FROM bans WHERE lifted_at IS NOT NULL;
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  platform TEXT NOT NULL DEFAULT '',
  page_id TEXT NOT NULL DEFAULT '',
  author_id TEXT NOT NULL DEFAULT '',
  object_id INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '');
CREATE INDEX audit_at ON audit_log(at);
CREATE TABLE purges(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  cutoff INTEGER NOT NULL,
  violations_deleted INTEGER NOT NULL,
  bans_deleted INTEGER NOT NULL,
  audit_deleted INTEGER NOT NULL);
CREATE INDEX bans_end ON bans(end_at);
CREATE TRIGGER violations_append_only BEFORE UPDATE ON violations
  BEGIN SELECT RAISE(ABORT, 'violations are append-only'); END;
CREATE TRIGGER bans_append_only BEFORE UPDATE ON bans
  BEGIN SELECT RAISE(ABORT, 'bans are append-only'); END;
CREATE TRIGGER ban_lifts_append_only BEFORE UPDATE ON ban_lifts
  BEGIN SELECT RAISE(ABORT, 'ban lifts are append-only'); END;
)sql",
    // 2 -> 3: per-category scores of the verdict; period index for reports.
    R"sql(
ALTER TABLE violations ADD COLUMN scores TEXT NOT NULL DEFAULT '';
CREATE INDEX violations_created ON violations(created_at);
)sql",
    // 3 -> 4: look up a comment already recorded (replays are idempotent).
    R"sql(
CREATE INDEX violations_comment ON violations(platform, page_id, comment_id);
)sql",
};
static_assert(sizeof(kSteps) / sizeof(kSteps[0]) == kCurrentSchemaVersion);

absl::Status SqlError(sqlite3* db, int rc, std::string_view what) {
  std::string msg =
      absl::StrCat(A(what), ": ", db ? sqlite3_errmsg(db) : "", " (",
                   sqlite3_errstr(rc), ")");
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

absl::Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      return absl::UnavailableError(msg);
    return absl::InternalError(msg);
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  if (rc != SQLITE_OK) return SqlError(db, rc, "prepare");
  rc = sqlite3_step(st);
  int64_t v = 0;
  if (rc == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqlError(db, rc, "step");
  return v;
}

}  // namespace

absl::StatusOr<int> Migrate(sqlite3* db, int target, int64_t now_unix) {
  if (target < 0 || target > kCurrentSchemaVersion)
    return absl::InvalidArgumentError(
        absl::StrCat("no schema version ", target));
  // Fast path without the write lock.
  absl::StatusOr<int64_t> v = QueryInt(db, "PRAGMA user_version");
  if (!v.ok()) return v.status();
  // user_version is any 32-bit integer another program may have set.
  auto check = [](int64_t version) -> absl::Status {
    if (version > kCurrentSchemaVersion)
      return absl::FailedPreconditionError(absl::StrCat(
          "blacklist database has schema version ", version,
          ", newer than this library's ", kCurrentSchemaVersion));
    if (version < 0)
      return absl::FailedPreconditionError(absl::StrCat(
          "blacklist database has schema version ", version,
          " (PRAGMA user_version), which no rumod version writes"));
    return absl::OkStatus();
  };
  if (absl::Status s = check(*v); !s.ok()) return s;
  if (*v >= target) return static_cast<int>(*v);

  if (absl::Status s = Exec(db, "BEGIN IMMEDIATE"); !s.ok()) return s;
  auto fail = [&](absl::Status s) {
    Exec(db, "ROLLBACK").IgnoreError();
    return s;
  };
  v = QueryInt(db, "PRAGMA user_version");  // another process may have won
  if (!v.ok()) return fail(v.status());
  if (absl::Status s = check(*v); !s.ok()) return fail(s);
  const int found = static_cast<int>(*v);
  for (int step = found; step < target; ++step) {
    if (absl::Status s = Exec(db, kSteps[step]); !s.ok())
      return fail(absl::InternalError(absl::StrCat(
          "migration ", step, " -> ", step + 1, ": ", s.message())));
  }
  if (found < target) {
    std::string pragma = absl::StrCat("PRAGMA user_version = ", target);
    if (absl::Status s = Exec(db, pragma.c_str()); !s.ok()) return fail(s);
    if (target >= 2) {
      sqlite3_stmt* st = nullptr;
      int rc = sqlite3_prepare_v2(
          db,
          "INSERT INTO audit_log(at, actor, event, object_id, detail) "
          "VALUES(?1, 'auto:migration', 'migrate', ?2, ?3)",
          -1, &st, nullptr);
      if (rc != SQLITE_OK) return fail(SqlError(db, rc, "prepare audit"));
      std::string detail = absl::StrCat("schema ", found, " -> ", target);
      sqlite3_bind_int64(st, 1, now_unix);
      sqlite3_bind_int64(st, 2, target);
      sqlite3_bind_text(st, 3, detail.data(), static_cast<int>(detail.size()),
                        SQLITE_TRANSIENT);
      rc = sqlite3_step(st);
      sqlite3_finalize(st);
      if (rc != SQLITE_DONE) return fail(SqlError(db, rc, "audit migration"));
    }
  }
  if (absl::Status s = Exec(db, "COMMIT"); !s.ok()) return fail(s);
  return found;
}

namespace {
absl::StatusOr<sqlite3*> OpenRaw(std::string_view path) {
  sqlite3* db = nullptr;
  std::string p(path);
  int rc = sqlite3_open_v2(p.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = SqlError(db, rc, "open");
    sqlite3_close(db);
    return s;
  }
  sqlite3_busy_timeout(db, 5000);
  return db;
}
}  // namespace

absl::Status CreateDatabaseAtVersion(std::string_view path, int version) {
  absl::StatusOr<sqlite3*> db = OpenRaw(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<int> r = Migrate(*db, version, 0);
  sqlite3_close(*db);
  return r.status();
}

absl::Status ExecSqlForTest(std::string_view path, std::string_view sql) {
  absl::StatusOr<sqlite3*> db = OpenRaw(path);
  if (!db.ok()) return db.status();
  absl::Status s = Exec(*db, std::string(sql).c_str());
  sqlite3_close(*db);
  return s;
}

absl::StatusOr<int64_t> QueryIntForTest(std::string_view path,
                                        std::string_view sql) {
  absl::StatusOr<sqlite3*> db = OpenRaw(path);
  if (!db.ok()) return db.status();
  absl::StatusOr<int64_t> v = QueryInt(*db, std::string(sql).c_str());
  sqlite3_close(*db);
  return v;
}

}  // namespace rumod::internal
