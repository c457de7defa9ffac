// Unit tests of rumod::ConfusableTable::Parse (format: docs/normalization.md)
// and of how table entries drive the normalizer.
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rumod/normalizer.h"
#include "rumod/verdict.h"
#include "project_tables.h"

namespace rumod {
namespace {

using ::testing::HasSubstr;

std::string Error(std::string_view tsv) {
  auto t = ConfusableTable::Parse(tsv, "t.tsv");
  if (t.ok()) return "OK";
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(t.status().message());
}

std::string View(const Normalizer& n, std::string_view text) {
  NormalizedText out;
  n.Normalize(text, &out);
  return ViewToUtf8(out.text.bytes);
}

TEST(ConfusablesTest, ShippedTableParses) {
  const std::string path = testing_util::ProjectConfusablesPath();
  const std::string tsv = testing_util::ReadFileOrFail(path);
  ASSERT_FALSE(tsv.empty());
  auto t = ConfusableTable::Parse(tsv, path);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->source(), tsv);
}

TEST(ConfusablesTest, EmptyTableIsValid) {
  auto t = ConfusableTable::Parse("", "empty.tsv");
  ASSERT_TRUE(t.ok());
  Normalizer n(*std::move(t));
  // Without a table nothing is mapped, but folding still works.
  EXPECT_EQ(View(n, "XyЙ Ёж"), " xyй еж ");
}

TEST(ConfusablesTest, CommentsBlankLinesAndCrlf) {
  EXPECT_EQ(Error("# comment\n\n[lookalike]\r\nx\tх\t# trailing\r\n"), "OK");
}

TEST(ConfusablesTest, CodePointNotation) {
  auto t = ConfusableTable::Parse(
      "[mask]\nU+0023\n[lookalike]\nU+007C U+002D U+007C\tн\n", "t");
  ASSERT_TRUE(t.ok()) << t.status();
  Normalizer n(*std::move(t));
  EXPECT_EQ(View(n, "п#здец"), " п*здец ");
  EXPECT_EQ(View(n, "|-|у"), " ну ");
}

TEST(ConfusablesTest, SourcesAreFolded) {
  // Upper-case and fullwidth sources mean their folded forms.
  auto t = ConfusableTable::Parse("[lookalike]\nＸ\tх\nY\tу\n", "t");
  ASSERT_TRUE(t.ok()) << t.status();
  Normalizer n(*std::move(t));
  EXPECT_EQ(View(n, "xyй"), " хуй ");
}

TEST(ConfusablesTest, ErrorsNameFileAndLine) {
  EXPECT_THAT(Error("x\tх\n"), HasSubstr("t.tsv:1: entry before"));
  EXPECT_THAT(Error("[lookalike]\n\n[bogus]\n"),
              HasSubstr("t.tsv:3: unknown section"));
}

TEST(ConfusablesTest, LookalikeErrors) {
  EXPECT_THAT(Error("[lookalike]\nx\n"), HasSubstr(":2: a [lookalike] entry"));
  EXPECT_THAT(Error("[lookalike]\nx\tх\tу\n"),
              HasSubstr(":2: a [lookalike] entry"));
  EXPECT_THAT(Error("[lookalike]\nx\tx\n"), HasSubstr("must be Cyrillic"));
  EXPECT_THAT(Error("[lookalike]\nxа\tх\n"),
              HasSubstr("already contains a Cyrillic"));
  EXPECT_THAT(Error("[lookalike]\nx\tх\nX\tж\n"),
              HasSubstr(":3: duplicate source"));
  EXPECT_THAT(Error("[lookalike]\nx\tабвгд\n"), HasSubstr("1..4 Cyrillic"));
  EXPECT_THAT(Error("[lookalike]\n\u200D\tх\n"), HasSubstr("empty after"));
  EXPECT_THAT(Error("[lookalike]\nx\t\tх\n"), HasSubstr("empty field"));
  EXPECT_THAT(Error("[lookalike]\nU+ZZ\tх\n"), HasSubstr("code point"));
  EXPECT_THAT(Error("[lookalike]\nU+D800\tх\n"), HasSubstr("code point"));
  EXPECT_THAT(Error("[lookalike]\n\xFF\tх\n"), HasSubstr("UTF-8"));
  EXPECT_THAT(Error("[lookalike]\na b\tх\n"), HasSubstr("white space"));
}

TEST(ConfusablesTest, TranslitErrors) {
  EXPECT_THAT(Error("[translit]\nя\tя\n"), HasSubstr("Latin letters"));
  EXPECT_THAT(Error("[translit]\ny\tй\tbefore_vowel\n"),
              HasSubstr("unknown context"));
  EXPECT_THAT(Error("[translit]\nabcde\tа\n"), HasSubstr("longer than 4"));
  EXPECT_THAT(Error("[translit]\na\tа\na\tя\n"), HasSubstr(":3: duplicate"));
  EXPECT_EQ(Error("[translit]\ny\tы\ny\tй\tafter_vowel\n"), "OK");
  EXPECT_THAT(Error("[translit]\nsh\tшшш\n"), HasSubstr("1..2 Cyrillic"));
}

TEST(ConfusablesTest, SymbolAndMaskErrors) {
  EXPECT_THAT(Error("[symbol]\n🖕\tMiddle\n"), HasSubstr("[a-z_]+"));
  EXPECT_THAT(Error("[symbol]\n🖕\n"), HasSubstr("a [symbol] entry"));
  EXPECT_THAT(Error("[symbol]\nab\ttag\n"), HasSubstr("exactly one"));
  EXPECT_THAT(Error("[mask]\nx\n"), HasSubstr("cannot be a symbol or mask"));
  EXPECT_THAT(Error("[mask]\n.\n"), HasSubstr("cannot be a symbol or mask"));
  EXPECT_THAT(Error("[mask]\n*\n*\n"), HasSubstr(":3: duplicate"));
  EXPECT_THAT(Error("[mask]\n@\n[lookalike]\n@\tа\n"),
              HasSubstr("already a symbol/mask"));
  EXPECT_THAT(Error("[lookalike]\n@\tа\n[mask]\n@\n"),
              HasSubstr("already a look-alike"));
}

TEST(ConfusablesTest, ExoticErrors) {
  EXPECT_EQ(Error("[exotic]\nU+1D00\tа\nᴛ\tт\n"), "OK");
  EXPECT_THAT(Error("[exotic]\nᴀ\n"), HasSubstr(":2: an [exotic] entry"));
  EXPECT_THAT(Error("[exotic]\nᴀᴛ\tа\n"), HasSubstr("exactly one code point"));
  EXPECT_THAT(Error("[exotic]\nᴀ\tаб\n"), HasSubstr("one Cyrillic letter"));
  EXPECT_THAT(Error("[exotic]\nᴀ\ta\n"), HasSubstr("one Cyrillic letter"));
  EXPECT_THAT(Error("[exotic]\na\tа\n"), HasSubstr("reserved"));
  EXPECT_THAT(Error("[exotic]\né\tе\n"), HasSubstr("reserved"));
  EXPECT_THAT(Error("[exotic]\nѕ\tс\n"), HasSubstr("reserved"));
  EXPECT_THAT(Error("[exotic]\nᴀ\tа\nU+1D00\tо\n"), HasSubstr(":3: duplicate source"));
  EXPECT_THAT(Error("[lookalike]\nα\tа\n[exotic]\nα\tа\n"),
              HasSubstr("already a look-alike"));
  EXPECT_THAT(Error("[exotic]\nα\tа\n[lookalike]\nα\tа\n"),
              HasSubstr("already [exotic]"));
  EXPECT_THAT(Error("[exotic]\nɛ\tе\n[symbol]\nɛ\tskull\n"), HasSubstr(":4: 'ɛ' is already [exotic]"));
  // Only letters: no symbols, marks, spaces, format characters or digits
  // (they would join or split words: "до́ма" read as "доама").
  EXPECT_THAT(Error("[exotic]\n☠\tа\n"), HasSubstr("t.tsv:2: '☠' cannot be [exotic]: only letters"));
  EXPECT_THAT(Error("[exotic]\nU+0301\tа\n"), HasSubstr(":2: 'U+0301' cannot be [exotic]"));
  EXPECT_THAT(Error("[exotic]\nU+3000\tа\n"), HasSubstr("only letters"));
  EXPECT_THAT(Error("[exotic]\nU+FEFF\tа\n"), HasSubstr("only letters"));
  EXPECT_THAT(Error("[exotic]\nU+0661\tа\n"), HasSubstr("only letters"));
  // Targets are а..я: ё is not one (the view writes ё as е).
  EXPECT_THAT(Error("[exotic]\nᴀ\tё\n"), HasSubstr(":2: target 'ё' must be one Cyrillic letter"));
  // Upper and lower case of a letter read as one letter.
  EXPECT_THAT(Error("[exotic]\nU+2C81\tа\nU+2C80\tб\n"),
              HasSubstr(":3: 'U+2C80' and its other case (line 2) map to different letters"));
  EXPECT_EQ(Error("[exotic]\nU+2C81\tа\nU+2C80\tа\n"), "OK");
  // A UTF-8 byte order mark before the first line is skipped.
  EXPECT_EQ(Error("\xEF\xBB\xBF[exotic]\nU+1D00\tа\n"), "OK");
  EXPECT_THAT(Error("[exotic]\n\xEF\xBB\xBF[lookalike]\n"), HasSubstr(":2: "));
}

TEST(ConfusablesTest, ExoticLettersAreCyrillicInAnyWord) {
  auto t = ConfusableTable::Parse(
      "[lookalike]\na\tа\n[exotic]\nᴛ\tт\nᴀ\tа\nᴋ\tк\nɯ\tш\n", "t");
  ASSERT_TRUE(t.ok()) << t.status();
  Normalizer n(*std::move(t));
  NormalizedText out;
  // A word made only of exotic letters becomes Cyrillic (a [lookalike]
  // would need a Cyrillic letter in the word); Latin look-alikes next to
  // them are then read as Cyrillic too.
  n.Normalize("ᴛᴀᴋ каɯа, ᴛaᴋ", &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " так каша так ");
  EXPECT_EQ(out.mixed_script_words, 3u);
  EXPECT_TRUE(out.flags & kInputConfusables);
  // The upper case Ɯ folds to the source ɯ. Offsets point at the exotic
  // letters' bytes.
  n.Normalize("Ɯᴀ", &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " ша ");
  EXPECT_EQ(out.text.begin[1], 0u);
  EXPECT_EQ(out.text.end[1], 2u);
  EXPECT_EQ(out.text.begin[2], 2u);
  EXPECT_EQ(out.text.end[2], 5u);
  // Without exotic letters nothing is counted.
  n.Normalize("так каша", &out);
  EXPECT_EQ(out.mixed_script_words, 0u);
  EXPECT_FALSE(out.flags & kInputConfusables);
}

TEST(ConfusablesTest, TableDrivesNormalizer) {
  auto t = ConfusableTable::Parse(
      "[lookalike]\nq\tя\n[translit]\nq\tк\nu\tу\n[symbol]\n☠\tskull\n"
      "[mask]\n+\n",
      "t");
  ASSERT_TRUE(t.ok()) << t.status();
  Normalizer n(*std::move(t));
  EXPECT_EQ(View(n, "блq"), " бля ");
  EXPECT_EQ(View(n, "х+й"), " х*й ");
  EXPECT_EQ(View(n, "ну☠"), " ну {skull} ");
  NormalizedText out;
  n.Normalize("qu", &out);
  EXPECT_EQ(ViewToUtf8(out.translit.bytes), " ку ");
}

TEST(ConfusablesTest, CopyAndMove) {
  auto t = ConfusableTable::Parse("[lookalike]\nx\tх\n", "t");
  ASSERT_TRUE(t.ok());
  ConfusableTable a = *t;  // copy
  ConfusableTable b = std::move(*t);
  EXPECT_EQ(a.source(), b.source());
  a = b;
  Normalizer n(std::move(a));
  EXPECT_EQ(n.table().source(), "[lookalike]\nx\tх\n");
  EXPECT_EQ(View(n, "xо"), " хо ");
}

}  // namespace
}  // namespace rumod
