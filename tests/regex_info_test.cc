// RegexAlwaysHasDigit: which dictionary regexes can only match a text with a
// digit (the matcher scans those only when the text has one).
#include <gtest/gtest.h>

#include "dictionary/regex_info.h"

namespace rumod::internal {
namespace {

TEST(RegexInfoTest, DigitLedAndDigitRequiringPatterns) {
  EXPECT_TRUE(RegexAlwaysHasDigit("[0-9]+"));
  EXPECT_TRUE(RegexAlwaysHasDigit(" [0-9]+ ?(р|руб)? в день "));
  EXPECT_TRUE(RegexAlwaysHasDigit(" (от |до )?[0-9]+( [0-9]{3})* ?(р|к)? "));
  EXPECT_TRUE(RegexAlwaysHasDigit(" ([0-9]{3,6}|[0-9]{1,3} [0-9]{3}) "));
  EXPECT_TRUE(RegexAlwaysHasDigit(" 8 ?800 ?[0-9]{3} "));
  EXPECT_TRUE(RegexAlwaysHasDigit("(?:\\d)+ раз"));
  EXPECT_TRUE(RegexAlwaysHasDigit("\\x35 лет"));
  EXPECT_TRUE(RegexAlwaysHasDigit("[2-57]{2}"));
  // Every alternative needs a digit.
  EXPECT_TRUE(RegexAlwaysHasDigit(" (каждому [0-9]+|по [0-9]+ ?(р|руб)?) "));
}

TEST(RegexInfoTest, PatternsThatCanMatchWithoutADigit) {
  EXPECT_FALSE(RegexAlwaysHasDigit(" (пиши|пишите) в лс "));
  EXPECT_FALSE(RegexAlwaysHasDigit("[0-9]* руб"));            // zero repeats
  EXPECT_FALSE(RegexAlwaysHasDigit("[0-9]? руб"));
  EXPECT_FALSE(RegexAlwaysHasDigit("[0-9]{0,3} руб"));
  EXPECT_FALSE(RegexAlwaysHasDigit(" (пара|пару|1|2|3) часа "));  // one alternative has none
  EXPECT_FALSE(RegexAlwaysHasDigit("[0-9a-z]+"));              // class with letters
  EXPECT_FALSE(RegexAlwaysHasDigit("[^0-9]+"));
  EXPECT_FALSE(RegexAlwaysHasDigit(".+"));
  EXPECT_FALSE(RegexAlwaysHasDigit("\\w+"));
  EXPECT_FALSE(RegexAlwaysHasDigit(""));
}

TEST(RegexInfoTest, UnknownOrBrokenSyntaxIsNotADigitPattern) {
  EXPECT_FALSE(RegexAlwaysHasDigit("(?=[0-9])[0-9]"));  // lookahead
  EXPECT_FALSE(RegexAlwaysHasDigit("([0-9]"));
  EXPECT_FALSE(RegexAlwaysHasDigit("[0-9"));
  EXPECT_FALSE(RegexAlwaysHasDigit("[0-9]{x}"));
  EXPECT_FALSE(RegexAlwaysHasDigit("+1"));
  EXPECT_FALSE(RegexAlwaysHasDigit("1\\"));
  EXPECT_FALSE(RegexAlwaysHasDigit("\\x3"));
  EXPECT_FALSE(RegexAlwaysHasDigit("\\xzz1"));
}

TEST(RegexInfoTest, FixedSpaceCountGivesTheStartWithoutSom) {
  // Every match has exactly k spaces and begins and ends with one.
  EXPECT_EQ(AnalyzeRegex(" (ab|cd|e) ").fixed_spaces, 2);
  EXPECT_EQ(AnalyzeRegex(" ab[^ ]* cd[^\\x20]* ").fixed_spaces, 3);
  EXPECT_EQ(AnalyzeRegex("\\x20ab( cd| ef) ").fixed_spaces, 3);
  EXPECT_EQ(AnalyzeRegex(" (a|b){2} ").fixed_spaces, 2);
  // Not fixed: alternatives with different counts, an optional or repeated
  // space, a class or '.' that can be a space, a match not led by a space.
  EXPECT_EQ(AnalyzeRegex(" (ab|ab cd) ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" ab ?cd ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" [0-9]+( [0-9]{3})* ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" a.b ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" a[^b]c ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" a\\sc ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex("ab cd ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" ab cd").fixed_spaces, -1);   // would walk back from every byte
  EXPECT_EQ(AnalyzeRegex(" ab[^ ]*").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex(" ab( |c )").fixed_spaces, 2);
  EXPECT_EQ(AnalyzeRegex(" ab( |c ?)").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex("( )?ab ").fixed_spaces, -1);
  EXPECT_EQ(AnalyzeRegex("(?=a) a ").fixed_spaces, -1);  // unknown syntax
}

TEST(RegexInfoTest, MaxWidthAndAnchors) {
  EXPECT_EQ(AnalyzeRegex(" (ab|cde) ").max_width, 5u);
  EXPECT_EQ(AnalyzeRegex(" a{2,4}b? ").max_width, 7u);
  EXPECT_EQ(AnalyzeRegex("\\xd0\\xb0[a-c]").max_width, 3u);
  EXPECT_EQ(AnalyzeRegex(" a+ ").max_width, RegexShape::kUnbounded);
  EXPECT_EQ(AnalyzeRegex(" a{2,} ").max_width, RegexShape::kUnbounded);
  EXPECT_EQ(AnalyzeRegex(" (a|b*) ").max_width, RegexShape::kUnbounded);
  EXPECT_FALSE(AnalyzeRegex(" a ").anchored);
  EXPECT_TRUE(AnalyzeRegex("^ a ").anchored);
  EXPECT_TRUE(AnalyzeRegex(" a$").anchored);
  EXPECT_FALSE(AnalyzeRegex("a{3,1}").known);
  EXPECT_FALSE(AnalyzeRegex("a{1,x}").known);
}

TEST(RegexInfoTest, LongestNonDigitRunBoundsTheDigitWindow) {
  // " р " after the last digit group; the digit groups are internal.
  EXPECT_EQ(AnalyzeRegex(" [0-9]+( [0-9]{3})* (р|руб) ").max_nondigit_run, 8u);
  EXPECT_EQ(AnalyzeRegex(" от [0-9]+ до [0-9]+ ").max_nondigit_run, 6u);  // " до ": 6 UTF-8 bytes
  EXPECT_EQ(AnalyzeRegex(" (a|bc)?[0-9]{2}(x|yz) ").max_nondigit_run, 3u);
  EXPECT_EQ(AnalyzeRegex("[0-9]+").max_nondigit_run, 0u);
  // Repeats of pieces without digits chain up; unbounded ones are unbounded.
  EXPECT_EQ(AnalyzeRegex("[0-9](ab){3}[0-9]").max_nondigit_run, 6u);
  EXPECT_EQ(AnalyzeRegex("[0-9](ab[0-9]?){3}").max_nondigit_run, 6u);
  EXPECT_EQ(AnalyzeRegex("[0-9][a-z]* ").max_nondigit_run, RegexShape::kUnbounded);
  EXPECT_EQ(AnalyzeRegex("[0-9]+(a|[0-9])* ").max_nondigit_run, RegexShape::kUnbounded);
  EXPECT_EQ(LongestNondigitRun(" 18 лет "), 8u);
  EXPECT_EQ(LongestNondigitRun("ab12cde3"), 3u);
  EXPECT_EQ(LongestNondigitRun("123"), 0u);
}

}  // namespace
}  // namespace rumod::internal
