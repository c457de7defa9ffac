// Hate (dictionaries/ru/hate.dict and the group nouns of discrimination.dict)
// against the embedded default engine: calls for violence or expulsion of a
// group per trait (positive, neutral mention, negation or reporting),
// dehumanisation, threats against a person, and the project cases.
#include <string>
#include <vector>

#include "default_engine_util.h"

namespace rumod {
namespace {

using testing_util::HasTrait;

Verdict Classify(const std::string& text) { return testing_util::ClassifyWithDefaultEngine(text); }

struct TraitCase {
  const char* name;
  Trait trait;
  const char* positive;  // hate with this trait
  const char* neutral;   // the group in a neutral sentence: clean
  const char* negated;   // negated call or a news report: no hate
};

const TraitCase kTraitCases[] = {
    {"nationality", Trait::kNationality, "Гнать цыган из города!",
     "Цыгане открыли культурный центр.", "Нельзя гнать цыган из города."},
    {"nationality_migrants", Trait::kNationality,
     "Мигрантов надо депортировать всех до одного.",
     "Мигранты работают на стройке.", "Нельзя депортировать мигрантов без суда."},
    {"race", Trait::kRace, "Негров надо выгнать из страны.",
     "Негры в США добились гражданских прав.",
     "Не надо выгонять негров из страны."},
    {"religion", Trait::kReligion, "Мусульман надо выселить из города.",
     "Мусульмане отмечают Курбан-байрам.",
     "Суд приговорил мужчину за призывы выселить мусульман."},
    {"sex", Trait::kSex, "Женщин надо выгнать с работы.",
     "Феминистки провели пикет у администрации.",
     "Нельзя убивать женщин, это не обсуждается."},
    {"age", Trait::kAge, "Пенсионеров надо уничтожить.",
     "Пенсионеры получат надбавку с января.",
     "Никто не собирается уничтожать пенсионеров, не надо паники."},
    {"residence", Trait::kResidence, "Понаехавших гнать из Москвы!",
     "Москвичи приехали на экскурсию.", "Нельзя гнать москвичей из Подмосковья."},
    {"work", Trait::kWork, "Расстрелять всех депутатов!",
     "Депутаты обсудили бюджет на заседании.",
     "Депутаты обсудили расстрел царской семьи в 1918 году."},
    {"profession", Trait::kProfession, "Журналистов надо вешать.",
     "Журналисты приехали на открытие школы.",
     "Нельзя вешать журналистов за их слова."},
    {"politics", Trait::kPolitics, "Либерастов пора пересажать.",
     "Либералы провели митинг на площади.",
     "Суд осудил блогера за призывы пересажать либералов."},
};

class HateTraitTest : public ::testing::TestWithParam<TraitCase> {};

TEST_P(HateTraitTest, CallCarriesTheTrait) {
  const TraitCase& c = GetParam();
  Verdict v = Classify(c.positive);
  EXPECT_TRUE(v.Has(Category::kHate)) << c.positive;
  EXPECT_TRUE(HasTrait(v, c.trait)) << c.positive;
}

TEST_P(HateTraitTest, NeutralMentionIsClean) {
  const TraitCase& c = GetParam();
  EXPECT_TRUE(Classify(c.neutral).labels.empty()) << c.neutral;
}

TEST_P(HateTraitTest, NegationOrReportIsNotHate) {
  const TraitCase& c = GetParam();
  EXPECT_FALSE(Classify(c.negated).Has(Category::kHate)) << c.negated;
}

INSTANTIATE_TEST_SUITE_P(All, HateTraitTest, ::testing::ValuesIn(kTraitCases),
                         [](const ::testing::TestParamInfo<TraitCase>& i) {
                           return std::string(i.param.name);
                         });

TEST(HateTest, NegationAfterTheCall) {
  // The negation follows the verb: no call.
  for (const char* t : {"Мигрантов бить не нужно.", "Цыган выгонять из города не надо.",
                        "Журналистов вешать нельзя.", "Депутатов расстреливать никто не призывает."}) {
    Verdict v = Classify(t);
    EXPECT_FALSE(v.Has(Category::kHate)) << t;
    EXPECT_FALSE(v.Has(Category::kDiscrimination)) << t;
  }
  // A negation in the next clause is about something else.
  for (const char* t : {"Гнать цыган надо, нельзя ждать.", "Мигрантов выгонять надо, не стоит тянуть."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kHate)) << t;
    EXPECT_TRUE(HasTrait(v, Trait::kNationality)) << t;
  }
}

TEST(HateTest, AnnouncedIntention) {
  Verdict v = Classify("Всех мигрантов выселим из города.");
  EXPECT_TRUE(v.Has(Category::kHate));
  EXPECT_TRUE(HasTrait(v, Trait::kNationality));
  v = Classify("Либерастов переселим на Колыму.");
  EXPECT_TRUE(v.Has(Category::kHate));
  EXPECT_TRUE(HasTrait(v, Trait::kPolitics));
  v = Classify("Ватников переселим на Колыму.");  // the mirror
  EXPECT_TRUE(v.Has(Category::kHate));
  EXPECT_TRUE(HasTrait(v, Trait::kPolitics));
  EXPECT_TRUE(Classify("Жильцов аварийного дома переселим в новые квартиры.").labels.empty());
  EXPECT_FALSE(Classify("Никто не говорит, что мигрантов выселим.").Has(Category::kHate));
}

TEST(HateTest, DehumanisingAGroup) {
  for (const char* t : {"Мигранты — животные.", "Цыгане — паразиты."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kHate)) << t;
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_TRUE(HasTrait(v, Trait::kNationality)) << t;
  }
  // Real animals stay clean.
  for (const char* t : {"Депутаты предложили помогать бездомным животным.",
                        "В подвале завелись крысы и тараканы."}) {
    EXPECT_TRUE(Classify(t).labels.empty()) << t;
  }
}

TEST(HateTest, OrientationGroupIsHateWithTraitOtherOnly) {
  Verdict v = Classify("Геи — животные, их надо уничтожать.");
  EXPECT_TRUE(v.Has(Category::kHate));
  EXPECT_FALSE(v.Has(Category::kDiscrimination));
  EXPECT_TRUE(HasTrait(v, Trait::kOther));
}

TEST(HateTest, ThreatsAgainstAPerson) {
  for (const char* t : {"Я тебя убью.", "Убью тебя, если ещё раз увижу.",
                        "Я убью её когда-нибудь.", "Найду тебя и урою.",
                        "Ты труп.", "Тебе не жить."}) {
    EXPECT_TRUE(Classify(t).Has(Category::kHate)) << t;
  }
  // Hyperbole without a person, and a rude wish to one person (insult).
  EXPECT_FALSE(Classify("Убью за такие цены на бензин.").Has(Category::kHate));
  Verdict v = Classify("Сдохни, урод.");
  EXPECT_FALSE(v.Has(Category::kHate));
  EXPECT_TRUE(v.Has(Category::kInsult));
}

TEST(HateTest, DirectSlogans) {
  Verdict v = Classify("Смерть жидам!");
  EXPECT_TRUE(v.Has(Category::kHate));
  EXPECT_TRUE(HasTrait(v, Trait::kNationality));
  EXPECT_FALSE(Classify("Смерть пенсионерки в больнице расследует полиция.")
                   .Has(Category::kHate));
}

TEST(HateTest, MunicipalNewsStaysClean) {
  for (const char* t : {"Администрация выселит жителей аварийного дома.",
                        "Полиция задержала воров.",
                        "Рейс на Москву задержали: приезжие ждут в аэропорту."}) {
    EXPECT_TRUE(Classify(t).labels.empty()) << t;
  }
}

TEST(HateTest, ProjectCases) {
  {  // B24
    Verdict v = Classify("Все цыгане — воры, гнать их из города.");
    EXPECT_TRUE(v.Has(Category::kHate));
    EXPECT_TRUE(v.Has(Category::kDiscrimination));
    EXPECT_TRUE(HasTrait(v, Trait::kNationality));
  }
  {  // B27
    Verdict v = Classify("Все либерасты — предатели, их давно пора пересажать.");
    EXPECT_TRUE(v.Has(Category::kHate));
    EXPECT_TRUE(v.Has(Category::kDiscrimination));
    EXPECT_TRUE(HasTrait(v, Trait::kPolitics));
  }
  // B25: a slur without a call is discrimination only.
  EXPECT_FALSE(Classify("Понаехали чурки, скоро работы для нормальных людей не останется.")
                   .Has(Category::kHate));
}

}  // namespace
}  // namespace rumod
