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

}  // namespace
}  // namespace rumod
