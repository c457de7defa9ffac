// Evasions of the profanity and insult rules, against the embedded default
// engine: spellings that a reader still reads as the obscene or insulting
// word. The normalizer's own tests (normalizer_test.cc) check the views;
// these check that the verdict follows, and that the innocent words written
// the same way stay clean.
#include "default_engine_util.h"

namespace rumod {
namespace {

using testing_util::ClassifyWithDefaultEngine;
using testing_util::HasLabel;

bool IsProfanity(const std::string& text) {
  return HasLabel(ClassifyWithDefaultEngine(text), Category::kProfanity);
}
bool IsInsult(const std::string& text) {
  return HasLabel(ClassifyWithDefaultEngine(text), Category::kInsult);
}

// Latin letters typed for their sound inside a Cyrillic word: p for п
// (by shape it is р), c for ц, u for у, n for н, h for х, y for ы.
TEST(EvasionTest, LatinLettersTypedForTheirSound) {
  EXPECT_TRUE(IsProfanity("pиздец какой-то"));
  EXPECT_TRUE(IsProfanity("ну и pиздёж"));
  EXPECT_TRUE(IsProfanity("охуeнно, ничего не скажешь"));  // e: same both ways
  EXPECT_TRUE(IsInsult("ну ты и pидор"));
  EXPECT_TRUE(IsInsult("заткнись, дebил"));
  // The shape reading still works as before.
  EXPECT_TRUE(IsProfanity("пиздеc"));
  EXPECT_TRUE(IsInsult("ты дуpак"));
}

TEST(EvasionTest, SoundReadingsOfInnocentMixedWordsStayClean) {
  // The sound readings (цтарый, ручка...) are no words of the lexicons.
  EXPECT_FALSE(IsProfanity("cтарый pынок закрыли"));
  EXPECT_FALSE(IsInsult("купил pучку и тетpадь"));
  EXPECT_FALSE(IsProfanity("Ha cобрании решили поднять тариф"));
  EXPECT_FALSE(IsInsult("Ha cобрании решили поднять тариф"));
}

// Letters split by emoji read as one word, as split by spaces or dots do.
TEST(EvasionTest, EmojiBetweenLetters) {
  EXPECT_TRUE(IsProfanity("х😀у😀й вам, а не ремонт"));
  EXPECT_TRUE(IsInsult("ну ты и д🤡е🤡б🤡и🤡л"));
  EXPECT_FALSE(IsProfanity("я 😀 и 😀 ты"));
}

// Commas and slashes between letters, as list punctuation.
TEST(EvasionTest, CommasAndSlashesBetweenLetters) {
  EXPECT_TRUE(IsProfanity("да х,у,й знает"));
  EXPECT_TRUE(IsProfanity("п/и/з/д/е/ц какой-то"));
  EXPECT_FALSE(IsProfanity("выберите ответ а, б или в"));
}

// A right-to-left override shows the letters after it in reverse order.
TEST(EvasionTest, RightToLeftOverrideShowsReversedLetters) {
  EXPECT_TRUE(IsProfanity("\u202Eйух\u202C, а не ремонт"));
  EXPECT_TRUE(IsInsult("ну ты и \u202Eкадум\u202C"));
  // Without the override the same letters are no word.
  EXPECT_FALSE(IsProfanity("йух, а не ремонт"));
  // The reversed reading of innocent words stays innocent.
  EXPECT_FALSE(IsProfanity("\u202Eтсет\u202C"));
}

}  // namespace
}  // namespace rumod
