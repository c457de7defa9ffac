// Fast paths of the hot loop agree with the general code they shortcut:
// the normalizer's letter-case and emoji counts against a plain decoder, and
// the spam signals computed from those counts against the full byte pass.
// All inputs are written for these tests.
#include <gtest/gtest.h>

#include <unicode/uchar.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "classify/links.h"
#include "rumod/normalizer.h"
#include "rumod/verdict.h"
#include "util/utf8.h"
#include "project_tables.h"

namespace rumod {
namespace {

const Normalizer& Norm() { return testing_util::ProjectNormalizer(); }

// Texts mixing scripts, case, emoji, punctuation, fullwidth and invisible
// characters, combining marks, links and handles.
const std::vector<std::string>& Samples() {
  static const std::vector<std::string> v = {
      "",
      "Привет, как дела?",
      "ВСЕ СЮДА СРОЧНО ЗАХОДИТЕ ПОКА НЕ ПОЗДНО!!!",
      "ЁЛКА ёлка Ёж ёж",
      "Hello WORLD and Мир",
      "Ура 🎉🎉🎉🎉 праздник 😀😀😀😀 ‼ ⁉ ©",
      "Ｆｕｌｌｗｉｄｔｈ ＣＡＰＳ и обычный текст",
      "не\u200bвидимый пр\u00adобел и у\u0301дарение",
      "смотри https://vk.com/wall1_2 и t.me/chan",
      "пиши @someone_bot или @ИМЯ, почта a.b@mail.ru",
      "Ѐ ѐ Ї ї Є є Ґ ґ Ў ў — «кавычки» … “так”",
      "ΑΒΓ αβγ 中文 العربية",
      "x\xD0\x90\xD0y \xE2\x82 \xF0\x9F\x98 \xFF\xFE Ж",
  };
  return v;
}

struct Counts {
  uint32_t upper = 0, lower = 0, pict = 0;
};

// Straightforward count over valid UTF-8 (the definition).
Counts Reference(std::string_view s) {
  Counts c;
  for (char32_t cp : internal::Utf8ToU32(s)) {
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0x410 && cp <= 0x42F) || cp == 0x401) ++c.upper;
    if ((cp >= 'a' && cp <= 'z') || (cp >= 0x430 && cp <= 0x44F) || cp == 0x451) ++c.lower;
    if (cp >= 0x2000 && u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_EXTENDED_PICTOGRAPHIC))
      ++c.pict;
  }
  return c;
}

TEST(FastPathsTest, NormalizerCountsLettersAndEmojiOfValidText) {
  NormalizedText out;
  for (const std::string& s : Samples()) {
    Norm().Normalize(s, &out);
    if (out.flags & kInputInvalidUtf8) continue;
    Counts c = Reference(s);
    EXPECT_EQ(out.upper_letters, c.upper) << s;
    EXPECT_EQ(out.lower_letters, c.lower) << s;
    EXPECT_EQ(out.pictographs, c.pict) << s;
  }
  Norm().Normalize("ЁЖ жё AZ az 🎉", &out);
  EXPECT_EQ(out.upper_letters, 4u);
  EXPECT_EQ(out.lower_letters, 4u);
  EXPECT_EQ(out.pictographs, 1u);
  Norm().Normalize("", &out);  // reset by the next call
  EXPECT_EQ(out.upper_letters + out.lower_letters + out.pictographs, 0u);
}

// The signals from the normalizer's counts equal those of the full pass over
// the bytes (forced by flagging the text as invalid UTF-8).
void ExpectSameSignals(const std::string& s) {
  NormalizedText norm;
  Norm().Normalize(s, &norm);
  internal::SpamSignals fast, full;
  internal::ComputeSpamSignals(s, norm, ClassifyOptions{}, &fast);
  NormalizedText forced = norm;
  forced.flags |= kInputInvalidUtf8;
  forced.upper_letters = forced.lower_letters = forced.pictographs = 12345;
  internal::ComputeSpamSignals(s, forced, ClassifyOptions{}, &full);
  ASSERT_EQ(fast.size, full.size) << s;
  for (int i = 0; i < fast.size; ++i) {
    EXPECT_STREQ(fast.items[i].id, full.items[i].id) << s;
    EXPECT_EQ(fast.items[i].weight, full.items[i].weight) << s;
    EXPECT_EQ(fast.items[i].begin, full.items[i].begin) << s;
    EXPECT_EQ(fast.items[i].end, full.items[i].end) << s;
  }
}

TEST(FastPathsTest, SpamSignalsFromCountsEqualTheFullPass) {
  for (const std::string& s : Samples()) ExpectSameSignals(s);
  // The flood signals do fire on some of them (the test is not vacuous).
  NormalizedText norm;
  internal::SpamSignals sig;
  Norm().Normalize(Samples()[2], &norm);
  internal::ComputeSpamSignals(Samples()[2], norm, ClassifyOptions{}, &sig);
  ASSERT_EQ(sig.size, 1);
  EXPECT_STREQ(sig.items[0].id, "spam.caps_flood");
  Norm().Normalize(Samples()[5], &norm);
  internal::ComputeSpamSignals(Samples()[5], norm, ClassifyOptions{}, &sig);
  ASSERT_EQ(sig.size, 1);
  EXPECT_STREQ(sig.items[0].id, "spam.emoji_flood");
  // Random mixtures of the pieces above.
  std::mt19937 rng(7);
  for (int k = 0; k < 300; ++k) {
    std::string s;
    for (int j = 0; j < 6; ++j) {
      const std::string& p = Samples()[rng() % Samples().size()];
      s += p.substr(0, rng() % (p.size() + 1));
      s += ' ';
    }
    ExpectSameSignals(s);
  }
}

}  // namespace
}  // namespace rumod

namespace rumod {
namespace {

// Every view byte with its original span, "byte:begin-end" (boundaries ' ').
std::vector<std::string> Spans(std::string_view text) {
  NormalizedText out;
  Norm().Normalize(text, &out);
  std::vector<std::string> v;
  for (size_t i = 0; i < out.text.bytes.size(); ++i)
    v.push_back(ViewToUtf8(out.text.bytes.substr(i, 1)) + ":" + std::to_string(out.text.begin[i]) +
                "-" + std::to_string(out.text.end[i]));
  return v;
}

// The decoder's one loop for ASCII and Cyrillic letters hands everything
// else to the general path mid-word; the offsets stay exact at each switch.
TEST(FastPathsTest, DecoderLeavesAndResumesTheLetterLoopWithExactOffsets) {
  using V = std::vector<std::string>;
  // Ѐ (U+0400) folds to е inside the loop; Ӂ (U+04C1, base Ж) and U+0483 (a
  // combining mark) leave it.
  EXPECT_EQ(Spans("жЀж"), (V{" :0-0", "ж:0-2", "е:2-4", "ж:4-6", " :6-6"}));
  EXPECT_EQ(Spans("аӁа"), (V{" :0-0", "а:0-2", "ж:2-4", "а:4-6", " :6-6"}));
  EXPECT_EQ(Spans("жӁж"), (V{" :0-0", "ж:0-6", " :6-6"}));  // one collapsed run
  EXPECT_EQ(Spans("да\xD2\x83да"), (V{" :0-0", "д:0-2", "а:2-6", "д:6-8", "а:8-10", " :10-10"}));
  // и + combining breve → й, the mark joins the letter's span.
  EXPECT_EQ(Spans("мои\xCC\x86"), (V{" :0-0", "м:0-2", "о:2-4", "й:4-8", " :8-8"}));
  // A lead byte cut off at the end, and one before an ASCII byte.
  EXPECT_EQ(Spans("ок\xD0"), (V{" :0-0", "о:0-2", "к:2-4", " :4-5"}));
  EXPECT_EQ(Spans("о\xD0z"), (V{" :0-0", "о:0-2", " :2-3", "z:3-4", " :4-4"}));
  // Fullwidth and zero-width characters inside a Cyrillic word.
  EXPECT_EQ(Spans("д\xE2\x80\x8B" "а"), (V{" :0-0", "д:0-2", "а:5-7", " :7-7"}));
  EXPECT_EQ(Spans("ＡＢ"), (V{" :0-0", "a:0-3", "b:3-6", " :6-6"}));
}

}  // namespace
}  // namespace rumod
