// The matcher's shortcuts around start-of-match (SOM) tracking and the digit
// database give exactly the hits of the plain method: a regex hit's start
// counted back over a fixed number of spaces, SOM rescans limited to the
// bytes a regex can span, and the digit database scanned only within
// Engine::Rep::digit_window bytes of a digit. The reference is the same
// engine with those shortcuts switched off (every regex shape unknown, the
// digit window unbounded). Also: Classify drops the hits of tag-only entries
// when no combo can have all its tags, Explain keeps them; both give the
// same verdict. All texts are generated here.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "classify/classifier.h"
#include "match/engine_rep.h"
#include "rumod/engine.h"

namespace rumod {
namespace {

using HitKey = std::tuple<uint32_t, uint32_t, uint32_t, uint8_t>;  // rule, from, to, view

std::shared_ptr<const Engine> Compile() {
  auto e = Engine::CompileDirectory(RUMOD_SOURCE_DIR "/dictionaries/ru");
  EXPECT_TRUE(e.ok()) << e.status();
  return e.ok() ? *e : nullptr;
}

// The same dictionaries with the shortcuts off. The Rep was created
// non-const by Compile, so changing it through the const view is defined;
// nothing else holds this engine.
std::shared_ptr<const Engine> CompileWithoutShortcuts() {
  auto e = Compile();
  if (!e) return nullptr;
  auto& rep = const_cast<Engine::Rep&>(e->rep());
  for (internal::RegexShape& shape : rep.regex_shapes) shape = internal::RegexShape{};
  rep.digit_window = internal::RegexShape::kUnbounded;
  return e;
}

std::vector<HitKey> RawHits(const Engine& e, Scratch& s, const std::string& text, Verdict* v) {
  e.Classify(text, s, v);
  std::vector<HitKey> out;
  for (const internal::RawHit& h : s.rep().raw) out.emplace_back(h.rule, h.from, h.to, h.view);
  std::sort(out.begin(), out.end());
  return out;
}

// Pieces of comments about money, work, numbers and phone numbers (spam and
// citizens' talk), with fillers of various lengths so that numbers fall
// near and far from each other and from the ends of the text.
const std::vector<std::string>& Pieces() {
  static const std::vector<std::string> v = {
      "от", "до", "500", "1 000", "12", "3 500", "250000", "7", "р", "руб", "рублей",
      "тыс", "тысяч", "к", "в день", "в месяц", "в час", "оплата", "заплачу", "каждому",
      "на руки", "на карту", "пиши", "в лс", "человек", "зарплата", "пенсия", "больше",
      "налоги", "штрафы", "работа", "подработка", "удаленная работа", "пассивный доход",
      "стабильного дохода", "+7 912 345-67-89", "8 800 555 35 35", "89123456789",
      "скидки до 70", "поднять шкаф на 5 этаж", "за 2 часа", "18+", "от 18 лет",
      "5000р", "7к/день", "100%", "2 раза", "администрация района", "дорогу",
      "когда же наконец отремонтируют", "во дворе дома номер", "иди на хуй",
      "заткнись", ",", ".", "!", "-", "\n", "ул. Ленина 15", "в 2024 году",
  };
  return v;
}

// A text of 1..max_pieces random pieces, each followed by a space.
std::string RandomText(std::mt19937& rng, const std::vector<std::string>& pieces,
                       int max_pieces) {
  std::string text;
  const int n = 1 + static_cast<int>(rng() % max_pieces);
  for (int j = 0; j < n; ++j) {
    text += pieces[rng() % pieces.size()];
    text += ' ';
  }
  return text;
}

TEST(ScanShortcutsTest, SameHitsAsFullSomScansAndWholeViewDigitScans) {
  auto fast = Compile();
  auto slow = CompileWithoutShortcuts();
  ASSERT_TRUE(fast && slow);
  // The default dictionaries do use every shortcut.
  const Engine::Rep& rep = fast->rep();
  ASSERT_NE(rep.digit_window, internal::RegexShape::kUnbounded);
  size_t fixed = 0, bounded = 0;
  for (const internal::RegexShape& s : rep.regex_shapes) {
    fixed += s.fixed_spaces > 0;
    bounded += s.fixed_spaces <= 0 && s.max_width != internal::RegexShape::kUnbounded;
  }
  EXPECT_GT(fixed, 10u);
  EXPECT_GT(bounded, 5u);

  auto sf = fast->NewScratch();
  auto ss = slow->NewScratch();
  std::mt19937 rng(2026);
  size_t regex_hits = 0, digit_texts = 0;
  for (int k = 0; k < 4000; ++k) {
    const std::string text = RandomText(rng, Pieces(), 24);
    Verdict vf, vs;
    std::vector<HitKey> hf = RawHits(*fast, *sf, text, &vf);
    std::vector<HitKey> hs = RawHits(*slow, *ss, text, &vs);
    ASSERT_EQ(hf, hs) << text;
    ASSERT_EQ(vf.labels, vs.labels) << text;
    ASSERT_EQ(vf.matches.size(), vs.matches.size()) << text;
    for (size_t i = 0; i < vf.matches.size(); ++i) {
      EXPECT_EQ(vf.matches[i].rule_id, vs.matches[i].rule_id) << text;
      EXPECT_EQ(vf.matches[i].begin, vs.matches[i].begin) << text;
      EXPECT_EQ(vf.matches[i].end, vs.matches[i].end) << text;
    }
    for (const HitKey& h : hf) {
      const uint32_t rule = std::get<0>(h);
      for (size_t p = 0; p < rep.patterns.size(); ++p)
        if (rep.patterns[p].rule == rule && rep.patterns[p].type == internal::PatternType::kRegex) {
          ++regex_hits;
          break;
        }
    }
    digit_texts += text.find_first_of("0123456789") != std::string::npos;
  }
  // Not vacuous: regex hits (with and without digits) were compared.
  EXPECT_GT(regex_hits, 2000u);
  EXPECT_GT(digit_texts, 2000u);
}

// Digits far apart give separate windows; a match that spans two numbers
// ("от 10 000 до 20 000 р") lies in one merged window.
TEST(ScanShortcutsTest, NumbersAtTheEdgesAndFarApart) {
  auto fast = Compile();
  auto slow = CompileWithoutShortcuts();
  ASSERT_TRUE(fast && slow);
  auto sf = fast->NewScratch();
  auto ss = slow->NewScratch();
  const std::string filler =
      " когда же наконец отремонтируют дорогу во дворе, администрация района молчит ";
  const std::vector<std::string> texts = {
      "5000р в день",
      "заплачу 3000 р на руки",
      "от 10 000 до 20 000 р в месяц" + filler + "пиши в лс 89123456789",
      "1" + filler + filler + "оплата 2500 р каждому" + filler + "7",
      filler + "8 800 555 35 35" + filler + "+7 912 345-67-89",
      "9",
      "12 12 12 12 12 12 12 12 12 12 12 12 12 12 12 12 12 12 12 12 р",
  };
  for (const std::string& t : texts) {
    Verdict vf, vs;
    EXPECT_EQ(RawHits(*fast, *sf, t, &vf), RawHits(*slow, *ss, t, &vs)) << t;
    EXPECT_EQ(vf.labels, vs.labels) << t;
  }
}

// Classify drops idle context (tag-only hits when no combo can have all its
// tags) before any work; Explain keeps every hit. The verdicts must agree
// on comments where combos fire, where they cannot, and where a tag is
// present but its partner is not.
TEST(ScanShortcutsTest, DroppingIdleContextHitsKeepsTheVerdict) {
  auto engine = Compile();
  ASSERT_TRUE(engine);
  const Engine::Rep& rep = engine->rep();
  std::vector<std::string> pieces = Pieces();
  for (const char* p : {"цыгане", "все", "воры", "гнать их", "мигранты", "понаехали",
                        "депутаты", "чиновники", "пенсионеры", "из города", "ты", "тупой",
                        "надо", "не надо", "кто поможет", "вынести шкаф", "ищем",
                        "курьеров", "срочно", "всех", "выселить", "женщины", "за рулем"})
    pieces.push_back(p);
  auto s = engine->NewScratch();
  std::mt19937 rng(30);
  size_t dropped = 0, combos_fired = 0;
  for (int k = 0; k < 3000; ++k) {
    const std::string text = RandomText(rng, pieces, 12);
    Verdict v;
    engine->Classify(text, *s, &v);
    bool tag_only_raw = false, tag_only_kept = false;
    for (const internal::RawHit& h : s->rep().raw)
      tag_only_raw |= h.rule < rep.entries.size() && rep.entries[h.rule].tag_only;
    for (const internal::Hit& h : s->rep().hits) {
      tag_only_kept |= h.rule < rep.entries.size() && rep.entries[h.rule].tag_only;
      combos_fired += h.rule < rep.entries.size() &&
                      rep.entries[h.rule].kind == EntryKind::kCombo;
    }
    dropped += tag_only_raw && !tag_only_kept;
    const Verdict x = engine->Explain(text).verdict;
    ASSERT_EQ(v.labels, x.labels) << text;
    ASSERT_EQ(v.traits, x.traits) << text;
    for (int c = 0; c < kNumCategories; ++c) EXPECT_EQ(v.scores[c], x.scores[c]) << text;
    ASSERT_EQ(v.matches.size(), x.matches.size()) << text;
    for (size_t i = 0; i < v.matches.size(); ++i) {
      EXPECT_EQ(v.matches[i].rule_id, x.matches[i].rule_id) << text;
      EXPECT_EQ(v.matches[i].begin, x.matches[i].begin) << text;
      EXPECT_EQ(v.matches[i].end, x.matches[i].end) << text;
      EXPECT_EQ(v.matches[i].trait, x.matches[i].trait) << text;
    }
  }
  // Not vacuous: both branches ran many times.
  EXPECT_GT(dropped, 300u);
  EXPECT_GT(combos_fired, 300u);
}

}  // namespace
}  // namespace rumod
