// SQLite schema of the blacklist store and its migrations (internal).
//
// The version lives in `PRAGMA user_version`. Each migration step N -> N+1
// runs in the caller's write transaction; Migrate() takes the write lock
// first and re-reads the version, so several processes opening the same
// file at once migrate it exactly once.
#ifndef RUMOD_BLACKLIST_SCHEMA_H_
#define RUMOD_BLACKLIST_SCHEMA_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;

namespace rumod::internal {

inline constexpr int kCurrentSchemaVersion = 4;

// Brings `db` to `target` (<= kCurrentSchemaVersion) inside BEGIN IMMEDIATE.
// Returns the version found before migrating (a database already at or past
// `target` is left alone). FailedPrecondition if the database is newer than
// kCurrentSchemaVersion.
// Each applied step is written to audit_log (once the table exists).
absl::StatusOr<int> Migrate(sqlite3* db, int target, int64_t now_unix);

// Test helpers: create a fresh database at an older schema version; run raw
// SQL against a file (tests only; never with user input).
absl::Status CreateDatabaseAtVersion(std::string_view path, int version);
absl::Status ExecSqlForTest(std::string_view path, std::string_view sql);
// Runs `sql` (one statement returning one integer) and returns the value.
absl::StatusOr<int64_t> QueryIntForTest(std::string_view path,
                                        std::string_view sql);

}  // namespace rumod::internal

#endif  // RUMOD_BLACKLIST_SCHEMA_H_
