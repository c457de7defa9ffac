// Engine: compile from small in-memory dictionaries (with the project's
// confusables table and hunspell-ru), classification rules, serialization.
#include "rumod/engine.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <random>
#include <thread>

#include "classify/classifier.h"
#include "match/engine_rep.h"
#include "util/fnv.h"
#include "project_tables.h"

namespace rumod {
namespace {

std::string Confusables() {
  return testing_util::ReadFileOrFail(testing_util::ProjectConfusablesPath());
}

std::shared_ptr<const Engine> Build(const std::string& dict) {
  auto d = Dictionary::Parse({{"test.dict", dict}}, Confusables());
  EXPECT_TRUE(d.ok()) << d.status();
  if (!d.ok()) return nullptr;
  auto e = Engine::Compile(*d);
  EXPECT_TRUE(e.ok()) << e.status();
  return e.ok() ? *e : nullptr;
}

absl::Status BuildError(const std::string& dict) {
  auto d = Dictionary::Parse({{"test.dict", dict}}, Confusables());
  if (!d.ok()) return d.status();
  return Engine::Compile(*d).status();
}

std::vector<std::string> Rules(const Engine& e, std::string_view text) {
  auto s = e.NewScratch();
  Verdict v = e.Classify(text, *s);
  std::vector<std::string> out;
  for (const Match& m : v.matches) out.push_back(m.rule_id);
  return out;
}

bool Has(const Engine& e, std::string_view text, Category c) {
  auto s = e.NewScratch();
  return e.Classify(text, *s).Has(c);
}

constexpr const char* kDict = R"(
@category insult
@severity 2
ins.debil   lemma  дебил
ins.chmoshnik lemma чмошник like=мошенник
ins.kozel   lemma  козёл  severity=1 aim=required
ins.mraz    lemma  мразь  severity=3
ins.blyad   lemma  блядь  severity=3 aim=addressee
@category profanity
@severity 3
prof.khu    root   хуй
prof.khue   root   хуе
prof.khuya  root   хуя
prof.pizd   root   пизд
prof.mudak  lemma  мудак like=дурак also=insult
prof.eb     root   еба    at=start prefixes=за,вы
prof.go     phrase "пош* нахуй" also=insult
prof.re     regex  " бл(я|ять) "
exc.prof.strakh except страх
exc.prof.korabl except корабл
)";

TEST(EngineTest, LemmaMatchesEveryInflectedForm) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  for (const char* t : {"дебил", "дебила", "дебилу", "дебилом", "дебилы", "дебилов",
                        "дебилами", "о дебилах", "ДЕБИЛЫ"})
    EXPECT_EQ(Rules(*e, t), std::vector<std::string>{"ins.debil"}) << t;
  // Not a form of the lemma, and not inside other words.
  EXPECT_TRUE(Rules(*e, "дебилизм").empty());
}

TEST(EngineTest, LikeMapsTheModelWordsEndings) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  for (const char* t : {"чмошник", "чмошника", "чмошниками", "чмошникам"})
    EXPECT_EQ(Rules(*e, t), std::vector<std::string>{"ins.chmoshnik"}) << t;
}

TEST(EngineTest, RootsMatchInsideWordsAndExceptionsSuppressThem) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  EXPECT_TRUE(Has(*e, "нихуя себе", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "охуенно", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "распиздяй", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "подстрахуй меня", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "застрахуем квартиру", Category::kProfanity));
  // The exception only covers the word it is in.
  EXPECT_TRUE(Has(*e, "подстрахуй, нахуй", Category::kProfanity));
}

TEST(EngineTest, StartRootsNeedWordStartOrListedPrefix) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  EXPECT_TRUE(Has(*e, "ебать", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "заебали", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "выебал", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "хлебать суп", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "колебания", Category::kProfanity));
}

TEST(EngineTest, PhraseWithStarAndRegexOverNormalizedView) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict v = e->Classify("пошёл нахуй", *s);
  EXPECT_TRUE(v.Has(Category::kProfanity));
  EXPECT_TRUE(v.Has(Category::kInsult));
  EXPECT_EQ(Rules(*e, "ну бля, опять"), std::vector<std::string>{"prof.re"});
  EXPECT_EQ(Rules(*e, "блять"), std::vector<std::string>{"prof.re"});
  EXPECT_TRUE(Rules(*e, "блямба").empty());
}

TEST(EngineTest, SpansPointIntoTheOriginalText) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  std::string text = "Ну ты и ДЕБИЛ!";
  Verdict v = e->Classify(text, *s);
  ASSERT_EQ(v.matches.size(), 1u);
  EXPECT_EQ(text.substr(v.matches[0].begin, v.matches[0].end - v.matches[0].begin), "ДЕБИЛ");
  EXPECT_EQ(v.matches[0].form, "дебил");
  EXPECT_EQ(v.matches[0].view, "text");
}

TEST(EngineTest, AimRequiredWordsAreInsultsOnlyWhenAimed) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  EXPECT_FALSE(Has(*e, "В деревне козёл щиплет траву.", Category::kInsult));
  EXPECT_TRUE(Has(*e, "ты козёл", Category::kInsult));
  EXPECT_TRUE(Has(*e, "Козёл, верни деньги!", Category::kInsult));
  EXPECT_TRUE(Has(*e, "Верни деньги, козёл.", Category::kInsult));
  // A cue in another sentence does not aim the word.
  EXPECT_FALSE(Has(*e, "Ты видел? В деревне козёл щиплет траву.", Category::kInsult));
}

TEST(EngineTest, AimAddresseeIgnoresVocativePosition) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  // An interjection at the start of a sentence is not a vocative insult...
  EXPECT_FALSE(Has(*e, "Блядь, опять всё сломалось", Category::kInsult));
  // ...but the same word next to an addressee pronoun is.
  EXPECT_TRUE(Has(*e, "ты блядь", Category::kInsult));
}

TEST(EngineTest, RepliesAndGreetingsAimTheFirstSentence) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  // A reply (VK mention markup first) addresses the person it names.
  EXPECT_TRUE(Has(*e, "[id42|Иван], козёл старый", Category::kInsult));
  EXPECT_FALSE(Has(*e, "[id42|Иван], спасибо. В деревне козёл щиплет траву.",
                   Category::kInsult));
  // A mention in the middle is not a reply.
  EXPECT_FALSE(Has(*e, "В деревне козёл, пишет [id42|Иван]", Category::kInsult));
  EXPECT_TRUE(Has(*e, "Здравствуй козёл", Category::kInsult));
}

TEST(EngineTest, AimedNameCallingScoresHigher) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict plain = e->Classify("в новостях показали дебила", *s);
  Verdict aimed = e->Classify("ты дебил", *s);
  EXPECT_TRUE(plain.Has(Category::kInsult));
  EXPECT_GT(aimed.scores[int(Category::kInsult)], plain.scores[int(Category::kInsult)]);
  ASSERT_FALSE(aimed.matches.empty());
  EXPECT_TRUE(aimed.matches[0].aimed);
}

TEST(EngineTest, ProfanityAlsoInsultAddsBothLabels) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict v = e->Classify("он мудак", *s);
  EXPECT_EQ(v.labels, (std::vector<Category>{Category::kProfanity, Category::kInsult}));
}

TEST(EngineTest, MasksAreWildcardsForProfanityForms) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  EXPECT_TRUE(Has(*e, "х*й", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "п**дец", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "ну ты **му**дак", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "2*3=6", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "**важно**", Category::kProfanity));
  // Every inflected form is a target, and prefixed start roots too.
  EXPECT_TRUE(Has(*e, "му**ки", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "за**али", Category::kProfanity));
  // Letters written with ASCII symbols are masks as well as look-alikes.
  EXPECT_TRUE(Has(*e, "п@здец", Category::kProfanity));
  EXPECT_TRUE(Has(*e, "пшел н@х@й", Category::kProfanity));
  EXPECT_FALSE(Has(*e, "пиши на почту ivan@mail.ru", Category::kProfanity));
}

TEST(EngineTest, MaskMatcherRules) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  // MaskMatches works on the compact alphabet: encode through the normalizer.
  auto MaskMatches = [&](const char* word, const char* target, bool whole) {
    return internal::MaskMatches(
        e->normalizer().NormalizeForm(word), e->normalizer().NormalizeForm(target),
        whole ? internal::MaskAnchor::kWholeWord : internal::MaskAnchor::kAnywhere);
  };
  // '*' runs absorb 0..k+1 letters; at least two real letters must agree.
  EXPECT_TRUE(MaskMatches("х*й", "хуй", false));
  EXPECT_TRUE(MaskMatches("п**дец", "пизд", false));
  EXPECT_TRUE(MaskMatches("на**уй", "хуй", false));
  // Inside a word a mask opening the target hides at most its own length:
  // "деб*ил" is not деб-[ху]-ил.
  EXPECT_FALSE(MaskMatches("деб*ил", "хуил", false));
  EXPECT_FALSE(MaskMatches("ку*ил", "хуил", false));
  EXPECT_FALSE(MaskMatches("х**", "хуй", false));  // one real letter
  EXPECT_FALSE(MaskMatches("хуй", "хуй", false));  // no mask: the scan finds it
  EXPECT_TRUE(MaskMatches("му**дак", "мудак", true));
  EXPECT_FALSE(MaskMatches("му**дакам", "мудак", true));
  EXPECT_TRUE(MaskMatches("му**дакам", "мудак", false));
}

constexpr const char* kComboDict = R"(
@category -
grp.roma     lemma  цыган   trait=nationality tags=group like=баран
grp.people   lemma  человек tags=group
act.expel    lemma  гнать   tags=expel
act.expel2   lemma  выгнать tags=expel
neg.nelzya   word   нельзя  tags=neg
adj.thief    lemma  вор     tags=bad
@category hate
hate.expel   combo  "group expel !neg" window=4
@category discrimination
disc.gen     combo  "group bad" window=3 order=seq
@category spam
spam.link    word   ссылка  weight=0.3
spam.earn    word   заработок weight=0.3
)";

TEST(EngineTest, TagOnlyEntriesScoreNothingAlone) {
  auto e = Build(kComboDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict v = e->Classify("Цыгане приехали на праздник.", *s);
  EXPECT_TRUE(v.clean());
  EXPECT_TRUE(v.matches.empty());
}

TEST(EngineTest, ComboRulesNeedAllTermsInOneSentenceWindow) {
  auto e = Build(kComboDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict v = e->Classify("Гнать цыган из города!", *s);
  ASSERT_TRUE(v.Has(Category::kHate));
  EXPECT_EQ(v.traits, std::vector<Trait>{Trait::kNationality});
  ASSERT_EQ(v.matches.size(), 1u);
  EXPECT_EQ(v.matches[0].rule_id, "hate.expel");
  EXPECT_EQ(v.matches[0].trait, Trait::kNationality);
  std::string text = "Гнать цыган из города!";
  EXPECT_EQ(text.substr(v.matches[0].begin, v.matches[0].end - v.matches[0].begin),
            "Гнать цыган");
  // Too far apart, or in another sentence.
  EXPECT_FALSE(Has(*e, "Гнать надо было ещё тогда всех этих злых цыган", Category::kHate));
  EXPECT_FALSE(Has(*e, "Цыгане приехали. Гнать коров на луг пора.", Category::kHate));
}

TEST(EngineTest, NegatedTermsBlockACombo) {
  auto e = Build(kComboDict);
  ASSERT_TRUE(e);
  EXPECT_FALSE(Has(*e, "Нельзя гнать людей из-за национальности", Category::kHate));
  EXPECT_TRUE(Has(*e, "Гнать цыган надо", Category::kHate));
  Explanation ex = e->Explain("Нельзя гнать цыган");
  bool negated = false;
  for (const auto& [rule, by] : ex.suppressed) negated |= rule == "hate.expel" && by == "negated";
  EXPECT_TRUE(negated);
}

TEST(EngineTest, OrderedCombosRespectOrder) {
  auto e = Build(kComboDict);
  ASSERT_TRUE(e);
  EXPECT_TRUE(Has(*e, "все цыгане воры", Category::kDiscrimination));
  EXPECT_FALSE(Has(*e, "воры обокрали цыган", Category::kDiscrimination));
}

TEST(EngineTest, WeightOverridesSeverityAndSignalsAddUp) {
  auto e = Build(kComboDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict one = e->Classify("вот ссылка", *s);
  EXPECT_NEAR(one.scores[int(Category::kSpam)], 0.3f, 1e-6);
  EXPECT_FALSE(one.Has(Category::kSpam));
  // One rule counts once per comment, however often it matches.
  Verdict repeated = e->Classify("ссылка, ссылка, ссылка, ссылка", *s);
  EXPECT_NEAR(repeated.scores[int(Category::kSpam)], 0.3f, 1e-6);
  EXPECT_FALSE(repeated.Has(Category::kSpam));
  Verdict two = e->Classify("заработок, ссылка", *s);
  EXPECT_NEAR(two.scores[int(Category::kSpam)], 1 - 0.7f * 0.7f, 1e-6);
  EXPECT_TRUE(two.Has(Category::kSpam));
}

TEST(EngineTest, ComboErrorsNameTheRule) {
  absl::Status st = BuildError("@category hate\nh.x combo \"group\"\n");
  EXPECT_NE(st.message().find("[h.x] no entry has tag 'group'"), std::string::npos) << st;
}

TEST(EngineTest, BadInputNeverCrashes) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto s = e->NewScratch();
  Verdict v;
  e->Classify("", *s, &v);
  EXPECT_TRUE(v.clean());
  e->Classify(std::string_view("\xff\xfe\xd0", 3), *s, &v);
  EXPECT_TRUE(v.input_flags & kInputInvalidUtf8);
  std::string big(10 << 20, 'a');
  e->Classify(big, *s, &v);
  EXPECT_TRUE(v.input_flags & kInputTruncated);
  // The limit falls inside a 4-byte emoji: the cut backs off to the code
  // point boundary, so the text is not reported as invalid UTF-8.
  for (size_t pad = 0; pad < 4; ++pad) {
    std::string emoji(pad + 1, 'a');
    while (emoji.size() < (1u << 20) + 8) emoji += "\xF0\x9F\x98\x80";
    e->Classify(emoji, *s, &v);
    EXPECT_TRUE(v.input_flags & kInputTruncated) << pad;
    EXPECT_FALSE(v.input_flags & kInputInvalidUtf8) << pad;
  }
  // Text after a NUL is still read (NUL is an invisible control: dropped).
  std::string nul("привет\0 ты дебил", sizeof("привет\0 ты дебил") - 1);
  e->Classify(nul, *s, &v);
  EXPECT_TRUE(v.Has(Category::kInsult));
}

TEST(EngineTest, CompileErrorsNameFileLineAndId) {
  absl::Status st = BuildError("@category insult\nins.zzz lemma выдуманноеслово\n");
  EXPECT_NE(st.message().find("test.dict:2: [ins.zzz]"), std::string::npos) << st;
  EXPECT_NE(st.message().find("like="), std::string::npos) << st;
  st = BuildError("@category profanity\n\nx.re regex \"(unclosed\"\n");
  EXPECT_NE(st.message().find("test.dict:3: [x.re] Hyperscan"), std::string::npos) << st;
  st = BuildError("@category profanity\nx.l lemma дурак like=выдуманноеслово\n");
  EXPECT_NE(st.message().find("[x.l] like=выдуманноеслово is not in hunspell-ru"),
            std::string::npos)
      << st;
  st = BuildError("@category profanity\nx.l lemma дурак like=кошка\n");
  EXPECT_NE(st.message().find("does not end like"), std::string::npos) << st;
  st = BuildError("@category profanity\nx.w word \"!!!\"\n");
  EXPECT_NE(st.message().find("normalizes to nothing"), std::string::npos) << st;
  st = BuildError("@category profanity\nx.w regex \"a{2,1}\"\n");
  EXPECT_FALSE(st.ok());
}

TEST(EngineTest, MissingHunspellIsAnErrorOnlyForLemmas) {
  CompileOptions o;
  o.hunspell_aff = "/nonexistent.aff";
  o.hunspell_dic = "/nonexistent.dic";
  auto d1 = Dictionary::Parse({{"t.dict", "@category insult\nx.w word дурак\n"}}, Confusables());
  ASSERT_TRUE(d1.ok());
  EXPECT_TRUE(Engine::Compile(*d1, o).ok());
  auto d2 = Dictionary::Parse({{"t.dict", "@category insult\nx.l lemma дурак\n"}}, Confusables());
  ASSERT_TRUE(d2.ok());
  auto e = Engine::Compile(*d2, o);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("[x.l]"), std::string::npos) << e.status();
}

// Regexes that are not a finite list of strings stay regexes; the main
// database has no start-of-match tracking, so their starts come from the
// second (SOM) database: the span must be the leftmost start, also after a
// serialization round trip.
TEST(EngineTest, RegexHitsKeepTheirLeftmostStart) {
  auto e = Build(R"(
@category profanity
@severity 3
t.re    regex  " (ну )?бл[а-я]*ть "
t.lit   word   ой
)");
  ASSERT_TRUE(e);
  auto bytes = e->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto e2 = Engine::Deserialize(*bytes);
  ASSERT_TRUE(e2.ok()) << e2.status();
  for (const Engine* eng : {e.get(), e2->get()}) {
    auto s = eng->NewScratch();
    const std::string text = "Ой, ну блямбать! и снова блять ой";
    Verdict v = eng->Classify(text, *s);
    std::vector<std::string> got;
    for (const Match& m : v.matches)
      got.push_back(m.rule_id + ":" + text.substr(m.begin, m.end - m.begin));
    EXPECT_EQ(got, (std::vector<std::string>{"t.lit:Ой", "t.re:ну блямбать", "t.re:блять",
                                             "t.lit:ой"}));
  }
}

// Patterns that can only match a digit live in a database scanned only over
// views with a digit: they must behave exactly like the others, with and
// without digits around, also after a serialization round trip.
TEST(EngineTest, DigitPatternsMatchOnlyWhereDigitsAre) {
  auto e = Build(R"(
@category spam
@severity 3
t.sum    regex  " [0-9]+ ?(р|руб) в день "
t.phone  phrase "8 800"
t.word   word   подработка
)");
  ASSERT_TRUE(e);
  EXPECT_NE(e->rep().digit_db, nullptr);  // t.sum and t.phone need a digit
  auto bytes = e->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto e2 = Engine::Deserialize(*bytes);
  ASSERT_TRUE(e2.ok()) << e2.status();
  EXPECT_NE((*e2)->rep().digit_db, nullptr);
  for (const Engine* eng : {e.get(), e2->get()}) {
    auto s = eng->NewScratch();
    auto rules = [&](const std::string& text) {
      std::vector<std::string> got;
      for (const Match& m : eng->Classify(text, *s).matches)
        got.push_back(m.rule_id + ":" + text.substr(m.begin, m.end - m.begin));
      return got;
    };
    EXPECT_EQ(rules("Подработка, 5000 руб в день, звоните 8 800"),
              (std::vector<std::string>{"t.word:Подработка", "t.sum:5000 руб в день",
                                        "t.phone:8 800"}));
    EXPECT_EQ(rules("подработка руб в день"), (std::vector<std::string>{"t.word:подработка"}));
    EXPECT_TRUE(rules("руб в день").empty());
  }
}

TEST(EngineTest, SerializationRoundTripKeepsBehaviour) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto bytes = e->Serialize();
  ASSERT_TRUE(bytes.ok());
  auto e2 = Engine::Deserialize(*bytes);
  ASSERT_TRUE(e2.ok()) << e2.status();
  EXPECT_EQ((*e2)->rule_count(), e->rule_count());
  EXPECT_EQ((*e2)->pattern_count(), e->pattern_count());
  EXPECT_EQ((*e2)->content_hash(), e->content_hash());
  for (const char* t : {"ты козёл", "подстрахуй", "п**дец", "чмошниками", "пошел нахуй"})
    EXPECT_EQ(Rules(**e2, t), Rules(*e, t)) << t;
  std::string path = ::testing::TempDir() + "/engine_test.rumod";
  ASSERT_TRUE(e->Save(path).ok());
  auto e3 = Engine::Load(path);
  ASSERT_TRUE(e3.ok()) << e3.status();
  EXPECT_EQ(Rules(**e3, "дебилами"), std::vector<std::string>{"ins.debil"});
}

TEST(EngineTest, DamagedOrForeignFilesAreClearErrors) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  std::string bytes = *e->Serialize();
  EXPECT_EQ(Engine::Deserialize("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Engine::Deserialize("hello world, not an engine").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Truncated.
  for (size_t n : {size_t{9}, size_t{20}, bytes.size() / 2, bytes.size() - 1})
    EXPECT_FALSE(Engine::Deserialize(bytes.substr(0, n)).ok()) << n;
  // A flipped payload byte fails the checksum.
  std::string flipped = bytes;
  flipped[flipped.size() - 10] ^= 0x5a;
  EXPECT_EQ(Engine::Deserialize(flipped).status().code(), absl::StatusCode::kDataLoss);
  // Another format version.
  std::string v2 = bytes;
  v2[8] = 99;
  EXPECT_EQ(Engine::Deserialize(v2).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Engine::Load("/nonexistent/x.rumod").status().code(), absl::StatusCode::kNotFound);
  // An endless device or a directory is refused by its header / type, not
  // read whole.
  auto zero = Engine::Load("/dev/zero");
  EXPECT_EQ(zero.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(zero.status().message().find("bad magic"), std::string::npos) << zero.status();
  EXPECT_EQ(Engine::Load(::testing::TempDir()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Mutated engine files with a VALID checksum reach the payload parser: it must
// reject or accept them without crashing (fuzz-style, deterministic seed).
TEST(EngineTest, MutatedPayloadsNeverCrash) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  const std::string bytes = *e->Serialize();
  // Header: magic(8) version(4) str lib, str platform, u64 size, u64 sum.
  auto u32 = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(bytes[at + i])) << (8 * i);
    return v;
  };
  size_t pos = 12;
  pos += 4 + u32(pos);  // library version
  pos += 4 + u32(pos);  // platform
  const size_t sum_at = pos + 8, payload_at = pos + 16;
  auto fnv = [](std::string_view s) { return internal::Fnv1a64(s); };
  std::mt19937 rng(12345);
  int accepted = 0;
  for (int round = 0; round < 300; ++round) {
    std::string m = bytes;
    int flips = 1 + rng() % 4;
    for (int k = 0; k < flips; ++k) {
      size_t at = payload_at + rng() % (m.size() - payload_at);
      m[at] = static_cast<char>(rng());
    }
    uint64_t h = fnv(std::string_view(m).substr(payload_at));
    for (int i = 0; i < 8; ++i) m[sum_at + i] = static_cast<char>(h >> (8 * i));
    auto loaded = Engine::Deserialize(m);
    if (!loaded.ok()) continue;
    ++accepted;
    auto s = (*loaded)->NewScratch();
    Verdict v;
    for (const char* t : {"ты дебил", "х*й", "подстрахуй", ""}) (*loaded)->Classify(t, *s, &v);
  }
  SUCCEED() << accepted << " of 300 mutated engines loaded";
}

// Groups nested to the parser's limit (dictionary.cc, kMaxRegexGroupDepth)
// still compile and match; one more level is refused (dictionary_test.cc).
TEST(EngineTest, RegexNestedToTheLimitCompiles) {
  // 31 groups around a 32nd: (дурень|балбес).
  auto e = Build("@category insult\nr.nest regex \"" + std::string(31, '(') + " (дурень|балбес) " +
                 std::string(31, ')') + "\"\n");
  ASSERT_TRUE(e);
  Verdict v;
  auto s = e->NewScratch();
  e->Classify("ну ты балбес", *s, &v);
  EXPECT_TRUE(v.Has(Category::kInsult));
}

// A Hyperscan database that does not belong to the engine's pattern table
// (a crafted engine file can pair them and redo the checksum): ids beyond
// the table are ignored and a literal reported before its length starts at
// the view's start; the verdict's spans stay inside the text.
TEST(EngineTest, ForeignDatabaseIdsAreIgnored) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  auto& rep = const_cast<Engine::Rep&>(e->rep());  // created non-const by Compile
  ASSERT_FALSE(rep.patterns.empty());
  ASSERT_GT(rep.patterns[0].expr.size(), 1u);
  ASSERT_EQ(rep.patterns[0].type, internal::PatternType::kLiteral);
  // Every boundary byte reports an id past the table and pattern 0, whose
  // literal is longer than one byte (so the first report ends before it
  // could have started).
  const char* exprs[] = {"\\x20", "\\x20"};
  const unsigned flags[] = {0, 0};
  const unsigned ids[] = {static_cast<unsigned>(rep.patterns.size() + 1000), 0};
  hs_database_t* foreign = nullptr;
  hs_compile_error_t* err = nullptr;
  ASSERT_EQ(hs_compile_multi(exprs, flags, ids, 2, HS_MODE_BLOCK, nullptr, &foreign, &err),
            HS_SUCCESS);
  hs_free_database(rep.db);
  rep.db = foreign;
  auto s = e->NewScratch();
  for (const std::string t : {"ты дебил", "а", "", "дебил, ну ты и дебил"}) {
    Verdict v;
    e->Classify(t, *s, &v);
    for (const Match& m : v.matches) {
      EXPECT_LE(m.begin, m.end) << t;
      EXPECT_LE(m.end, t.size()) << t;
    }
    for (const internal::RawHit& h : s->rep().raw) {
      EXPECT_LT(h.from, h.to) << t;
      EXPECT_LE(h.to, t.size() + 2) << t;  // the view: the text's words plus two boundaries
    }
  }
}

TEST(EngineTest, OneEngineManyThreads) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      auto s = e->NewScratch();
      Verdict v;
      for (int i = 0; i < 2000; ++i) {
        e->Classify(i % 2 ? "ты дебил" : "хорошая погода", *s, &v);
        if (v.Has(Category::kInsult) != (i % 2 == 1)) ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(EngineTest, ExplainShowsViewsAndSuppressedHits) {
  auto e = Build(kDict);
  ASSERT_TRUE(e);
  Explanation ex = e->Explain("Корабля не видно, козёл пасётся");
  EXPECT_TRUE(ex.verdict.clean());
  EXPECT_NE(ex.text_view.find("корабля"), std::string::npos) << ex.text_view;
  bool saw_not_aimed = false;
  for (const auto& [rule, by] : ex.suppressed) saw_not_aimed |= rule == "ins.kozel";
  EXPECT_TRUE(saw_not_aimed);
}

}  // namespace
}  // namespace rumod
