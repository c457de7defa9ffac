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

}  // namespace
}  // namespace rumod::internal
