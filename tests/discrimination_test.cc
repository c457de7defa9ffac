// Discrimination (dictionaries/ru/discrimination.dict) against the embedded
// default engine: for every protected trait a positive, a neutral mention
// that must stay clean, and a negation; the symmetric political pairs; the
// project cases in this area (copies of the inputs of ../shared/cases).
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
  const char* positive;  // discrimination with this trait
  const char* neutral;   // a neutral mention: clean
  const char* negated;   // the generalisation negated or condemned: clean
};

const TraitCase kTraitCases[] = {
    {"nationality", Trait::kNationality, "Все евреи жадные.",
     "Евреи отмечают праздник в синагоге на Ленина.",
     "Не все евреи жадные, это стереотип."},
    {"nationality_slur", Trait::kNationality, "Хохлы опять всё испортили.",
     "Украинцы приехали на фестиваль в наш город.",
     "Нельзя говорить, что цыгане воры."},
    {"race", Trait::kRace, "Негры тупые.",
     "Негры в США добились гражданских прав в шестидесятые.",
     "Не надо говорить, что негры тупые."},
    {"religion", Trait::kReligion, "Мусульмане — дикари.",
     "Мусульмане отмечают Курбан-байрам.",
     "Не все мусульмане дикари, нельзя так говорить."},
    {"sex", Trait::kSex, "Бабы тупые.", "Женщины получат выплаты к 8 марта.",
     "Не надо говорить, что женщины тупые."},
    {"age", Trait::kAge, "Пенсионеры — идиоты, голосуют за кого скажут.",
     "Пенсионеры получат надбавку с января.",
     "Нельзя думать, что все пенсионеры глупые."},
    {"residence", Trait::kResidence, "Понаехавшие опять мусорят во дворе.",
     "Москвичи приехали на экскурсию.", "Не все москвичи наглые."},
    {"profession", Trait::kProfession, "Все врачи — убийцы.",
     "Врачи поликлиники работают до восьми.",
     "Не надо говорить, что все врачи убийцы."},
    {"work", Trait::kWork, "Чиновники — воры.",
     "Чиновники администрации провели приём граждан.",
     "Не все чиновники воры."},
    {"politics", Trait::kPolitics, "Либерасты опять вылезли.",
     "Либералы провели митинг на площади.",
     "Нельзя говорить, что все либералы предатели."},
};

class TraitTest : public ::testing::TestWithParam<TraitCase> {};

TEST_P(TraitTest, PositiveCarriesTheTrait) {
  const TraitCase& c = GetParam();
  Verdict v = Classify(c.positive);
  EXPECT_TRUE(v.Has(Category::kDiscrimination)) << c.positive;
  EXPECT_TRUE(HasTrait(v, c.trait)) << c.positive;
}

TEST_P(TraitTest, NeutralMentionIsClean) {
  const TraitCase& c = GetParam();
  Verdict v = Classify(c.neutral);
  EXPECT_TRUE(v.labels.empty()) << c.neutral;
}

TEST_P(TraitTest, NegationIsNotDiscrimination) {
  const TraitCase& c = GetParam();
  Verdict v = Classify(c.negated);
  EXPECT_FALSE(v.Has(Category::kDiscrimination)) << c.negated;
  EXPECT_FALSE(v.Has(Category::kHate)) << c.negated;
}

INSTANTIATE_TEST_SUITE_P(All, TraitTest, ::testing::ValuesIn(kTraitCases),
                         [](const ::testing::TestParamInfo<TraitCase>& i) {
                           return std::string(i.param.name);
                         });

// SYMMETRY: a political slur and its mirror from the other camp are treated
// alike: both discrimination/politics in passing, both insult too when aimed.
struct Pair {
  const char* name;
  const char* a;
  const char* b;
};

const Pair kPoliticalPairs[] = {
    {"vatnik_liberast", "ватник", "либераст"},
    {"vatniki_liberasty", "ватники", "либерасты"},
    {"kremlebot_navalnyonok", "кремлебот", "навальнёнок"},
    {"kremleboty_navalnyata", "кремлеботы", "навальнята"},
    {"lahtobot_gosdepovec", "лахтобот", "госдеповец"},
    {"rashist_ukrofashist", "рашист", "укрофашист"},
    {"kolorady_ukropy", "колорады", "укропы"},
    {"kommunyaka_dermokrat", "коммуняка", "дерьмократ"},
    {"putinoid_navalnoid", "путиноид", "навальноид"},
    {"sovkodrocher_zapadodrocher", "совкодрочер", "западодрочер"},
    {"poscreot_liberah", "поцреот", "либераха"},
    {"vatnik_vyshivatnik", "ватник", "вышиватник"},
    {"pacreot_liberah", "пацреот", "либераха"},
};

class PoliticalPairTest : public ::testing::TestWithParam<Pair> {};

void ExpectPolitical(const std::string& text, bool aimed) {
  Verdict v = Classify(text);
  EXPECT_TRUE(v.Has(Category::kDiscrimination)) << text;
  EXPECT_TRUE(HasTrait(v, Trait::kPolitics)) << text;
  EXPECT_EQ(v.Has(Category::kInsult), aimed) << text;
  EXPECT_FALSE(v.Has(Category::kHate)) << text;
}

TEST_P(PoliticalPairTest, BothSidesInPassing) {
  const Pair& p = GetParam();
  ExpectPolitical(std::string("Опять в комментах ") + p.a + " пишет.", false);
  ExpectPolitical(std::string("Опять в комментах ") + p.b + " пишет.", false);
}

TEST_P(PoliticalPairTest, BothSidesAimed) {
  const Pair& p = GetParam();
  ExpectPolitical(std::string("Ты ") + p.a + ".", true);
  ExpectPolitical(std::string("Ты ") + p.b + ".", true);
}

INSTANTIATE_TEST_SUITE_P(All, PoliticalPairTest, ::testing::ValuesIn(kPoliticalPairs),
                         [](const ::testing::TestParamInfo<Pair>& i) {
                           return std::string(i.param.name);
                         });

TEST(DiscriminationTest, NameCallingAGroupIsInsultToo) {
  // CATEGORIES: "хохлы — дегенераты", "бабы тупые" are insult + discrimination;
  // the slur alone is discrimination only.
  for (const char* t : {"Хохлы — дегенераты.", "Бабы тупые."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_TRUE(v.Has(Category::kInsult)) << t;
  }
  Verdict v = Classify("Хохлы опять всё испортили.");
  EXPECT_TRUE(v.Has(Category::kDiscrimination));
  EXPECT_FALSE(v.Has(Category::kInsult));
}

TEST(DiscriminationTest, SlursPerTrait) {
  const std::pair<const char*, Trait> cases[] = {
      {"Чурки понаехали.", Trait::kNationality},
      {"Пиндосы опять бомбят.", Trait::kNationality},
      {"Кацапы опять напали.", Trait::kNationality},
      {"Москали опять напали.", Trait::kNationality},
      {"Ниггеры понаехали.", Trait::kRace},
      {"Веруны опять крестный ход устроили.", Trait::kReligion},
      {"Женская логика — это когда всё наоборот.", Trait::kSex},
      {"Школота опять набежала.", Trait::kAge},
      {"Замкадыши опять всё скупили.", Trait::kResidence},
      {"Журналюги опять всё переврали.", Trait::kProfession},
      {"Ментяры опять стоят на посту.", Trait::kWork},
  };
  for (const auto& [text, trait] : cases) {
    Verdict v = Classify(text);
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << text;
    EXPECT_TRUE(HasTrait(v, trait)) << text << " " << TraitName(trait);
  }
}

TEST(DiscriminationTest, HomonymsStayClean) {
  for (const char* t : {
           "Эта книга стоит на второй полке слева.",  // B15: нига inside книга
           "Русские туристы чаще всего едут в Турцию.",  // B48
           "Волонтёры раздают еду бомжам на вокзале.",  // B47
           "я гей и давно этого не скрываю",              // B23
           "Ставлю укроп и петрушку в суп.",
           "Хохлома — народный промысел.",
           "Баба Маша испекла пирог.",
           "Полиция задержала воров.",
           "Жидкость для стёкол закончилась.",
           "В этом году лимит на вывоз мусора исчерпан.",
       }) {
    Verdict v = Classify(t);
    EXPECT_FALSE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_FALSE(v.Has(Category::kHate)) << t;
  }
}

TEST(DiscriminationTest, SexualOrientationSlurIsInsultNotDiscrimination) {
  Verdict v = Classify("Ты педик.");
  EXPECT_TRUE(v.Has(Category::kInsult));
  EXPECT_FALSE(v.Has(Category::kDiscrimination));
  EXPECT_TRUE(HasTrait(v, Trait::kOther));
}

TEST(DiscriminationTest, CompoundSlurCarriesWhatItDenotes) {
  // A national slur built on the пидор- root is profanity and nationality;
  // the root's trait (other) does not leak into the verdict.
  for (const char* t : {"Пидорашки опять всё испортили.", "Пидорашек выселить надо."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kProfanity)) << t;
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kNationality}) << t;
  }
  // The orientation slur itself keeps trait other.
  Verdict v = Classify("Ты пидор.");
  EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kOther});
}

TEST(DiscriminationTest, RuleAboutTwoGroupsNamesBothTraits) {
  Verdict v = Classify("Мусульмане и негры — воры.");
  EXPECT_TRUE(v.Has(Category::kDiscrimination));
  EXPECT_TRUE(HasTrait(v, Trait::kReligion));
  EXPECT_TRUE(HasTrait(v, Trait::kRace));
  // Feminists are politics + sex (CATEGORIES); women of a nation are both.
  v = Classify("Феминистки — дуры.");
  EXPECT_TRUE(HasTrait(v, Trait::kPolitics));
  EXPECT_TRUE(HasTrait(v, Trait::kSex));
  v = Classify("Цыганки — воровки.");
  EXPECT_TRUE(HasTrait(v, Trait::kNationality));
  EXPECT_TRUE(HasTrait(v, Trait::kSex));
  // A group in another clause is not the rule's subject.
  v = Classify("Врачи — убийцы, а пенсионеры им верят.");
  EXPECT_TRUE(v.Has(Category::kDiscrimination));
  EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kProfession});
}

TEST(DiscriminationTest, SexistGeneralisations) {
  for (const char* t : {"Бабам не место в политике.", "Иди на кухню, вари борщ.",
                        "У баб нет логики.", "Все мужики кобели.",
                        "Бабы без мозгов, что с них взять.",
                        "Феминофашистки опять устроили пикет.",
                        "Опять ОМП в комментах ноют."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_TRUE(HasTrait(v, Trait::kSex)) << t;
  }
  for (const char* t : {"На кухне женщины готовили обед для ветеранов.",
                        "Логика у этой задачи простая.",
                        "Женщины и мужчины пришли на субботник.",
                        "Тётки из соседнего подъезда посадили цветы."}) {
    EXPECT_TRUE(Classify(t).labels.empty()) << t;
  }
  for (const char* t : {"Не все мужики кобели.", "Нельзя говорить, что все женщины без мозгов."}) {
    EXPECT_FALSE(Classify(t).Has(Category::kDiscrimination)) << t;
  }
}

// Role prescriptions for a whole sex, the distributive "любая/каждая баба",
// the plural slur "шкуры", short-form predicates; each with its mirror about
// men, a neutral mention and a negation or a literal sense that stays clean.
TEST(DiscriminationTest, SexRolePrescriptions) {
  for (const char* t : {"Женщина должна сидеть дома и рожать.",
                        "Баба обязана готовить и слушаться мужа.",
                        "Мужик обязан зарабатывать, иначе он не мужик.",  // mirror
                        "Не женское это дело — руководить.",
                        "Политика не мужское дело, пусть лучше детей растят.",  // mirror
                        "Удел женщины — кухня и дети.",
                        "Баба за рулём — обезьяна с гранатой."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kSex}) << t;
  }
  for (const char* t : {"Женщина должна была оплатить штраф до пятницы.",  // one person
                        "Эта женщина должна соседу пять тысяч рублей.",     // a debt
                        "Мужчина должен был явиться в суд в понедельник.",
                        "Женщины должны получать столько же, сколько мужчины.",
                        "Женщина за рулём автобуса сбила столб на Лесной.",
                        "Женщины открыли клуб вязания в библиотеке."}) {
    EXPECT_FALSE(Classify(t).Has(Category::kDiscrimination)) << t;
  }
  for (const char* t : {"Нельзя говорить, что женщина должна сидеть дома.",
                        "Не надо думать, что мужик обязан зарабатывать за двоих."}) {
    EXPECT_FALSE(Classify(t).Has(Category::kDiscrimination)) << t;
  }
}

TEST(DiscriminationTest, SexGroupSlursAndGeneralisations) {
  for (const char* t : {"Любая баба мечтает о богатом муже.", "Типичная тёлка: селфи и шмотки.",
                        "Каждый самец думает одним местом.",  // mirror
                        "Шкуры опять ноют в комментах.", "От этих шкур одни проблемы.",
                        "Фемочки опять бесятся.", "Бабы коварны и лживы.",
                        "Мужики нынче тряпки.",  // mirror
                        "Спермотоксикозники опять пишут под каждым фото."}) {
    Verdict v = Classify(t);
    EXPECT_TRUE(v.Has(Category::kDiscrimination)) << t;
    EXPECT_TRUE(HasTrait(v, Trait::kSex)) << t;
  }
  // The literal senses and the named (not used) slur stay clean.
  for (const char* t : {"Шуба из шкур норки стоит дорого.", "Продаю выделанные шкуры животных.",
                        "Курица без шкуры полезнее.", "Все спасали свои шкуры как могли.",
                        "Их называют шкурами, и это мерзко.", "Фем-движение провело лекцию.",
                        "Каждая женщина получит подарок к празднику.",
                        "Все тётки из хора пришли на концерт."}) {
    EXPECT_FALSE(Classify(t).Has(Category::kDiscrimination)) << t;
  }
  for (const char* t : {"Не все женщины коварные.", "Не все мужики тряпки, не обобщай."}) {
    EXPECT_FALSE(Classify(t).Has(Category::kDiscrimination)) << t;
  }
  // One woman called a name is an insult, not discrimination (CATEGORIES).
  Verdict v = Classify("Ты шкура.");
  EXPECT_TRUE(v.Has(Category::kInsult));
  EXPECT_FALSE(v.Has(Category::kDiscrimination));
}

// Project cases in this area (copies of ../shared/cases inputs).
TEST(DiscriminationTest, ProjectCases) {
  {  // B24
    Verdict v = Classify("Все цыгане — воры, гнать их из города.");
    EXPECT_TRUE(v.Has(Category::kDiscrimination));
    EXPECT_TRUE(v.Has(Category::kHate));
    EXPECT_FALSE(v.Has(Category::kInsult));
    EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kNationality});
  }
  {  // B25
    Verdict v = Classify("Понаехали чурки, скоро работы для нормальных людей не останется.");
    EXPECT_TRUE(v.Has(Category::kDiscrimination));
    EXPECT_FALSE(v.Has(Category::kHate));
    EXPECT_FALSE(v.Has(Category::kInsult));
    EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kNationality});
  }
  {  // B27
    Verdict v = Classify("Все либерасты — предатели, их давно пора пересажать.");
    EXPECT_TRUE(v.Has(Category::kDiscrimination));
    EXPECT_TRUE(v.Has(Category::kHate));
    EXPECT_FALSE(v.Has(Category::kInsult));
    EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kPolitics});
  }
  for (const char* t : {"я гей и давно этого не скрываю",       // B23
                        "Волонтёры раздают еду бомжам на вокзале.",  // B47
                        "Русские туристы чаще всего едут в Турцию.",  // B48
                        "Эта книга стоит на второй полке слева."}) {  // B15
    Verdict v = Classify(t);
    EXPECT_TRUE(v.labels.empty()) << t;
  }
}

}  // namespace
}  // namespace rumod
