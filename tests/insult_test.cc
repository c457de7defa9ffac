// Insult rules of dictionaries/ru/insult.dict against the embedded default
// engine: name-calling noun phrases (a derogatory modifier next to a noun that
// is name-calling only in context), "no brain" / "see a psychiatrist"
// humiliation, and the literal uses that must stay clean.
#include "default_engine_util.h"

namespace rumod {
namespace {

using testing_util::ClassifyWithDefaultEngine;
using testing_util::HasLabel;
using testing_util::HasTrait;

bool IsInsult(const std::string& text) {
  return testing_util::DefaultLabels(text, Category::kInsult);
}

bool HasRule(const std::string& text, const std::string& rule) {
  return testing_util::HasRule(ClassifyWithDefaultEngine(text), rule);
}

TEST(InsultTest, ModifierPlusContextNounIsNameCalling) {
  // Neither word is an insult alone outside an addressed sentence...
  EXPECT_FALSE(IsInsult("На ферме живёт козёл."));
  EXPECT_FALSE(IsInsult("Соседка купила плешивого попугая."));
  // ...but together they call someone names, in either order.
  EXPECT_TRUE(HasRule("Опять этот плешивый козёл выступает по телевизору.",
                      "ins.c.mod_namecall"));
  EXPECT_TRUE(HasRule("Всем управляют продажные свиньи из области.", "ins.c.mod_namecall"));
  EXPECT_TRUE(HasRule("Там сидит пугало лживое и врёт.", "ins.c.mod_namecall"));
  EXPECT_TRUE(IsInsult("Паршивые людишки набежали в чат."));
  EXPECT_TRUE(IsInsult("Тупое стадо опять голосует не глядя."));
}

// Quotes are no excuse: a capitalized name-calling word in quotes is still
// name-calling (a book title such as «Идиот» is the price: see
// docs/classify.md).
TEST(InsultTest, QuotedNameCallingIsStillAnInsult) {
  EXPECT_TRUE(IsInsult("Наш мэр «Идиот»"));
  EXPECT_TRUE(IsInsult("Наша управляющая компания \"Мразь\""));
  EXPECT_TRUE(IsInsult("Иванов \"Дебил\""));
}

TEST(InsultTest, LiteralAnimalsAndPityStayClean) {
  EXPECT_FALSE(IsInsult("Во дворе бегают дикие собаки, просим отловить."));
  EXPECT_FALSE(IsInsult("Бродячие собаки напали на ребёнка у школы."));
  EXPECT_FALSE(IsInsult("Стадо коров перегнали через дорогу."));
  EXPECT_FALSE(IsInsult("Жалко козла, его отдали на мясо."));
  EXPECT_FALSE(IsInsult("Старый козёл пасётся у реки."));
}

TEST(InsultTest, NoBrainAndPsychiatristPhrases) {
  EXPECT_TRUE(IsInsult("Отсутствие твоего мозга видно сразу."));
  EXPECT_TRUE(IsInsult("У тебя мозгов нет совсем."));
  EXPECT_TRUE(IsInsult("Тебе к психиатру надо, а не в комментарии."));
  EXPECT_TRUE(IsInsult("Иди к психиатру со своими теориями."));
  EXPECT_TRUE(IsInsult("Тебе лечиться надо."));
  EXPECT_FALSE(IsInsult("Запись к психиатру открыта в поликлинике №3."));
  EXPECT_FALSE(IsInsult("Врач сказал, что мне лечиться нужно ещё неделю."));
}

TEST(InsultTest, VulgarSituationWordNeedsADirectAddressee) {
  // "жопа" as a situation is vulgar, not name-calling (CATEGORIES.md).
  EXPECT_FALSE(IsInsult("Ну и жопа с дорогами в этом году."));
  EXPECT_TRUE(IsInsult("Ты жопа, а не начальник."));
}

TEST(InsultTest, NewNameCallingWords) {
  EXPECT_TRUE(IsInsult("Ты брехун, каких мало."));
  EXPECT_TRUE(IsInsult("Брехливка, опять всё переврала."));
  Verdict v = ClassifyWithDefaultEngine("Ты глиномес.");
  ASSERT_TRUE(HasLabel(v, Category::kInsult));
  EXPECT_TRUE(HasTrait(v, Trait::kOther));
}

}  // namespace
}  // namespace rumod
