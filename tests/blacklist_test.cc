// Tests of the blacklist store (SQLite), SHA-256 and masked excerpts.
#include "rumod/blacklist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "blacklist/schema.h"
#include "blacklist/sha256.h"
#include "nlohmann/json.hpp"
#include "absl/strings/str_cat.h"
#include "rumod/clock.h"
#include "temp_dir.h"

namespace rumod {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string TempDb(const std::string& name) {
  return testing_util::FreshTempDir("rumod_bl") + "/" + name + ".db";
}

ViolationInput Input(const std::string& author, const std::string& comment,
                     std::vector<Category> cats = {Category::kProfanity},
                     absl::Time created = absl::FromUnixSeconds(1767225600),
                     std::string text = "ну ты и хуйло, звони 89161234567") {
  ViolationInput in;
  in.comment = {"vk", "42", author, comment, created};
  in.text = std::move(text);
  in.categories = std::move(cats);
  in.rule_ids = {"prof.khuy"};
  for (Category c : in.categories) in.scores[static_cast<int>(c)] = 1.0f;
  in.mask_spans = {{13, 23}};  // "хуйло"
  return in;
}

Decision Act(Action a, std::optional<absl::Time> until = std::nullopt) {
  Decision d;
  d.action = a;
  d.ban_until = until;
  d.reasons = {"test"};
  return d;
}

struct Fixture : ::testing::Test {
  void SetUp() override {
    path = TempDb("store");
    opts.clock = &clock;
    auto s = BlacklistStore::OpenSqlite(path, opts);
    ASSERT_TRUE(s.ok()) << s.status();
    store = std::move(*s);
  }
  FakeClock clock{absl::FromUnixSeconds(1767225600)};  // 2026-01-01
  BlacklistStoreOptions opts;
  std::string path;
  std::unique_ptr<BlacklistStore> store;
};

// ------------------------------------------------------------------ SHA-256

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                      "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, IncrementalEqualsOneShotAcrossBlockBoundaries) {
  std::string data;
  for (int i = 0; i < 300; ++i) data += static_cast<char>('a' + i % 26);
  for (size_t chunk : {1, 3, 55, 56, 63, 64, 65, 127}) {
    internal::Sha256 h;
    for (size_t i = 0; i < data.size(); i += chunk)
      h.Update(std::string_view(data).substr(i, chunk));
    auto d = h.Finish();
    char hex[65];
    for (int i = 0; i < 32; ++i) std::snprintf(hex + 2 * i, 3, "%02x", d[i]);
    EXPECT_EQ(std::string(hex, 64), Sha256Hex(data)) << "chunk " << chunk;
  }
  for (size_t n : {55, 56, 57, 63, 64, 65, 119, 120}) {
    internal::Sha256 h;
    h.Update(std::string(n, 'x'));
    EXPECT_NO_FATAL_FAILURE(h.Finish());
  }
}

// ----------------------------------------------------------------- excerpts

TEST(ExcerptTest, MasksSpansDigitsAndTruncates) {
  std::string text = "ну ты и хуйло, звони 89161234567";
  std::vector<std::pair<uint32_t, uint32_t>> spans = {{13, 23}};
  std::string e = MaskedExcerpt(text, spans, 80);
  EXPECT_EQ(e, "ну ты и х****, звони 8**********");
  EXPECT_EQ(MaskedExcerpt("абвгд", {}, 3), "абв…");
  EXPECT_EQ(MaskedExcerpt("a\nb", {}, 10), "a b");
  EXPECT_EQ(MaskedExcerpt("a\xff" "b", {}, 10), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(MaskedExcerpt("tel 1234", {}, 10), "tel 1234");  // short runs stay
  // Spans past the end are clipped, empty/inverted spans ignored.
  std::vector<std::pair<uint32_t, uint32_t>> odd = {{2, 100}, {5, 1}};
  EXPECT_EQ(MaskedExcerpt("abcdef", odd, 10), "abc***");
}

TEST(VocabularyTest, ActionsBasisAndVkReasons) {
  for (Action a : {Action::kKeep, Action::kReview, Action::kDelete, Action::kBan})
    EXPECT_EQ(ParseAction(ActionName(a)), a);
  EXPECT_FALSE(ParseAction("nuke").has_value());
  EXPECT_EQ(VkBanReason(Category::kSpam), 1);
  EXPECT_EQ(VkBanReason(Category::kInsult), 2);
  EXPECT_EQ(VkBanReason(Category::kProfanity), 3);
  EXPECT_EQ(VkBanReason(Category::kHate), 0);
  EXPECT_EQ(VkBanReason(Category::kDiscrimination), 0);
  EXPECT_THAT(std::string(LegalBasis(Category::kSpam)), HasSubstr("спам"));
  std::vector<Category> cs = {Category::kSpam, Category::kInsult,
                              Category::kHate};
  EXPECT_EQ(PrimaryCategory(cs), Category::kHate);
}

// ------------------------------------------------------------------ options

TEST(OpenTest, InvalidArguments) {
  EXPECT_EQ(BlacklistStore::OpenSqlite("").status().code(),
            absl::StatusCode::kInvalidArgument);
  BlacklistStoreOptions o;
  o.busy_timeout_ms = -1;
  EXPECT_EQ(BlacklistStore::OpenSqlite(TempDb("x"), o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = {};
  o.history_limit = 0;
  EXPECT_EQ(BlacklistStore::OpenSqlite(TempDb("x"), o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = {};
  o.excerpt_chars = -5;
  EXPECT_EQ(BlacklistStore::OpenSqlite(TempDb("x"), o).status().code(),
            absl::StatusCode::kInvalidArgument);
  o = {};
  o.create_if_missing = false;
  EXPECT_EQ(BlacklistStore::OpenSqlite(TempDb("missing"), o).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(OpenTest, NewerSchemaIsRefused) {
  std::string path = TempDb("newer");
  ASSERT_TRUE(BlacklistStore::OpenSqlite(path).ok());
  ASSERT_TRUE(internal::ExecSqlForTest(path, "PRAGMA user_version = 99").ok());
  auto s = BlacklistStore::OpenSqlite(path);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
}

// A negative user_version (set by another program) indexed the migration
// table before its start: now refused like a newer schema, for every
// 32-bit value below zero.
TEST(OpenTest, NegativeSchemaVersionIsRefused) {
  for (const char* version : {"-1", "-2", "-1000", "-2147483648"}) {
    std::string path = TempDb(std::string("negative") + version);
    ASSERT_TRUE(BlacklistStore::OpenSqlite(path).ok());
    ASSERT_TRUE(
        internal::ExecSqlForTest(path, std::string("PRAGMA user_version = ") + version).ok());
    auto s = BlacklistStore::OpenSqlite(path);
    EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition) << version;
    EXPECT_NE(s.status().message().find("schema version " + std::string(version)),
              std::string::npos)
        << s.status();
  }
}

TEST_F(Fixture, UsesWalAndCurrentSchema) {
  EXPECT_EQ(store->schema_version(), internal::kCurrentSchemaVersion);
  ASSERT_TRUE(store->Record(Input("1", "c1"), Act(Action::kDelete)).ok());
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(*) FROM pragma_journal_mode "
                      "WHERE journal_mode = 'wal'"),
            1);
}

// ---------------------------------------------------------------- recording

TEST_F(Fixture, RecordStoresHashExcerptAndBasisNotText) {
  ViolationInput in = Input("777", "9001");
  auto r = store->Record(in, Act(Action::kDelete));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->violation_id, 0);
  EXPECT_EQ(r->ban_id, 0);
  auto h = store->History("vk", "42", "777");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->violations.size(), 1u);
  const Violation& v = h->violations[0];
  EXPECT_EQ(v.comment.comment_id, "9001");
  EXPECT_EQ(v.comment.created_at, absl::FromUnixSeconds(1767225600));
  EXPECT_EQ(v.recorded_at, clock.Now());
  EXPECT_EQ(v.text_sha256, Sha256Hex(in.text));
  EXPECT_THAT(v.excerpt, Not(HasSubstr("хуйло")));
  EXPECT_THAT(v.excerpt, Not(HasSubstr("89161234567")));
  EXPECT_THAT(v.excerpt, HasSubstr("х**"));
  EXPECT_TRUE(v.full_text.empty());
  EXPECT_EQ(v.action, Action::kDelete);
  EXPECT_EQ(v.actor, "auto:policy");
  EXPECT_EQ(v.categories, std::vector<Category>{Category::kProfanity});
  EXPECT_EQ(v.rule_ids, std::vector<std::string>{"prof.khuy"});
  EXPECT_FLOAT_EQ(v.scores[static_cast<int>(Category::kProfanity)], 1.0f);
  EXPECT_THAT(v.legal_basis, HasSubstr("нецензурные"));
  EXPECT_EQ(v.reasons, std::vector<std::string>{"test"});
  EXPECT_FALSE(h->active_ban.has_value());
}

TEST_F(Fixture, FullTextOnlyWhenConfigured) {
  opts.store_full_text = true;
  auto s = BlacklistStore::OpenSqlite(path, opts);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE((*s)->Record(Input("1", "c1"), Act(Action::kDelete)).ok());
  auto h = (*s)->History("vk", "42", "1");
  ASSERT_EQ(h->violations.size(), 1u);
  EXPECT_EQ(h->violations[0].full_text, Input("1", "c1").text);
}

TEST_F(Fixture, CleanKeepRecordsNothing) {
  auto r = store->Record(Input("1", "c1", {}), Act(Action::kKeep));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->violation_id, 0);
  EXPECT_TRUE(store->History("vk", "42", "1")->violations.empty());
}

TEST_F(Fixture, MissingIdsAreInvalid) {
  for (int field = 0; field < 4; ++field) {
    ViolationInput in = Input("1", "c1");
    std::string* f[] = {&in.comment.platform, &in.comment.page_id,
                        &in.comment.author_id, &in.comment.comment_id};
    f[field]->clear();
    EXPECT_EQ(store->Record(in, Act(Action::kDelete)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << field;
    // Control characters in an id are invalid too.
    *f[field] = "x\ny";
    EXPECT_EQ(store->Record(in, Act(Action::kDelete)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << field;
  }
  // So is a time that is no real date (milliseconds passed as seconds, an
  // infinite time): it made the author's records unreadable.
  for (absl::Time t : {absl::FromUnixSeconds(1767225600000), absl::InfiniteFuture(),
                       absl::FromUnixSeconds(-100000000000)}) {
    ViolationInput in = Input("1", "c1");
    in.comment.created_at = t;
    EXPECT_EQ(store->Record(in, Act(Action::kDelete)).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

TEST_F(Fixture, RecordsAreAppendOnly) {
  ASSERT_TRUE(store->Record(Input("1", "c1"),
                            Act(Action::kBan, clock.Now() + absl::Hours(1)))
                  .ok());
  EXPECT_FALSE(
      internal::ExecSqlForTest(path, "UPDATE bans SET end_at = NULL").ok());
  EXPECT_FALSE(
      internal::ExecSqlForTest(path, "UPDATE violations SET action = 'keep'")
          .ok());
}

TEST_F(Fixture, StoreErrorsNameTheStatementNotItsSql) {
  // Another process broke the schema under the open store: the error says
  // which statement failed and why, without dumping SQL text into logs.
  ASSERT_TRUE(internal::ExecSqlForTest(path, "DROP TABLE audit_log").ok());
  auto r = store->Record(Input("9", "c9"), Act(Action::kDelete));
  ASSERT_FALSE(r.ok());
  std::string msg(r.status().message());
  EXPECT_NE(msg.find("audit_log"), std::string::npos) << msg;
  EXPECT_NE(msg.find("statement \""), std::string::npos) << msg;
  EXPECT_EQ(msg.find("VALUES"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("?"), std::string::npos) << msg;
}

TEST_F(Fixture, DecideAndRecordSeesHistory) {
  std::vector<size_t> seen;
  for (int i = 0; i < 3; ++i) {
    auto r = store->DecideAndRecord(
        Input("5", absl::StrCat("c", i)),
        [&](const AuthorHistory& h, absl::Time now) {
          EXPECT_EQ(now, clock.Now());
          seen.push_back(h.violations.size());
          return Act(Action::kDelete);
        });
    ASSERT_TRUE(r.ok());
  }
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2}));
}

TEST_F(Fixture, BatchIsOneTransactionAndItemsSeeEarlierOnes) {
  std::vector<ViolationInput> batch;
  for (int i = 0; i < 5; ++i)
    batch.push_back(Input("9", absl::StrCat("b", i)));
  std::vector<size_t> seen;
  auto r = store->DecideAndRecordBatch(
      batch, [&](size_t i, const AuthorHistory& h, absl::Time) {
        seen.push_back(h.violations.size());
        return Act(i == 4 ? Action::kBan : Action::kDelete,
                   clock.Now() + absl::Hours(24));
      });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(seen, (std::vector<size_t>{0, 1, 2, 3, 4}));
  EXPECT_GT((*r)[4].ban_id, 0);
  // A bad item aborts the whole batch: nothing of it is stored.
  batch.push_back(Input("9", ""));
  auto bad = store->DecideAndRecordBatch(
      batch, [&](size_t, const AuthorHistory&, absl::Time) {
        return Act(Action::kDelete);
      });
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->History("vk", "42", "9")->violations.size(), 5u);
}

// --------------------------------------------------------------------- bans

TEST_F(Fixture, BanExpiresWithInjectedClock) {
  auto r = store->Record(Input("7", "c1"),
                         Act(Action::kBan, clock.Now() + absl::Hours(24 * 7)));
  ASSERT_TRUE(r.ok());
  ASSERT_GT(r->ban_id, 0);
  auto b = store->ActiveBan("vk", "42", "7");
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ((*b)->category, Category::kProfanity);
  EXPECT_EQ((*b)->vk_reason, 3);
  EXPECT_EQ((*b)->violation_id, r->violation_id);
  EXPECT_EQ(*(*b)->end, clock.Now() + absl::Hours(24 * 7));

  clock.Advance(absl::Hours(24 * 7) - absl::Seconds(1));
  EXPECT_TRUE(store->ActiveBan("vk", "42", "7")->has_value());
  EXPECT_EQ(*store->RecordExpiredBans(), 0);
  clock.Advance(absl::Seconds(1));
  EXPECT_FALSE(store->ActiveBan("vk", "42", "7")->has_value());

  // The expiry becomes a record of its own, dated at the end of the term.
  EXPECT_EQ(*store->RecordExpiredBans(), 1);
  EXPECT_EQ(*store->RecordExpiredBans(), 0);
  auto h = store->History("vk", "42", "7");
  ASSERT_EQ(h->bans.size(), 1u);
  ASSERT_TRUE(h->bans[0].lift.has_value());
  EXPECT_EQ(h->bans[0].lift->kind, "expired");
  EXPECT_EQ(h->bans[0].lift->lifted_at, *h->bans[0].end);
  EXPECT_EQ(h->bans[0].start, absl::FromUnixSeconds(1767225600));
}

TEST_F(Fixture, ManualBanAndUnbanAreRecorded) {
  ManualBan mb{"vk", "42", "8", Category::kInsult, std::nullopt,
               "оскорбления в адрес жителей", "moderator:ivanova"};
  auto id = store->BanManually(mb);
  ASSERT_TRUE(id.ok()) << id.status();
  clock.Advance(absl::Hours(24 * 400));
  auto b = store->ActiveBan("vk", "42", "8");
  ASSERT_TRUE(b->has_value());  // permanent
  EXPECT_FALSE((*b)->end.has_value());
  EXPECT_EQ((*b)->vk_reason, 2);
  EXPECT_EQ((*b)->actor, "moderator:ivanova");

  auto n = store->Unban("vk", "42", "8", "moderator:petrov", "ошибочная блокировка");
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  EXPECT_FALSE(store->ActiveBan("vk", "42", "8")->has_value());
  EXPECT_EQ(store->Unban("vk", "42", "8", "moderator:petrov", "again")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  auto h = store->History("vk", "42", "8");
  ASSERT_EQ(h->bans.size(), 1u);  // still there, with its lift
  ASSERT_TRUE(h->bans[0].lift.has_value());
  EXPECT_EQ(h->bans[0].lift->kind, "unban");
  EXPECT_EQ(h->bans[0].lift->actor, "moderator:petrov");
  EXPECT_EQ(h->bans[0].lift->reason, "ошибочная блокировка");

  auto audit = store->Audit({});
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> events;
  for (const AuditEntry& e : *audit) events.push_back(e.event);
  EXPECT_THAT(events, ::testing::Contains("ban"));
  EXPECT_THAT(events, ::testing::Contains("unban"));
}

TEST_F(Fixture, ManualBanInvalidArguments) {
  ManualBan ok{"vk", "42", "8", Category::kSpam, absl::Hours(1), "spam",
               "moderator:x"};
  ManualBan b = ok;
  b.reason.clear();
  EXPECT_EQ(store->BanManually(b).status().code(),
            absl::StatusCode::kInvalidArgument);
  b = ok;
  b.actor.clear();
  EXPECT_EQ(store->BanManually(b).status().code(),
            absl::StatusCode::kInvalidArgument);
  b = ok;
  b.duration = absl::Seconds(-1);
  EXPECT_EQ(store->BanManually(b).status().code(),
            absl::StatusCode::kInvalidArgument);
  b = ok;
  b.author_id.clear();
  EXPECT_EQ(store->BanManually(b).status().code(),
            absl::StatusCode::kInvalidArgument);
  b = ok;
  b.author_id = std::string("8\0x", 3);  // a NUL would break the CSV export
  EXPECT_EQ(store->BanManually(b).status().code(),
            absl::StatusCode::kInvalidArgument);
  b = ok;
  b.duration = absl::Hours(24) * 99999999999;  // would end in year 273792727
  EXPECT_EQ(store->BanManually(b).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Unban("vk", "42", "8", "", "r").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Unban("vk", "42", "8", "m", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Purge(clock.Now(), "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->Export(ExportFormat::kCsv, {}, nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(Fixture, BansEndingSoonAndLists) {
  store->BanManually({"vk", "42", "a", Category::kSpam, absl::Hours(10), "s", "m"})
      .IgnoreError();
  store->BanManually({"vk", "42", "b", Category::kSpam, absl::Hours(24 * 5), "s", "m"})
      .IgnoreError();
  store->BanManually({"vk", "42", "c", Category::kSpam, std::nullopt, "s", "m"})
      .IgnoreError();
  auto soon = store->BansEndingSoon(absl::Hours(24));
  ASSERT_TRUE(soon.ok()) << soon.status();
  ASSERT_EQ(soon->size(), 1u);
  EXPECT_EQ((*soon)[0].author_id, "a");
  EXPECT_EQ(store->BansEndingSoon(absl::Hours(24 * 6))->size(), 2u);
  EXPECT_EQ(store->ListBans({}, true)->size(), 3u);
  clock.Advance(absl::Hours(11));
  EXPECT_EQ(store->ListBans({}, true)->size(), 2u);
  EXPECT_EQ(store->ListBans({}, false)->size(), 3u);
  RecordFilter f;
  f.author_id = "c";
  EXPECT_EQ(store->ListBans(f, false)->size(), 1u);
}

// ------------------------------------------------------------------ reports

TEST_F(Fixture, CountsByCategoryAndOffenders) {
  absl::Time t0 = absl::FromUnixSeconds(1767225600);
  store->Record(Input("1", "a", {Category::kSpam}, t0), Act(Action::kDelete))
      .IgnoreError();
  store->Record(Input("1", "b", {Category::kSpam, Category::kInsult}, t0),
                Act(Action::kDelete))
      .IgnoreError();
  store->Record(Input("2", "c", {Category::kSpam}, t0), Act(Action::kReview))
      .IgnoreError();
  store->Record(Input("3", "d", {Category::kHate}, t0 + absl::Hours(24 * 40)),
                Act(Action::kDelete))
      .IgnoreError();
  RecordFilter jan;
  jan.from = t0;
  jan.to = t0 + absl::Hours(24 * 31);
  auto counts = store->CountByCategory(jan);
  ASSERT_TRUE(counts.ok()) << counts.status();
  auto get = [&](Category c, Action a) -> std::pair<int64_t, int64_t> {
    for (const CategoryCount& cc : *counts)
      if (cc.category == c && cc.action == a) return {cc.violations, cc.authors};
    return {0, 0};
  };
  EXPECT_EQ(get(Category::kSpam, Action::kDelete), std::make_pair(int64_t{2}, int64_t{1}));
  EXPECT_EQ(get(Category::kSpam, Action::kReview), std::make_pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(get(Category::kInsult, Action::kDelete), std::make_pair(int64_t{1}, int64_t{1}));
  EXPECT_EQ(get(Category::kHate, Action::kDelete), std::make_pair(int64_t{0}, int64_t{0}));

  auto off = store->ListOffenders({});
  ASSERT_TRUE(off.ok());
  ASSERT_EQ(off->size(), 2u);  // reviews are not offences
  EXPECT_EQ((*off)[0].author_id, "1");
  EXPECT_EQ((*off)[0].violations, 2);
}

TEST_F(Fixture, ExportCsvAndJsonl) {
  store->Record(Input("1", "a"), Act(Action::kBan, clock.Now() + absl::Hours(5)))
      .IgnoreError();
  std::ostringstream jsonl;
  ASSERT_TRUE(store->Export(ExportFormat::kJsonl, {}, &jsonl).ok());
  std::istringstream lines(jsonl.str());
  std::string line;
  std::vector<std::string> types;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    types.push_back(j["type"]);
    if (j["type"] == "violation") {
      EXPECT_EQ(j["text_sha256"], Sha256Hex(Input("1", "a").text));
      EXPECT_FALSE(j.contains("text"));
    } else {
      EXPECT_EQ(j["vk_reason"], 3);
    }
  }
  EXPECT_EQ(types, (std::vector<std::string>{"violation", "ban"}));
  std::ostringstream csv;
  ASSERT_TRUE(store->Export(ExportFormat::kCsv, {}, &csv).ok());
  EXPECT_THAT(csv.str(), HasSubstr("violation,1,vk,42,1,a,2026-01-01T00:00:00Z"));
  EXPECT_THAT(csv.str(), HasSubstr("ban,1,vk,42,1,"));
  EXPECT_THAT(csv.str(), Not(HasSubstr("хуйло")));
}

// A ban whose term reaches past year 9999 (a clock near the end of the
// supported range) ends at 9999-12-31T23:59:59Z: a later end was written,
// could not be read back as a date, and made the author's records
// unreadable.
TEST_F(Fixture, BanEndsAreClampedToTheLastSupportedSecond) {
  const absl::Time last =
      absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59), absl::UTCTimeZone());
  clock.Set(last - absl::Hours(24 * 3));
  auto r = store->Record(Input("1", "c1", {Category::kProfanity}, clock.Now()),
                         Act(Action::kBan, clock.Now() + absl::Hours(24 * 30)));
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->decision.ban_until.has_value());
  EXPECT_EQ(*r->decision.ban_until, last);
  ManualBan mb{"vk", "42", "2", Category::kSpam, absl::Hours(24 * 7), "test", "moderator:t"};
  ASSERT_TRUE(store->BanManually(mb).ok());
  for (const char* author : {"1", "2"}) {
    auto h = store->History("vk", "42", author);
    ASSERT_TRUE(h.ok()) << h.status();
    ASSERT_EQ(h->bans.size(), 1u) << author;
    ASSERT_TRUE(h->bans[0].end.has_value());
    EXPECT_EQ(*h->bans[0].end, last) << author;
  }
  std::ostringstream jsonl;
  EXPECT_TRUE(store->Export(ExportFormat::kJsonl, {}, &jsonl).ok());
  EXPECT_THAT(jsonl.str(), HasSubstr("9999-12-31T23:59:59Z"));
}

// Fields a spreadsheet would run as formulas (= + - @ tab CR first) are
// exported with a leading apostrophe; plain numbers ("-1") and the JSONL
// export are unchanged.
TEST_F(Fixture, CsvExportNeutralisesFormulas) {
  ViolationInput in = Input("=HYPERLINK(\"http://x\",\"y\")", "-1", {Category::kInsult},
                            absl::FromUnixSeconds(1767225600), "@SUM(1+1) ты дебил");
  in.mask_spans.clear();
  ASSERT_TRUE(store->Record(in, Act(Action::kDelete)).ok());
  ASSERT_TRUE(store->Record(Input("+7", "c2"), Act(Action::kDelete)).ok());
  std::ostringstream csv;
  ASSERT_TRUE(store->Export(ExportFormat::kCsv, {}, &csv).ok());
  const std::string out = csv.str();
  EXPECT_THAT(out, HasSubstr(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",-1,")) << out;
  EXPECT_THAT(out, HasSubstr(",'+7,c2,")) << out;
  EXPECT_THAT(out, HasSubstr(",'@SUM(1+1)")) << out;
  std::istringstream rows(out);
  std::string row;
  while (std::getline(rows, row))
    for (size_t at = row.find(','); at != std::string::npos; at = row.find(',', at + 1))
      if (at + 1 < row.size()) EXPECT_EQ(std::string("=+@").find(row[at + 1]), std::string::npos) << row;
  std::ostringstream jsonl;
  ASSERT_TRUE(store->Export(ExportFormat::kJsonl, {}, &jsonl).ok());
  EXPECT_THAT(jsonl.str(), HasSubstr("\"author_id\":\"=HYPERLINK("));
}

// -------------------------------------------------------------------- purge

TEST_F(Fixture, PurgeDeletesOldRecordsAndIsRecorded) {
  absl::Time t0 = clock.Now();
  store->Record(Input("1", "old", {Category::kSpam}, t0), Act(Action::kBan, t0 + absl::Hours(24)))
      .IgnoreError();
  store->BanManually({"vk", "42", "1", Category::kSpam, std::nullopt, "perm", "m"})
      .IgnoreError();
  clock.Advance(absl::Hours(24 * 400));
  store->Record(Input("1", "new", {Category::kSpam}, clock.Now()),
                Act(Action::kDelete))
      .IgnoreError();
  auto p = store->Purge(clock.Now() - absl::Hours(24 * 365), "moderator:dpo");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->violations_deleted, 1);
  EXPECT_EQ(p->bans_deleted, 1);  // the ended one; the permanent ban stays
  EXPECT_GT(p->purge_id, 0);
  auto h = store->History("vk", "42", "1");
  ASSERT_EQ(h->violations.size(), 1u);
  EXPECT_EQ(h->violations[0].comment.comment_id, "new");
  ASSERT_EQ(h->bans.size(), 1u);
  EXPECT_FALSE(h->bans[0].end.has_value());
  EXPECT_EQ(*internal::QueryIntForTest(path, "SELECT count(*) FROM purges"), 1);
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT violations_deleted FROM purges"),
            1);
  auto audit = store->Audit({});
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->back().event, "purge");
  EXPECT_EQ(audit->back().actor, "moderator:dpo");
  for (const AuditEntry& e : *audit) {  // migration entries are kept
    if (e.event != "migrate") {
      EXPECT_GE(e.at, clock.Now() - absl::Hours(24 * 365)) << e.event;
    }
  }
}

// --------------------------------------------------------------- migrations

TEST(MigrationTest, UpgradesVersion1DatabaseKeepingData) {
  std::string path = TempDb("v1");
  ASSERT_TRUE(internal::CreateDatabaseAtVersion(path, 1).ok());
  ASSERT_EQ(*internal::QueryIntForTest(path, "PRAGMA user_version"), 1);
  ASSERT_TRUE(internal::ExecSqlForTest(path, R"sql(
    INSERT INTO violations(platform, page_id, author_id, comment_id, created_at,
      recorded_at, categories, category_mask, rule_ids, text_sha256, excerpt,
      full_text, action, actor, legal_basis, reasons)
    VALUES('vk', '42', '100', 'c1', 1767225600, 1767225600, 'spam', 1,
      '["spam.casino"]', 'ab', 'казино ***', NULL, 'delete', 'auto:policy',
      'п. 8', '["old"]');
    INSERT INTO bans(platform, page_id, author_id, start_at, end_at, category,
      vk_reason, reason, actor, violation_id, lifted_at, lifted_by)
    VALUES('vk', '42', '100', 1767225600, NULL, 'spam', 1, 'spam', 'auto',
      1, 1767300000, 'moderator:old');
    INSERT INTO bans(platform, page_id, author_id, start_at, end_at, category,
      vk_reason, reason, actor, violation_id, lifted_at, lifted_by)
    VALUES('vk', '42', '100', 1767400000, NULL, 'spam', 1, 'again', 'auto',
      NULL, NULL, NULL);
  )sql").ok());

  FakeClock clock(absl::FromUnixSeconds(1767500000));
  BlacklistStoreOptions o;
  o.clock = &clock;
  auto s = BlacklistStore::OpenSqlite(path, o);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ((*s)->schema_version(), internal::kCurrentSchemaVersion);
  EXPECT_EQ(*internal::QueryIntForTest(path, "PRAGMA user_version"),
            internal::kCurrentSchemaVersion);
  auto h = (*s)->History("vk", "42", "100");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->violations.size(), 1u);
  EXPECT_EQ(h->violations[0].rule_ids, std::vector<std::string>{"spam.casino"});
  EXPECT_EQ(h->violations[0].reasons, std::vector<std::string>{"old"});
  ASSERT_EQ(h->bans.size(), 2u);
  // The v1 lift moved to ban_lifts; the other ban is still in force.
  const Ban& lifted = h->bans[1];
  ASSERT_TRUE(lifted.lift.has_value());
  EXPECT_EQ(lifted.lift->actor, "moderator:old");
  EXPECT_EQ(lifted.lift->kind, "unban");
  ASSERT_TRUE(h->active_ban.has_value());
  EXPECT_EQ(h->active_ban->reason, "again");
  // New writes work on the migrated file, and the migration is audited.
  ASSERT_TRUE((*s)->Record(Input("100", "c2"), Act(Action::kDelete)).ok());
  auto audit = (*s)->Audit({});
  ASSERT_FALSE(audit->empty());
  EXPECT_EQ(audit->front().event, "migrate");
  EXPECT_EQ(audit->front().detail, "schema 1 -> 4");
  // Reopening does not migrate again.
  s->reset();
  ASSERT_TRUE(BlacklistStore::OpenSqlite(path, o).ok());
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(*) FROM audit_log WHERE event = 'migrate'"),
            1);
}

TEST(MigrationTest, UpgradesVersion2) {
  std::string path = TempDb("v2");
  ASSERT_TRUE(internal::CreateDatabaseAtVersion(path, 2).ok());
  auto s = BlacklistStore::OpenSqlite(path);
  ASSERT_TRUE(s.ok()) << s.status();
  ViolationInput in = Input("1", "c1");
  in.scores[0] = 0.25f;
  ASSERT_TRUE((*s)->Record(in, Act(Action::kDelete)).ok());
  EXPECT_FLOAT_EQ((*s)->History("vk", "42", "1")->violations[0].scores[0], 0.25f);
}

// -------------------------------------------------------------- concurrency

TEST(ConcurrencyTest, EightThreadsSharedStoreAndOwnConnections) {
  std::string path = TempDb("threads");
  auto shared = BlacklistStore::OpenSqlite(path);
  ASSERT_TRUE(shared.ok());
  constexpr int kThreads = 8, kPerThread = 150;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Half the threads share one store, half open their own connection.
      std::unique_ptr<BlacklistStore> own;
      BlacklistStore* s = shared->get();
      if (t % 2 == 1) {
        auto o = BlacklistStore::OpenSqlite(path);
        if (!o.ok()) {
          ++failures;
          return;
        }
        own = std::move(*o);
        s = own.get();
      }
      for (int i = 0; i < kPerThread; ++i) {
        auto r = s->DecideAndRecord(
            Input(std::to_string(i % 10), absl::StrCat("t", t, "_", i)),
            [](const AuthorHistory&, absl::Time) {
              return Act(Action::kDelete);
            });
        if (!r.ok()) {
          ++failures;
          ADD_FAILURE() << r.status();
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(*internal::QueryIntForTest(path, "SELECT count(*) FROM violations"),
            kThreads * kPerThread);
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(DISTINCT comment_id) FROM violations"),
            kThreads * kPerThread);
}

// Runs `body` in a forked child; the child exits 0 on success.
pid_t Spawn(const std::function<int()>& body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  return pid;
}

TEST(ConcurrencyTest, TwoProcessesLoseNoRecord) {
  std::string path = TempDb("procs");
  constexpr int kPerProcess = 300;
  std::vector<pid_t> kids;
  for (int p = 0; p < 2; ++p) {
    kids.push_back(Spawn([&, p] {
      auto s = BlacklistStore::OpenSqlite(path);  // both may create/migrate
      if (!s.ok()) {
        fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
        return 3;
      }
      for (int i = 0; i < kPerProcess; ++i) {
        auto r = (*s)->DecideAndRecord(
            Input(std::to_string(i % 7),
                  absl::StrCat("p", p, "_", i)),
            [](const AuthorHistory&, absl::Time) { return Act(Action::kDelete); });
        if (!r.ok()) return 4;
      }
      return 0;
    }));
  }
  for (pid_t k : kids) {
    int st = 0;
    ASSERT_EQ(waitpid(k, &st, 0), k);
    ASSERT_TRUE(WIFEXITED(st));
    EXPECT_EQ(WEXITSTATUS(st), 0);
  }
  EXPECT_EQ(*internal::QueryIntForTest(path, "SELECT count(*) FROM violations"),
            2 * kPerProcess);
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(DISTINCT comment_id) FROM violations"),
            2 * kPerProcess);
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(*) FROM audit_log WHERE event = 'migrate'"),
            1);
}

// Switching a new file to WAL needs exclusive access, and SQLite answers
// SQLITE_BUSY for it without calling the busy handler: OpenSqlite must wait
// and retry instead of failing when several processes open a new store at
// nearly the same moment (they start together on a pipe being closed).
TEST(ConcurrencyTest, ProcessesOpeningANewStoreAtOnceAllSucceed) {
  constexpr int kRounds = 40, kProcesses = 6;
  for (int round = 0; round < kRounds; ++round) {
    std::string path = TempDb(absl::StrCat("open_race", round));
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    std::vector<pid_t> kids;
    for (int p = 0; p < kProcesses; ++p) {
      kids.push_back(Spawn([&, p] {
        close(go[1]);
        char c;
        if (read(go[0], &c, 1) != 0) return 5;  // EOF: every process starts now
        // Staggered by 0-0.4 ms per process, varying by round, so that some
        // open while another is still switching the file to WAL or
        // creating the schema.
        usleep(100 * (round % 5) * p);
        auto s = BlacklistStore::OpenSqlite(path);
        if (!s.ok()) {
          fprintf(stderr, "open: %s\n", s.status().ToString().c_str());
          return 3;
        }
        auto r = (*s)->DecideAndRecord(
            Input("author", absl::StrCat("c", p)),
            [](const AuthorHistory&, absl::Time) { return Act(Action::kDelete); });
        return r.ok() ? 0 : 4;
      }));
    }
    close(go[0]);
    close(go[1]);
    for (pid_t k : kids) {
      int st = 0;
      ASSERT_EQ(waitpid(k, &st, 0), k);
      ASSERT_TRUE(WIFEXITED(st));
      EXPECT_EQ(WEXITSTATUS(st), 0) << "round " << round;
    }
    EXPECT_EQ(*internal::QueryIntForTest(path, "SELECT count(*) FROM violations"), kProcesses);
    EXPECT_EQ(*internal::QueryIntForTest(
                  path, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
              1);
  }
}

TEST(CrashTest, SigkillMidBatchKeepsEveryCommittedDecision) {
  std::string path = TempDb("crash");
  constexpr int kBatch = 50;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = Spawn([&] {
    close(fds[0]);
    auto s = BlacklistStore::OpenSqlite(path);
    if (!s.ok()) return 3;
    for (int b = 0;; ++b) {
      std::vector<ViolationInput> batch;
      for (int i = 0; i < kBatch; ++i)
        batch.push_back(Input(std::to_string(i % 5),
                              absl::StrCat("b", b, "_", i)));
      auto r = (*s)->DecideAndRecordBatch(
          batch, [&](size_t i, const AuthorHistory&, absl::Time now) {
            return i % 10 == 9 ? Act(Action::kBan, now + absl::Hours(24))
                               : Act(Action::kDelete);
          });
      if (!r.ok()) return 4;
      // Report the committed batch number to the parent.
      if (write(fds[1], &b, sizeof b) != sizeof b) return 5;
    }
  });
  close(fds[1]);
  int committed = -1, b = 0;
  while (committed < 8 && read(fds[0], &b, sizeof b) == sizeof b) committed = b;
  // Let it get into the middle of the next batch, then kill it hard.
  usleep(1500);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  // Drain reports written before the kill.
  while (read(fds[0], &b, sizeof b) == sizeof b) committed = b;
  close(fds[0]);
  int st = 0;
  ASSERT_EQ(waitpid(child, &st, 0), child);
  ASSERT_TRUE(WIFSIGNALED(st));
  ASSERT_GE(committed, 8);

  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(*) FROM pragma_integrity_check "
                      "WHERE integrity_check != 'ok'"),
            0);
  auto s = BlacklistStore::OpenSqlite(path);
  ASSERT_TRUE(s.ok()) << s.status();
  int64_t n =
      *internal::QueryIntForTest(path, "SELECT count(*) FROM violations");
  // Whole batches only, and at least every reported one.
  EXPECT_EQ(n % kBatch, 0) << n;
  EXPECT_GE(n, (committed + 1) * kBatch);
  EXPECT_LE(n, (committed + 2) * kBatch);
  for (int batch = 0; batch <= committed; ++batch) {
    std::string sql = absl::StrCat(
        "SELECT count(*) FROM violations WHERE comment_id LIKE 'b", batch,
        "\\_%' ESCAPE '\\'");
    EXPECT_EQ(*internal::QueryIntForTest(path, sql), kBatch) << batch;
  }
  // Every ban points at a stored violation and has its audit entry.
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(*) FROM bans WHERE violation_id NOT IN "
                      "(SELECT id FROM violations)"),
            0);
  EXPECT_EQ(*internal::QueryIntForTest(path, "SELECT count(*) FROM bans"),
            n / 10);
  EXPECT_EQ(*internal::QueryIntForTest(
                path, "SELECT count(*) FROM audit_log WHERE event = 'record'"),
            n);
  // And the store keeps working.
  EXPECT_TRUE((*s)->Record(Input("1", "after"), Act(Action::kDelete)).ok());
}

}  // namespace
}  // namespace rumod

namespace rumod {
namespace {
// Replaying a comment (a retried batch, a re-run stream) must not count as a
// second violation: the recorded decision comes back and nothing is written.
TEST_F(Fixture, ReplayedCommentIsNotASecondViolation) {
  auto first = store->Record(Input("7", "c1"), Act(Action::kDelete));
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = store->Record(Input("7", "c1"), Act(Action::kBan));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->violation_id, first->violation_id);
  EXPECT_EQ(again->decision.action, Action::kDelete);
  EXPECT_EQ(again->ban_id, 0);
  auto h = store->History("vk", "42", "7");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->violations.size(), 1u);
  EXPECT_FALSE(h->active_ban.has_value());
}
}  // namespace
}  // namespace rumod
