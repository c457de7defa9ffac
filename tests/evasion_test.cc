// Evasions of the profanity and insult rules, against the embedded default
// engine: spellings that a reader still reads as the obscene or insulting
// word. The normalizer's own tests (normalizer_test.cc) check the views;
// these check that the verdict follows, and that the innocent words written
// the same way stay clean.
#include "default_engine_util.h"

namespace rumod {
namespace {

using testing_util::ClassifyWithDefaultEngine;
using testing_util::DefaultLabels;
using testing_util::HasLabel;

bool IsProfanity(const std::string& text) { return DefaultLabels(text, Category::kProfanity); }
bool IsInsult(const std::string& text) { return DefaultLabels(text, Category::kInsult); }

// A Latin p typed for п at the start of a Cyrillic word (by shape it is р).
TEST(EvasionTest, LatinPTypedForPe) {
  EXPECT_TRUE(IsProfanity("pиздец какой-то"));
  EXPECT_TRUE(IsProfanity("ну и pиздёж"));
  EXPECT_TRUE(IsInsult("ну ты и pидор"));
  EXPECT_TRUE(IsInsult("ну ты и pидоp"));
  // Words that are insults only when aimed see the cues of the comment.
  EXPECT_TRUE(IsInsult("ты pсих"));
  EXPECT_TRUE(IsInsult("ты pетух"));
  EXPECT_TRUE(IsInsult("ты p1дор"));  // a digit look-alike after the p
  // The shape reading still works as before.
  EXPECT_TRUE(IsProfanity("пиздеc"));
  EXPECT_TRUE(IsInsult("ты дуpак"));
}

// Latin look-alikes typed for their shape (caps typed on a Latin layout,
// a mixed keyboard) stay innocent: no sound reading inside words or for the
// letters that are mostly shape (b в, h н, u и, n п, c с, y у).
TEST(EvasionTest, ShapeTypedLookalikesStayClean) {
  for (const char* text :
       {"Курс Еbро вырос", "Встретимся в коpидоре", "После пеpеезда", "Нью-Йоpк",
        "Меня это волhует", "Hули в конце числа", "Иbан Петрович", "Пpидерживайтесь правил",
        "MЫ ПOEДEM B EBPOПY ЛETOM", "Pынок закрыт", "купил pастение", "Cтарый pынок"}) {
    EXPECT_FALSE(IsProfanity(text)) << text;
    EXPECT_FALSE(IsInsult(text)) << text;
  }
}

// Masks hide name-calling and the words combos read, not only мат. A
// name-calling word read from a mask is an insult when aimed at a person.
TEST(EvasionTest, MasksHideNameCalling) {
  EXPECT_TRUE(IsInsult("ты д*бил"));
  EXPECT_TRUE(IsInsult("ну ты и и**от"));
  EXPECT_TRUE(IsInsult("ты с*ка"));
  EXPECT_TRUE(IsInsult("эти тв*ри опять всё сломали"));
  EXPECT_TRUE(IsInsult("Ид*от, убери машину с газона"));
  EXPECT_TRUE(IsInsult("бабы ту*ые"));  // a masked tag word feeds its combo
  EXPECT_TRUE(DefaultLabels("бабы ту*ые", Category::kDiscrimination));
  // Not aimed: a masked name or town that spells a name-calling word.
  for (const char* text : {"Соседка Га*ина Петровна опять шумит", "соседка га*ина петровна",
                           "ПРОШУ РАЗОБРАТЬСЯ С СОСЕДКОЙ ГА*ИНОЙ ИЗ 5 КВАРТИРЫ",
                           "С ТВ*РЬЮ связи нет", "Ни*а из пятого подъезда"}) {
    EXPECT_FALSE(IsInsult(text)) << text;
  }
  // Only an exact reading, one letter per mask symbol, of a whole word from
  // its first letter, with 3+ real letters, never a dot run; slurs and
  // roots of the other categories are no mask targets.
  for (const char* text : {"ты д***к", "ну да...а утром они все куда-то исчезают",
                           "Всё будет хо*ошо", "Жители Жи*омира", "ра*стройство желудка",
                           "Мэр Т*рина", "Вот такой Ва**к", "Я...мать троих детей",
                           "не...человек", "Мы с...вами", "А с...чем это связано?", "Ну и...дом",
                           "С праздником, @Родина!", "ВСЕМ ПРИВЕТ, НИ*А ИЗ 5 КВАРТИРЫ"}) {
    const Verdict v = ClassifyWithDefaultEngine(text);
    EXPECT_FALSE(IsInsult(text)) << text;
    EXPECT_FALSE(HasLabel(v, Category::kDiscrimination)) << text;
    EXPECT_FALSE(HasLabel(v, Category::kHate)) << text;
  }
}

// Masked мат keeps its readings next to the name-calling ones.
TEST(EvasionTest, MaskedProfanityKeepsItsReadings) {
  for (const char* text : {"на дорогах полный п***ец", "П***ЕЦ с этими дорогами",
                           "с этим долб**ом", "с этой б**ью", "Мир катится в пи**у",
                           "ой долб*ееееееееб", "это х**ло полный", "пиз*добол ты"}) {
    EXPECT_TRUE(IsProfanity(text)) << text;
  }
}

// Transliterated name-calling is aimed like any other: the translit view's
// hits and cues take the word indices of the main view.
TEST(EvasionTest, TransliteratedNameCallingIsAimed) {
  EXPECT_TRUE(IsInsult("ты kozel"));
  EXPECT_TRUE(IsInsult("da ty kozel"));
  EXPECT_TRUE(IsInsult("эй ты, kozel"));
  EXPECT_FALSE(IsInsult("вчера на ферме видел kozel"));  // козёл needs aim
}

// Letters split by emoji read as one word, as split by spaces or dots do.
TEST(EvasionTest, EmojiBetweenLetters) {
  EXPECT_TRUE(IsProfanity("х😀у😀й вам, а не ремонт"));
  EXPECT_TRUE(IsInsult("ну ты и д🤡е🤡б🤡и🤡л"));
  EXPECT_FALSE(IsProfanity("я 😀 и 😀 ты"));
}

// Letters listed with commas or slashes are lists, not split words:
// answer options, building blocks, axes.
TEST(EvasionTest, LetterListsStayClean) {
  for (const char* text : {"Варианты ответа: е, б, в", "по осям х, у, и z", "Блоки Х/У/Я",
                           "Корпус Ж,И,Д", "Секции л, о, х у нас"}) {
    const Verdict v = ClassifyWithDefaultEngine(text);
    EXPECT_TRUE(v.labels.empty()) << text;
  }
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
