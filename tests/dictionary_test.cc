// Dictionary source parser: syntax, defaults, and one test per invalid input.
#include "rumod/dictionary.h"

#include <gtest/gtest.h>

#include <filesystem>

#include <random>
#include <string>

namespace rumod {
namespace {

absl::StatusOr<Dictionary> ParseOne(const std::string& text) {
  return Dictionary::Parse({{"t.dict", text}}, "");
}

std::string ErrorOf(const std::string& text) {
  auto d = ParseOne(text);
  EXPECT_FALSE(d.ok()) << text;
  return d.ok() ? "" : std::string(d.status().message());
}

TEST(DictionaryTest, ParsesEntriesDirectivesAndOptions) {
  auto d = ParseOne(R"(# header comment
@category insult
@severity 3
ins.durak   lemma  дурак   severity=2   # trailing comment
ins.kozel   lemma  козёл   aim=required severity=1
prof.khuy   root   хуй     category=profanity also=insult
prof.eb     root   еба     category=profanity at=start prefixes=за,вы
ins.poshel  phrase "пош* на хуй" category=profanity also=insult
@trait nationality
@category discrimination
disc.x      word   слово   forms=слова,словом
disc.re     regex  "(а|б)+в"
exc.prof.k  except ^корабл category=profanity
)");
  ASSERT_TRUE(d.ok()) << d.status();
  const auto& e = d->entries();
  ASSERT_EQ(e.size(), 8u);
  EXPECT_EQ(e[0].id, "ins.durak");
  EXPECT_EQ(e[0].category, Category::kInsult);
  EXPECT_EQ(e[0].kind, EntryKind::kLemma);
  EXPECT_EQ(e[0].severity, 2);
  EXPECT_EQ(e[0].line, 4);
  EXPECT_EQ(e[0].file, "t.dict");
  EXPECT_EQ(e[1].aim, Aim::kRequired);
  EXPECT_EQ(e[1].severity, 1);
  EXPECT_EQ(e[2].category, Category::kProfanity);
  EXPECT_EQ(e[2].also, Category::kInsult);
  EXPECT_EQ(e[2].severity, 3);  // @severity default
  EXPECT_EQ(e[3].position, RootPosition::kStart);
  EXPECT_EQ(e[3].prefixes, (std::vector<std::string>{"за", "вы"}));
  EXPECT_EQ(e[4].pattern, "пош* на хуй");
  EXPECT_EQ(e[5].trait, Trait::kNationality);
  EXPECT_EQ(e[5].extra_forms, (std::vector<std::string>{"слова", "словом"}));
  EXPECT_EQ(e[6].pattern, "(а|б)+в");
  EXPECT_EQ(e[7].kind, EntryKind::kExcept);
  EXPECT_EQ(e[7].category, Category::kProfanity);
}

TEST(DictionaryTest, ContentHashChangesWithSources) {
  auto a = Dictionary::Parse({{"a.dict", "@category insult\nx.a word а\n"}}, "t");
  auto b = Dictionary::Parse({{"a.dict", "@category insult\nx.a word б\n"}}, "t");
  auto c = Dictionary::Parse({{"a.dict", "@category insult\nx.a word а\n"}}, "t");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE(a->content_hash(), b->content_hash());
  EXPECT_EQ(a->content_hash(), c->content_hash());
}

struct BadCase {
  const char* text;
  const char* expect;  // substring of the error message
};

class DictionaryErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(DictionaryErrorTest, NamesFileLineAndReason) {
  std::string msg = ErrorOf(std::string("@category profanity\n") + GetParam().text);
  EXPECT_NE(msg.find("t.dict:2"), std::string::npos) << msg;
  EXPECT_NE(msg.find(GetParam().expect), std::string::npos) << msg;
}

INSTANTIATE_TEST_SUITE_P(
    Invalid, DictionaryErrorTest,
    ::testing::Values(
        BadCase{"@category nonsense\n", "unknown category"},
        BadCase{"@trait colour\n", "unknown trait"},
        BadCase{"@severity 4\n", "severity must be 1..3"},
        BadCase{"@severity\n", "one value"},
        BadCase{"@frobnicate x\n", "unknown directive"},
        BadCase{"Bad.Id word x\n", "invalid id"},
        BadCase{"a.b word\n", "expected: <id> <kind> <pattern>"},
        BadCase{"a.b noun x\n", "unknown kind"},
        BadCase{"a.b word \"\"\n", "empty pattern"},
        BadCase{"a.b word x severity=0\n", "[a.b] severity must be 1..3"},
        BadCase{"a.b word x colour=red\n", "[a.b] unknown option colour"},
        BadCase{"a.b word x novalue\n", "expected key=value"},
        BadCase{"a.b word x like=y\n", "like= applies to lemma"},
        BadCase{"a.b lemma x at=start\n", "at= applies to root"},
        BadCase{"a.b root x at=middle\n", "at= must be start or any"},
        BadCase{"a.b root x prefixes=за\n", "prefixes= needs at=start"},
        BadCase{"a.b word x also=nothing\n", "unknown category in also="},
        BadCase{"a.b word x category=insult also=insult\n", "repeats"},
        BadCase{"a.b word x category=profanity aim=required\n", "aim=required/addressee applies"},
        BadCase{"a.b word x aim=maybe\n", "aim= must be"},
        BadCase{"a.b word \"two words\"\n", "must be one word"},
        BadCase{"a.b phrase \"open quote\n", "[a.b] unterminated"},
        BadCase{"a.b word \"closed\"glued\n", "[a.b] text after a closing double quote"},
        BadCase{"a.b word \xff\n", "[a.b] invalid UTF-8"},
        BadCase{"a.b word x trait=colour\n", "unknown trait colour"},
        BadCase{"a.b word x tags=Bad-Tag\n", "invalid tag"},
        BadCase{"a.b word x weight=1.5\n", "weight must be a number in 0..1"},
        BadCase{"a.b word x weight=nan\n", "weight must be a number in 0..1"},
        BadCase{"a.b word x weight=0x1p-1\n", "weight must be a number in 0..1"},
        BadCase{"a.b word x tags=\n", "[a.b] invalid tag ''"},
        BadCase{"a.b word x tags=a,,b\n", "[a.b] invalid tag ''"},
        BadCase{"a.b regex \"((((((((((((((((((((((((((((((((((а))))))))))))))))))))))))))))))))))\"\n",
                "[a.b] regex nests groups 34 deep (limit 32)"},
        BadCase{"a.b word x window=3\n", "window= applies to combo"},
        BadCase{"a.b combo \"g\" window=0\n", "window must be 1..50"},
        BadCase{"a.b combo \"g\" order=random\n", "order= must be seq or any"},
        BadCase{"a.b combo \"!g\"\n", "at least one positive tag"},
        BadCase{"a.b combo \"g h.i\"\n", "invalid combo term"},
        BadCase{"a.b combo g category=-\n", "needs a category"},
        BadCase{"a.b word x category=- also=insult\n", "also= needs a category"},
        BadCase{"a.b word x severity=1 severity=3\n", "[a.b] option severity given twice"},
        BadCase{"a.b lemma x aim=required aim=addressee\n", "option aim given twice"}));

// A regex nesting groups tens of thousands deep is refused when parsed,
// before any recursive reader of regexes (the finite-language expansion,
// the shape analysis, Hyperscan) sees it; brackets inside a class or
// escaped do not nest, and 32 levels are accepted.
TEST(DictionaryTest, DeeplyNestedRegexIsAnErrorNotAStackOverflow) {
  const std::string deep = "@category profanity\nr.deep regex \"" + std::string(40000, '(') + "\"\n";
  std::string msg = ErrorOf(deep);
  EXPECT_NE(msg.find("t.dict:2: [r.deep] regex nests groups 40000 deep"), std::string::npos) << msg;
  msg = ErrorOf("@category profanity\nr.over regex \"" + std::string(33, '(') + "а" +
                std::string(33, ')') + "\"\n");
  EXPECT_NE(msg.find("[r.over] regex nests groups 33 deep (limit 32)"), std::string::npos) << msg;
  const std::string flat = "@category profanity\nr.flat regex \"[(((((((((((((((((((((((((((((((((((] \\\\( " +
                           std::string(32, '(') + "а" + std::string(32, ')') + "\"\n";
  auto d = ParseOne(flat);
  ASSERT_TRUE(d.ok()) << d.status();
  // The same regex compiles: engine_test.cc, RegexNestedToTheLimitCompiles.
}

// A UTF-8 byte-order mark at the start of a .dict file is skipped, as in
// confusables.tsv and domains.tsv (editors on Windows write one).
TEST(DictionaryTest, LeadingByteOrderMarkIsSkipped) {
  auto d = Dictionary::Parse({{"t.dict", "\xEF\xBB\xBF@category insult\nx.a word а\n"}}, "t");
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->entries().size(), 1u);
  EXPECT_EQ(d->entries()[0].line, 2);
}

// Random edits of a valid source never crash the parser (fuzz-style).
TEST(DictionaryTest, MutatedSourcesNeverCrash) {
  const std::string base =
      "@category insult\nins.a lemma дурак severity=2 aim=required\n"
      "x.p phrase \"пош* на\" category=profanity also=insult tags=a,b\n"
      "@category -\ng.x word слово trait=sex tags=g\n@category hate\nh.c combo \"g !a\" window=3\n";
  const std::string alphabet = " \t\n\"=@#,!*-абвxyz0139";
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string m = base;
    for (int k = 0, n = 1 + rng() % 5; k < n; ++k) {
      size_t at = rng() % m.size();
      switch (rng() % 3) {
        case 0: m[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: m.erase(at, 1 + rng() % 3); break;
        default: m.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
      if (m.empty()) m = "x";
    }
    auto d = ParseOne(m);
    if (!d.ok()) EXPECT_NE(d.status().message().find("t.dict:"), std::string::npos);
  }
}

// docs/dictionaries.md: each file starts with no category, so an entry
// before any @category and without category= is an error (it used to be
// filed silently as profanity).
TEST(DictionaryTest, EntryWithoutCategoryIsAnError) {
  EXPECT_NE(ErrorOf("# no directive yet\nx.a word а\n").find("t.dict:2: [x.a] no category"),
            std::string::npos);
  // A category does not carry over from one file to the next.
  auto d = Dictionary::Parse({{"a.dict", "@category insult\nx.a word а\n"}, {"b.dict", "x.b word б\n"}},
                             "");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("b.dict:1: [x.b] no category"), std::string::npos)
      << d.status();
  auto own = ParseOne("x.a word а category=hate\nx.b word б category=-\n");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->entries()[0].category, Category::kHate);
  EXPECT_TRUE(own->entries()[1].tag_only);
}

// Errors quote the source cut short and escaped: a binary file as a .dict
// gives a short, printable message.
TEST(DictionaryTest, ErrorsQuoteGarbageShortAndEscaped) {
  const std::string long_id = ErrorOf(std::string(5000, 'Z') + " word x\n");
  EXPECT_LT(long_id.size(), 200u) << long_id;
  EXPECT_NE(long_id.find("...] invalid id"), std::string::npos) << long_id;
  const std::string ctl = ErrorOf("x\x01y word z\n");
  EXPECT_NE(ctl.find("[x\\x01y] invalid id"), std::string::npos) << ctl;
  const std::string bin = ErrorOf(std::string("@category insult\n\x80\xff\xfe garbage\n"));
  EXPECT_NE(bin.find("t.dict:2: invalid UTF-8"), std::string::npos) << bin;
}

TEST(DictionaryTest, DuplicateIdsAcrossFilesAreErrors) {
  auto d = Dictionary::Parse(
      {{"a.dict", "@category insult\nx.one word а\n"}, {"b.dict", "@category insult\n\nx.one word б\n"}}, "");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("b.dict:3: [x.one] duplicate id"), std::string::npos)
      << d.status();
}

TEST(DictionaryTest, MissingDirectoryIsNotFound) {
  auto d = Dictionary::LoadDirectory("/nonexistent/rumod/dict");
  EXPECT_EQ(d.status().code(), absl::StatusCode::kNotFound);
}

TEST(DictionaryTest, EndlessSourceIsAnErrorNotAnAllocationFailure) {
  // A .dict that is a symlink to /dev/zero must stop at the size limit.
  std::string dir = ::testing::TempDir() + "/endless_dict";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink("/dev/zero", dir + "/zero.dict");
  auto d = Dictionary::LoadDirectory(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), absl::StatusCode::kResourceExhausted) << d.status();
  EXPECT_NE(d.status().message().find("zero.dict"), std::string::npos) << d.status();
  std::filesystem::remove_all(dir);
}

TEST(DictionaryTest, DefaultDictionariesParse) {
  auto d = Dictionary::LoadDirectory(RUMOD_SOURCE_DIR "/dictionaries/ru");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_GT(d->entries().size(), 100u);
  EXPECT_FALSE(d->confusables_tsv().empty());
}

}  // namespace
}  // namespace rumod
