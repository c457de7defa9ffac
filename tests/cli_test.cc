// The rumod CLI contract (classify/explain/compile/eval/vocab-check), run as
// a user would run it: the built binary (RUMOD_CLI_PATH) on files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

struct Result {
  int code = -1;
  std::string out;
};

Result RunCli(const std::string& args) {
  std::string cmd = std::string(RUMOD_CLI_PATH) + " " + args + " 2>/dev/null";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

std::string Temp(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) v.push_back(nlohmann::json::parse(line));
  return v;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(RUMOD_CLI_PATH).empty()) GTEST_SKIP() << "CLI not built";
  }
};

TEST_F(CliTest, ClassifyKeepsOrderFieldsAndReportsBadLines) {
  std::string in = Temp("in.jsonl",
                        "{\"id\": 1, \"text\": \"ты дебил\", \"author\": \"a1\"}\n"
                        "not json\n"
                        "{\"id\": \"x\"}\n"
                        "\n"
                        "{\"id\": 5, \"text\": 42}\n"
                        "[1,2]\n"
                        "{\"id\": 7, \"text\": \"Спасибо за новую площадку\"}\n");
  Result r = RunCli("classify " + in);
  EXPECT_EQ(r.code, 1);  // some lines had errors
  auto v = Lines(r.out);
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v[0]["id"], 1);
  EXPECT_EQ(v[0]["author"], "a1");
  EXPECT_EQ(v[0]["labels"], nlohmann::json({"insult"}));
  EXPECT_EQ(v[0]["matches"][0]["text"], "дебил");
  EXPECT_EQ(v[0]["matches"][0]["start"], 5);
  EXPECT_TRUE(v[0]["scores"].contains("discrimination"));
  EXPECT_EQ(v[1]["line"], 2);
  EXPECT_EQ(v[1]["error"], "invalid JSON");
  EXPECT_EQ(v[2]["id"], "x");
  EXPECT_EQ(v[2]["error"], "missing \"text\"");
  EXPECT_EQ(v[3]["error"], "empty line");
  EXPECT_EQ(v[4]["error"], "\"text\" must be a string");
  EXPECT_EQ(v[5]["error"], "expected a JSON object");
  EXPECT_EQ(v[6]["id"], 7);
  EXPECT_EQ(v[6]["labels"], nlohmann::json::array());
}

TEST_F(CliTest, KeptFieldsAreCopiedByteForByte) {
  // Numbers that a JSON library would re-serialise (1e2 -> 100.0) or lose
  // (integers beyond 2^64) come back exactly as written.
  std::string in = Temp("raw.jsonl",
                        "{\"id\": 18446744073709551617, \"text\": \"ok\", \"x\": 1e2, "
                        "\"meta\": {\"w\": [2.50, \"\\u0041\"]}}\n"
                        "{\"id\": 1, \"text\": \"a\", \"id\": 2}\n");
  Result r = RunCli("classify " + in);
  EXPECT_EQ(r.code, 0);
  std::istringstream lines(r.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  EXPECT_EQ(first.rfind("{\"id\":18446744073709551617,\"text\":\"ok\",\"x\":1e2,"
                        "\"meta\":{\"w\": [2.50, \"\\u0041\"]},\"labels\":[]", 0),
            0u)
      << first;
  // Verdict-named members of the input (a gold file's labels, an earlier
  // run's truncated flag) are replaced, never written twice; the other
  // members keep their exact text.
  Result g = RunCli("classify " + Temp("gold_line.jsonl",
                                       "{\"id\": 1e2, \"labels\": [\"x\"], \"text\": \"ok\", "
                                       "\"truncated\": true, \"scores\": {}}\n"));
  EXPECT_EQ(g.out.rfind("{\"id\":1e2,\"text\":\"ok\",\"labels\":[],", 0), 0u) << g.out;
  EXPECT_EQ(g.out.find("truncated"), std::string::npos) << g.out;
  EXPECT_EQ(g.out.find("scores"), g.out.rfind("scores")) << g.out;
  // Valid JSON with a number beyond the double range is classified and the
  // number copied as written (a JSON library would reject the line).
  Result h = RunCli("classify " + Temp("huge.jsonl",
                                       "{\"d\": 1e400, \"text\": \"ты дебил\", \"n\": [-1E+999]}\n"));
  EXPECT_EQ(h.code, 0);
  EXPECT_EQ(h.out.rfind("{\"d\":1e400,\"text\":\"ты дебил\",\"n\":[-1E+999],\"labels\":[\"insult\"]", 0),
            0u)
      << h.out;
  // A token that only starts like a huge number ("1e400e") is not JSON:
  // the line is an error, not copied out as if valid.
  Result bad = RunCli("classify " + Temp("not_a_number.jsonl",
                                         "{\"id\": 1e400e, \"text\": \"x\"}\n"
                                         "{\"id\": 1, \"text\": \"x\", \"n\": -1e400-}\n"
                                         "{\"id\": 2, \"text\": \"x\", \"n\": 01e400}\n"
                                         "{\"id\": 3, \"text\": \"x\", \"n\": 1.e400}\n"
                                         "{\"id\": 4, \"text\": \"x\", \"n\": 1e40}\n"));
  EXPECT_EQ(bad.code, 1);
  auto bad_lines = Lines(bad.out);
  ASSERT_EQ(bad_lines.size(), 5u) << bad.out;
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(bad_lines[i].value("error", ""), "invalid JSON") << i;
  EXPECT_EQ(bad_lines[4].value("id", -1), 4);
  // Duplicate keys: the parsed object (last value wins) is written instead.
  auto v = nlohmann::json::parse(second);
  EXPECT_EQ(v["id"], 2);
  EXPECT_EQ(second.find("\"id\":1,"), std::string::npos) << second;
}

TEST_F(CliTest, ClassifyPlainTextLinesAndStdin) {
  std::string in = Temp("plain.txt", "хорошая погода\nну ты и дебил\n");
  Result r = RunCli("classify --text < " + in);
  EXPECT_EQ(r.code, 0);
  auto v = Lines(r.out);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0]["id"], 1);
  EXPECT_EQ(v[1]["id"], 2);
  EXPECT_EQ(v[1]["labels"], nlohmann::json({"insult"}));
}

TEST_F(CliTest, ThreadsGiveTheSameOutputInTheSameOrder) {
  std::string content;
  const char* texts[] = {"ты дебил", "обычный текст", "х*й", "пиздец", "спасибо"};
  for (int i = 0; i < 20000; ++i)
    content += "{\"id\": " + std::to_string(i) + ", \"text\": \"" + texts[i % 5] + " " +
               std::to_string(i) + "\"}\n";
  std::string in = Temp("many.jsonl", content);
  Result one = RunCli("classify --threads 1 " + in);
  Result two = RunCli("classify --threads 2 " + in);
  EXPECT_EQ(one.code, 0);
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(Lines(one.out).size(), 20000u);
}

TEST_F(CliTest, InvalidUtf8InTextIsClassifiedNotDropped) {
  std::string in = Temp("bad.txt", std::string("\xd0\xbf\xff\xfe \xd0\n", 7));
  Result r = RunCli("classify --text " + in);
  EXPECT_EQ(r.code, 0);
  auto v = Lines(r.out);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0]["labels"], nlohmann::json::array());
}

TEST_F(CliTest, ExplainShowsNormalizedViewAndRule) {
  Result r = RunCli("explain 'ну ты xyй'");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("normalized:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("хуй"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("profanity"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("rule prof."), std::string::npos) << r.out;
}

// Bidi overrides are shown escaped: the text line reads in logical order
// while the normalized view reads in display order.
TEST_F(CliTest, ExplainEscapesBidiControls) {
  Result r = RunCli("explain 'ну \u202Eкадум\u202C'");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("text:        ну \\u202Eкадум\\u202C"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[ ну мудак ]"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\xE2\x80\xAE"), std::string::npos) << r.out;
}

// "--" ends the options: a comment that starts with '-' can be explained.
TEST_F(CliTest, DoubleDashEndsOptions) {
  EXPECT_EQ(RunCli("explain '-ты дебил'").code, 2);  // read as an option
  Result r = RunCli("explain -- '-ты дебил'");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("text:        -ты дебил"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("insult"), std::string::npos) << r.out;
  Result o = RunCli("explain -- --engine");
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("text:        --engine"), std::string::npos) << o.out;
}

TEST_F(CliTest, CompileWritesAnEngineTheOtherCommandsLoad) {
  std::string out = ::testing::TempDir() + "/cli.rumod";
  Result c = RunCli("compile " RUMOD_SOURCE_DIR "/dictionaries/ru -o " + out);
  EXPECT_EQ(c.code, 0);
  ASSERT_TRUE(std::filesystem::exists(out));
  std::string in = Temp("one.txt", "ну ты и дебил\n");
  Result r = RunCli("classify --text --engine " + out + " " + in);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(Lines(r.out).at(0)["labels"], nlohmann::json({"insult"}));
  std::string junk = Temp("junk.rumod", "definitely not an engine");
  EXPECT_EQ(RunCli("classify --text --engine " + junk + " " + in).code, 1);
  EXPECT_EQ(RunCli("compile /nonexistent -o " + out).code, 1);
  EXPECT_EQ(RunCli("compile").code, 2);
}

// Exit codes of eval follow docs/cli.md: 1 when input lines were skipped
// (the report still covers the rows read), when the input has no row at
// all, or when it is a directory.
TEST_F(CliTest, EvalExitCodesForUnusableInput) {
  Result skipped = RunCli("eval --json " + Temp("skip.jsonl",
                                                "garbage\n"
                                                "{\"text\":\"ты дебил\",\"labels\":[\"insult\"]}\n"));
  EXPECT_EQ(skipped.code, 1);
  auto j = nlohmann::json::parse(skipped.out);
  EXPECT_EQ(j["rows"], 1);
  EXPECT_EQ(j["skipped_lines"], 1);
  EXPECT_EQ(RunCli("eval " + Temp("empty.jsonl", "")).code, 1);
  EXPECT_EQ(RunCli("eval " + ::testing::TempDir()).code, 1);
  // A row without a labels field is read as clean but reported.
  Result nolabels = RunCli("eval --json " + Temp("nolabels.jsonl", "{\"text\":\"погода\"}\n"));
  EXPECT_EQ(nolabels.code, 0);
  EXPECT_EQ(nlohmann::json::parse(nolabels.out)["rows_with_unknown_labels"], 1);
}

// The text report's lists of false positives/negatives stay valid UTF-8,
// one row per line: a long text is cut at a character boundary, and line
// breaks and terminal escapes in texts and ids are written as \xNN.
TEST_F(CliTest, EvalListsAreValidUtf8OneRowPerLine) {
  // 9 bytes (CR, ESC [31m, xyz) then 24-byte phrases: byte 300 is the
  // second byte of a у.
  std::string text = "\\r\\u001b[31mxyz";
  for (int i = 0; i < 40; ++i) text += "ну ты и дебил ";
  const std::string gold = Temp("cut.jsonl", "{\"id\":\"a\\nb\",\"text\":\"" + text +
                                                  "\",\"labels\":[]}\n");
  Result r = RunCli("eval " + gold);
  EXPECT_EQ(r.code, 0);
  const auto* p = reinterpret_cast<const unsigned char*>(r.out.data());
  EXPECT_EQ(std::string(r.out).find('\x1b'), std::string::npos);
  EXPECT_EQ(std::string(r.out).find('\r'), std::string::npos);
  // Valid UTF-8: every lead byte has its continuation bytes.
  for (size_t i = 0; i < r.out.size();) {
    const unsigned char c = p[i];
    const size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    ASSERT_NE(len, 0u) << "at " << i;
    ASSERT_LE(i + len, r.out.size());
    for (size_t k = 1; k < len; ++k) ASSERT_EQ(p[i + k] >> 6, 2) << "at " << i;
    i += len;
  }
  EXPECT_NE(r.out.find("a\\x0ab  \\x0d\\x1b[31mxyz"), std::string::npos) << r.out;
}

TEST_F(CliTest, EvalCountsPerCategory) {
  std::string gold = Temp("gold.jsonl",
                          "{\"id\":\"a\",\"text\":\"ты дебил\",\"labels\":[\"insult\"]}\n"
                          "{\"id\":\"b\",\"text\":\"хорошая погода\",\"labels\":[]}\n"
                          "{\"id\":\"c\",\"text\":\"хорошая погода\",\"labels\":[\"insult\"]}\n"
                          "{\"id\":\"d\",\"text\":\"пиздец\",\"labels\":[]}\n");
  Result r = RunCli("eval --json " + gold);
  EXPECT_EQ(r.code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"], 4);
  EXPECT_EQ(j["categories"]["insult"]["tp"], 1);
  EXPECT_EQ(j["categories"]["insult"]["fn"], 1);
  EXPECT_EQ(j["categories"]["insult"]["fp"], 0);
  EXPECT_EQ(j["categories"]["profanity"]["fp"], 1);
  EXPECT_DOUBLE_EQ(j["categories"]["insult"]["recall"].get<double>(), 0.5);
  // Native labels mapped to categories, with a filter.
  Result m = RunCli("eval --json --map toxic=insult --filter toxic " + Temp("native.jsonl",
                 "{\"text\":\"ты дебил\",\"labels\":[\"toxic\"]}\n"
                 "{\"text\":\"погода\",\"labels\":[]}\n"));
  auto jm = nlohmann::json::parse(m.out);
  EXPECT_EQ(jm["rows"], 1);
  EXPECT_EQ(jm["categories"]["insult"]["tp"], 1);
  // A mapped label can carry a trait: trait recall counts the gold rows
  // found as discrimination with that trait.
  Result t = RunCli("eval --json --map sexist=discrimination/sex --map other= " +
                    Temp("traits.jsonl",
                         "{\"text\":\"Все бабы дуры.\",\"labels\":[\"sexist\"]}\n"
                         "{\"text\":\"Хохлы опять всё испортили.\",\"labels\":[\"sexist\"]}\n"
                         "{\"text\":\"погода\",\"labels\":[\"other\"]}\n"));
  auto jt = nlohmann::json::parse(t.out);
  EXPECT_EQ(jt["categories"]["discrimination"]["tp"], 2);
  EXPECT_EQ(jt["trait_accuracy"]["gold_rows_with_traits"], 2);
  EXPECT_DOUBLE_EQ(jt["trait_accuracy"]["trait_recall"].get<double>(), 0.5);
  ASSERT_EQ(jt["trait_accuracy"]["mismatches"].size(), 1u);
  EXPECT_EQ(jt["trait_accuracy"]["mismatches"][0]["gold_traits"], nlohmann::json({"sex"}));
  EXPECT_EQ(RunCli("eval --map x=discrimination/colour " + gold).code, 2);
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(RunCli("").code, 2);
  EXPECT_EQ(RunCli("frobnicate").code, 2);
  EXPECT_EQ(RunCli("classify --threads").code, 2);
  EXPECT_EQ(RunCli("classify --bogus x").code, 2);
  EXPECT_EQ(RunCli("explain").code, 2);
  EXPECT_EQ(RunCli("compile " RUMOD_SOURCE_DIR "/dictionaries/ru").code, 2);  // no -o
  std::string gold = Temp("usage_gold.jsonl", "{\"text\":\"x\",\"labels\":[]}\n");
  for (const char* bad : {"--show abc", "--show 99999999999999999999", "--show -1",
                          "--map x=/sex", "--map x=discrimination/", "--map =spam",
                          "--map x=spam/martian", "--map x=foo"})
    EXPECT_EQ(RunCli(std::string("eval ") + bad + " " + gold).code, 2) << bad;
  EXPECT_EQ(RunCli("eval --show 3 " + gold).code, 0);
}

// Output that cannot be written (a full disk) is an error with a message,
// for every command, not a silent exit 0.
TEST_F(CliTest, UnwritableStandardOutputIsAnError) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  const std::string db = ::testing::TempDir() + "/full_test.db";
  std::filesystem::remove(db);
  ASSERT_EQ(RunCli("blacklist ban --db " + db +
                   " --platform vk --page 1 7 --reason test --by tester --duration 1d")
                .code,
            0);
  for (const std::string args :
       std::vector<std::string>{"explain 'ты дебил'", "--version", "--help", "blacklist bans --db " + db, "blacklist show --db " + db + " --platform vk --page 1 7",
        "blacklist report --db " + db, "blacklist audit --db " + db}) {
    const std::string cmd = std::string(RUMOD_CLI_PATH) + " " + args + " >/dev/full 2>&1";
    const int st = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(st)) << args;
    EXPECT_EQ(WEXITSTATUS(st), 1) << args;
  }
}

TEST_F(CliTest, HelpPrintsUsageAndExitsZero) {
  for (const char* cmd : {"classify", "eval", "explain", "compile", "vocab-check"}) {
    Result r = RunCli(std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find(std::string("usage: rumod ") + cmd), std::string::npos) << r.out;
  }
}

}  // namespace

namespace {
// The standard vocabulary check (issue 2): no innocent hunspell-ru word form
// may be flagged profanity by the default dictionaries.
TEST_F(CliTest, VocabCheckFlagsNoInnocentWord) {
  if (!std::filesystem::exists("/usr/share/hunspell/ru_RU.dic"))
    GTEST_SKIP() << "hunspell-ru absent";
  Result r = RunCli("vocab-check --threads 2 --allow " RUMOD_SOURCE_DIR
                    "/dictionaries/ru/vocab_obscene.txt");
  EXPECT_EQ(r.code, 0) << r.out.substr(0, 2000);
  // An allow list that is a directory, and hunspell files without a word,
  // are errors: a check of nothing is not a pass.
  EXPECT_EQ(RunCli("vocab-check --allow " + ::testing::TempDir()).code, 1);
  const std::string aff = Temp("empty.aff", ""), dic = Temp("empty.dic", "0\n");
  EXPECT_EQ(RunCli("vocab-check --hunspell-aff " + aff + " --hunspell-dic " + dic).code, 1);
}
}  // namespace

namespace {
TEST_F(CliTest, HostileJsonLinesGetErrorsOrRepairs) {
  std::string deep = "{\"id\":1,\"text\":\"ok\",\"x\":" + std::string(100000, '[') +
                     std::string(100000, ']') + "}\n";
  std::string in = Temp("hostile.jsonl",
                        deep +
                        // invalid UTF-8 byte and a lone surrogate escape inside strings
                        "{\"id\":2,\"text\":\"x\xff хуй\"}\n"
                        "{\"id\":3,\"text\":\"\\ud800 бля\"}\n"
                        "{\"id\":4,\"text\":\"ок\"}\n");
  Result r = RunCli("classify " + in);
  auto v = Lines(r.out);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0]["line"], 1);
  EXPECT_NE(v[0]["error"].get<std::string>().find("nested deeper"), std::string::npos);
  EXPECT_EQ(v[1]["labels"], nlohmann::json({"profanity"}));  // repaired, then classified
  EXPECT_EQ(v[2]["labels"], nlohmann::json({"profanity"}));
  EXPECT_EQ(v[3]["id"], 4);
}

TEST_F(CliTest, DirectoriesAndBadThreadCountsAreErrors) {
  EXPECT_EQ(RunCli("classify " + ::testing::TempDir()).code, 1);
  EXPECT_EQ(RunCli("classify --threads -1 /dev/null").code, 2);
  EXPECT_EQ(RunCli("classify --threads abc /dev/null").code, 2);
  EXPECT_EQ(RunCli("classify --threads 99999999999 /dev/null").code, 2);
  EXPECT_EQ(RunCli("compile " RUMOD_SOURCE_DIR "/dictionaries/ru -o " + ::testing::TempDir()).code,
            1);
}
}  // namespace
