// Tests of `rumod moderate` and `rumod blacklist` (runs the CLI binary at
// RUMOD_CLI_PATH; skipped when the CLI is not built).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "temp_dir.h"

namespace {

using ::testing::HasSubstr;
using json = nlohmann::json;

struct Result {
  int code = -1;
  std::string out;
  std::vector<json> lines;
};

std::string TempDir() { return rumod::testing_util::FreshTempDir("rumod_blcli"); }

// Runs `rumod ARGS` with `input` on stdin.
Result RunCli(const std::string& args, const std::string& input = "") {
  std::string dir = TempDir();
  std::string in = dir + "/stdin";
  std::ofstream(in, std::ios::binary) << input;
  std::string cmd =
      absl::StrCat("'", RUMOD_CLI_PATH, "' ", args, " < '", in, "' 2>/dev/null");
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::istringstream ss(r.out);
  std::string line;
  while (std::getline(ss, line))
    if (!line.empty()) r.lines.push_back(json::parse(line, nullptr, false));
  return r;
}

class BlacklistCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(RUMOD_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
    db = TempDir() + "/bl.db";
  }
  std::string db;
};

TEST_F(BlacklistCliTest, ModerateRecordsAndEscalates) {
  const std::string profane = "да пошёл ты нахуй, хуйло";
  std::string input;
  for (int i = 1; i <= 3; ++i)
    input += json{{"id", i},
                  {"text", profane},
                  {"platform", "vk"},
                  {"page_id", "42"},
                  {"author_id", 777},
                  {"created_at", absl::StrCat("2026-01-0", i, "T10:00:00Z")}}
                 .dump() +
             "\n";
  input += R"({"id": 4, "text": "спасибо за работу", "platform": "vk", "page_id": "42", "author_id": "5"})" "\n";
  input += R"({"id": 5, "text": "Добрый день", "platform": "vk", "page_id": "42", "author_id": "5", "created_at": 1767225600})" "\n";
  input += "not json\n";
  Result r = RunCli(absl::StrCat("moderate --db '", db, "' -"), input);
  EXPECT_EQ(r.code, 1);  // some lines had errors
  ASSERT_EQ(r.lines.size(), 6u) << r.out;
  for (int i = 0; i < 3; ++i) {
    const json& d = r.lines[i];
    EXPECT_EQ(d["id"], i + 1);
    for (const char* key : {"action", "ban_until", "reasons", "labels"})
      EXPECT_TRUE(d.contains(key)) << key << " in " << d.dump();
  }
  EXPECT_EQ(r.lines[3]["id"], 4);
  EXPECT_THAT(r.lines[3]["error"].get<std::string>(), HasSubstr("created_at"));
  EXPECT_EQ(r.lines[4]["action"], "keep");
  EXPECT_TRUE(r.lines[4]["ban_until"].is_null());
  EXPECT_TRUE(r.lines[5].contains("error"));
  EXPECT_EQ(r.lines[5]["line"], 6);

  if (r.lines[0]["labels"].empty()) GTEST_SKIP() << "engine did not flag the text";
  EXPECT_EQ(r.lines[0]["action"], "delete") << r.lines[0].dump();
  EXPECT_EQ(r.lines[1]["action"], "ban") << r.lines[1].dump();
  EXPECT_TRUE(r.lines[1]["ban_until"].is_string());
  EXPECT_EQ(r.lines[2]["action"], "delete");  // already banned
  // The book has it.
  Result show = RunCli(absl::StrCat("blacklist show --db '", db,
                                 "' --platform vk --page 42 777"));
  ASSERT_EQ(show.code, 0);
  ASSERT_EQ(show.lines.size(), 1u);
  EXPECT_EQ(show.lines[0]["violations"].size(), 3u);
  EXPECT_EQ(show.lines[0]["bans"].size(), 1u);
  EXPECT_FALSE(show.lines[0]["active_ban"].is_null());
  EXPECT_THAT(show.out, testing::Not(HasSubstr("хуйло")));  // masked excerpts
}

// Integer ids beyond int64 (JSON allows any integer) keep their value: read
// as int64 they wrapped, 18446744073709551615 became -1, and two comments
// or two authors became one (the second comment was a "replay").
TEST_F(BlacklistCliTest, UnsignedIdsAreNotWrapped) {
  std::string input;
  for (const char* line :
       {R"({"id": 18446744073709551615, "text": "ты дебил", "platform": "vk", "page_id": "1", "author_id": 18446744073709551615, "created_at": "2026-01-01T10:00:00Z"})",
        R"({"id": -1, "text": "ты дебил", "platform": "vk", "page_id": "1", "author_id": -1, "created_at": "2026-01-01T10:00:00Z"})"})
    input += std::string(line) + "\n";
  Result r = RunCli(absl::StrCat("moderate --db '", db, "_u64' -"), input);
  ASSERT_EQ(r.lines.size(), 2u) << r.out;
  for (const json& d : r.lines) {
    EXPECT_FALSE(d.contains("error")) << d.dump();
    EXPECT_TRUE(d.contains("violation_id")) << d.dump();
  }
  if (r.lines[0].contains("violation_id") && r.lines[1].contains("violation_id"))
    EXPECT_NE(r.lines[0]["violation_id"], r.lines[1]["violation_id"]);
  Result big = RunCli(absl::StrCat("blacklist show --db '", db,
                                   "_u64' --platform vk --page 1 18446744073709551615"));
  ASSERT_EQ(big.lines.size(), 1u) << big.out;
  EXPECT_EQ(big.lines[0]["violations"].size(), 1u) << big.out;
}

// An id with a control character is that line's error; the other lines of
// its batch are still decided and recorded.
TEST_F(BlacklistCliTest, ControlCharacterInAnIdFailsOnlyItsLine) {
  std::string input;
  int n = 0;
  // ASCII controls, C1 controls (NEL U+0085) and the line separator U+2028
  // break line-oriented readers of the export and the audit log alike.
  for (const char* author : {"a\x01b", "a\u0085b", "a\u2028b", "ab"})
    input += json{{"id", ++n},
                  {"text", "ты дебил"},
                  {"platform", "vk"},
                  {"page_id", "42"},
                  {"author_id", author},
                  {"created_at", "2026-01-01T10:00:00Z"}}
                 .dump() +
             "\n";
  Result r = RunCli(absl::StrCat("moderate --db '", db, "_ctl' -"), input);
  EXPECT_EQ(r.code, 1);
  ASSERT_EQ(r.lines.size(), 4u) << r.out;
  for (int i = 0; i < 3; ++i)
    EXPECT_THAT(r.lines[i]["error"].get<std::string>(), HasSubstr("author_id")) << i;
  EXPECT_TRUE(r.lines[3].contains("violation_id")) << r.lines[3].dump();
  // A moderator name with a control character is refused too.
  EXPECT_EQ(RunCli(absl::StrCat("blacklist ban --db '", db,
                                "_ctl' --platform vk --page 42 ab --reason r --by 'm\x01'"))
                .code,
            1);
}

TEST_F(BlacklistCliTest, ManualBanUnbanExportPurgeReport) {
  Result b = RunCli(absl::StrCat(
      "blacklist ban --db '", db,
      "' --platform vk --page 42 100 --reason 'спам в комментариях' --by ivanova "
      "--category spam --duration 7d"));
  ASSERT_EQ(b.code, 0) << b.out;
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.lines[0]["vk_reason"], 1);
  EXPECT_EQ(b.lines[0]["actor"], "moderator:ivanova");

  Result bans = RunCli(absl::StrCat("blacklist bans --db '", db, "' --active"));
  ASSERT_EQ(bans.code, 0);
  EXPECT_EQ(bans.lines.size(), 1u);
  Result soon = RunCli(absl::StrCat("blacklist bans --db '", db, "' --ending-within 8d"));
  EXPECT_EQ(soon.lines.size(), 1u);

  Result u = RunCli(absl::StrCat("blacklist unban --db '", db,
                              "' --platform vk --page 42 100 --reason ошибка --by petrov"));
  ASSERT_EQ(u.code, 0);
  EXPECT_EQ(u.lines[0]["lifted"], 1);
  EXPECT_EQ(RunCli(absl::StrCat("blacklist unban --db '", db,
                             "' --platform vk --page 42 100 --reason x --by petrov"))
                .code,
            1);  // not banned any more

  Result e = RunCli(absl::StrCat("blacklist export --db '", db, "' --format jsonl"));
  ASSERT_EQ(e.code, 0);
  ASSERT_EQ(e.lines.size(), 1u);
  EXPECT_EQ(e.lines[0]["type"], "ban");
  EXPECT_EQ(e.lines[0]["lift"]["kind"], "unban");
  Result csv = RunCli(absl::StrCat("blacklist export --db '", db, "' --format csv"));
  EXPECT_THAT(csv.out, HasSubstr("ban,1,vk,42,100,"));

  Result rep = RunCli(absl::StrCat("blacklist report --db '", db,
                                "' --from 2026-01-01 --to 2026-02-01"));
  ASSERT_EQ(rep.code, 0);
  EXPECT_TRUE(rep.lines[0]["categories"].contains("spam"));

  Result p = RunCli(absl::StrCat("blacklist purge --db '", db,
                              "' --older-than 365d --by dpo"));
  ASSERT_EQ(p.code, 0);
  EXPECT_GT(p.lines[0]["purge_id"].get<int>(), 0);
  Result audit = RunCli(absl::StrCat("blacklist audit --db '", db, "'"));
  ASSERT_FALSE(audit.lines.empty());
  EXPECT_EQ(audit.lines.back()["event"], "purge");
}

TEST_F(BlacklistCliTest, UsageErrors) {
  // Exit code of `blacklist CMD --db <db> ARGS`.
  auto on_db = [&](const std::string& cmd, const std::string& args) {
    return RunCli(absl::StrCat("blacklist ", cmd, " --db '", db, "' ", args)).code;
  };
  EXPECT_EQ(RunCli("blacklist").code, 2);
  EXPECT_EQ(RunCli("blacklist list").code, 2);  // no --db
  EXPECT_EQ(on_db("frobnicate", ""), 2);
  EXPECT_EQ(on_db("ban", "--platform vk --page 1 5"), 2);
  EXPECT_EQ(on_db("ban", "--platform vk --page 1 5 --reason r --by m --duration 7x"), 2);
  // A ban needs a moderator's name; a report range runs forward.
  EXPECT_EQ(on_db("ban", "--platform vk --page 1 5 --reason r --by ''"), 2);
  EXPECT_EQ(on_db("unban", "--platform vk --page 1 5 --reason r --by moderator:"), 2);
  EXPECT_EQ(on_db("report", "--from 2027-01-01 --to 2020-01-01"), 2);
  EXPECT_EQ(RunCli("moderate -").code, 2);  // no --db
  EXPECT_EQ(RunCli(absl::StrCat("moderate --db '", db, "' --batch 0 -")).code, 2);
  // A bad policy file is a runtime error naming file:line.
  std::string pol = TempDir() + "/bad.conf";
  std::ofstream(pol) << "window = soon\n";
  EXPECT_EQ(RunCli(absl::StrCat("moderate --db '", db, "' --policy '", pol, "' -")).code, 1);
  // Read-only commands do not create a database.
  EXPECT_EQ(RunCli(absl::StrCat("blacklist list --db '", TempDir(), "/none.db'")).code, 1);
}

}  // namespace
