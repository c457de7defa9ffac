// Differential tests of the normalizer's fast path (Normalizer::Impl::FastRun
// in src/normalize/normalizer.cc): for every input, Normalize() with the fast
// path allowed must give exactly what the general pipeline gives (forced
// through the internal testing hook), on every byte of both views, both
// offset maps, links, flags and counts. Inputs are random texts glued from
// pieces written for this test (plain words, evasions, links, emoji,
// invisible characters, invalid bytes), plus random byte strings.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "normalize/internal.h"
#include "rumod/normalizer.h"
#include "project_tables.h"

namespace rumod {
namespace {

const Normalizer& Norm() { return testing_util::ProjectNormalizer(); }

std::string Escape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    }
  }
  return out;
}

// Normalizes `text` both ways and compares everything. Returns whether the
// fast path finished the call (false: it handed the text to the general
// pipeline); records a test failure on any difference.
// `label` replaces the text in failure messages when given.
bool SameBothWays(std::string_view text, const std::string& label = "") {
  NormalizedText fast, general;
  const internal::FastPathCounts before = internal::FastPathCountsForTesting();
  Norm().Normalize(text, &fast);
  const internal::FastPathCounts after = internal::FastPathCountsForTesting();
  internal::SetForceGeneralPathForTesting(true);
  Norm().Normalize(text, &general);
  internal::SetForceGeneralPathForTesting(false);
  const std::string what =
      label.empty() ? "input: \"" + Escape(text) + "\"" : label;
  EXPECT_EQ(Escape(fast.text.bytes), Escape(general.text.bytes)) << what;
  EXPECT_EQ(fast.text.begin, general.text.begin) << what;
  EXPECT_EQ(fast.text.end, general.text.end) << what;
  EXPECT_EQ(Escape(fast.translit.bytes), Escape(general.translit.bytes)) << what;
  EXPECT_EQ(fast.translit.begin, general.translit.begin) << what;
  EXPECT_EQ(fast.translit.end, general.translit.end) << what;
  EXPECT_EQ(fast.links, general.links) << what;
  EXPECT_EQ(fast.flags, general.flags) << what;
  EXPECT_EQ(fast.mixed_script_words, general.mixed_script_words) << what;
  EXPECT_EQ(fast.first_mixed_word, general.first_mixed_word) << what;
  EXPECT_EQ(fast.upper_letters, general.upper_letters) << what;
  EXPECT_EQ(fast.lower_letters, general.lower_letters) << what;
  EXPECT_EQ(fast.pictographs, general.pictographs) << what;
  // The general path itself never counts as a fast-path call.
  const internal::FastPathCounts end = internal::FastPathCountsForTesting();
  EXPECT_EQ(end.fast, after.fast);
  EXPECT_EQ(end.fallbacks, after.fallbacks);
  return after.fast == before.fast + 1;
}

// Pieces a text is glued from. Words a plain comment is made of first.
const std::vector<std::string> kPlainWords = {
    "привет", "Слово", "МОЛОКО", "ёлка", "Ёжик", "класс", "ссора", "дааа",
    "оооочень", "кто", "то", "вот", "и", "в", "а", "с", "к", "я", "у", "о",
    "ты", "мы", "їжак", "ґанок", "є", "і", "ў", "жжж", "ааааа", "нет",
    "hello", "World", "blyat", "nahuy", "xyz", "shchuka", "yaya", "a", "i",
    "o", "x", "ok", "AAA", "aabbcc", "Kh", "2024", "3", "1", "0", "9", "42",
    "007", "10", "abc123", "x1", "ABBA"};
const std::vector<std::string> kPlainSeps = {
    " ", " ", " ", "  ", "\n", "\t", ", ", ". ", "! ", "? ", " - ", "-", "_",
    " — ", "«", "»", "“", "”", "\u00A0", "… ", ": ", "; ", " (", ") ", "\"",
    "'", "/", "!!!", "?!", ".", ",", "\r\n", "\u2013", "\u2019", "\u00AB",
    "\u2025 ", "\u2024 ", "...", " ."};
// Everything else: evasions, links, symbols, other scripts, broken bytes.
const std::vector<std::string> kTrickyPieces = {
    // look-alikes and translit inside Cyrillic words
    "xyйня", "пиzдец", "бл9", "п1зда", "съем15", "10й", "2х1х1", "6лядь",
    "3х", "1кг", "привет123", "abcабв", "mир", "Мoсква", "бл@ть", "$ука",
    "пиздεц", "ᴀкᴛиʙных", "ɯ", "kʌp", "Aᵀ", "(AB)ᵀ", "15ᵒ",
    // masks and dots
    "х*й", "п**дец", "**важно**", "#тег", "100%", "~~", "^_^", "*", "п�здец",
    "п...здец", "на..уй", "х..й", "ну...и", "привет...как", "т.е.", "т.к.",
    "и т.д.", "слово.Слово", "…", "п…здец", "a.b", "..", "...", "3.5",
    "12.05.2023", "ab..c", "ы..", "..ы", "5..8", "фейк...ну", "бл.ядь",
    // links
    "vk.com/x", "https://example.org/a?b=1", "www.site.ru", "mail@host.ru",
    "@handle", "t.me/chan", "пригород.рф", "[id123|Имя]", "[club1|x]",
    "http://", "a:b", "12:30", ":/", "vk.com.", "(vk.com)", "«vk.com»",
    "WWW.x", "www", "ya.ru", "slovo.com", "a.b.c", "t\u3002me/x", "x.y",
    "site.рф", "[", "]", "[id1|", "vk.com-", "google.com,", "e@x",
    // split letters
    "х у й", "б.л.я", "п-и-з-д-а", "п_и_з_д_а", "Б. Л. Я.", "п 1 з д а",
    "а я и в", "в с к", "x y z", "я и ты", "1 2 3", "и 3 и 6", "а. б. в.",
    // multi-character look-alikes
    "}|{", ">|<", "|-|", "/\\", "|\\|", "()", "п()рн", "|<", "3.14здец",
    "3,14", "(", ")", "))))", "(((", "()()", ":)", ":(", "<3", "ж}|{а",
    "((а", "а(", "3", "33", "/",
    // emoji, symbols
    "😂", "🖕", "🇷🇺", "👍🏻", "❤️", "‼", "⁉", "©", "™", "🖕🏿", "°", "№",
    // invisible and control characters, combining marks
    "\u200B", "\u200D", "\u00AD", "\uFEFF", "\u2060", std::string("\x01", 1),
    "\x7F", "и\u0306", "е\u0301", "\u0301", "бл\u200Dядь", "х\u00ADуй",
    std::string("пи\x01здец", 13), "\u2028", "\u3000",
    // other scripts and compatibility forms
    "αβγ", "日本", "مرحبا", "Ｈｕｙ", "𝐱𝐮𝐢", "é", "ß", "ﬁ", "ӣ", "ѣ", "Ω",
    "½", "²", "ª", "ⓑ",
    // invalid UTF-8
    "\xFF", "\xC3", "\xE2\x80", "\xED\xA0\x80", "\xF0\x9F", "\xD0", "\xD1 ",
    "\xC0\xAF", "\xE2\x80\xA6\xA6", "\xD0\xD0\xB0"};

class Rng {
 public:
  explicit Rng(uint32_t seed) : x_(seed) {}
  uint32_t Next() {
    x_ ^= x_ << 13;
    x_ ^= x_ >> 17;
    x_ ^= x_ << 5;
    return x_;
  }
  size_t Below(size_t n) { return Next() % n; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  uint32_t x_;
};

// A random text of `pieces` pieces; tricky pieces with probability
// tricky_percent, glued without a separator 1 time in 6.
std::string RandomText(Rng& rng, int pieces, int tricky_percent) {
  std::string s;
  for (int k = 0; k < pieces; ++k) {
    if (static_cast<int>(rng.Below(100)) < tricky_percent) {
      s += rng.Pick(kTrickyPieces);
    } else {
      std::string w = rng.Pick(kPlainWords);
      if (rng.Below(8) == 0) w += w.substr(w.size() - 1);  // a doubled letter or digit
      s += w;
    }
    if (rng.Below(6) != 0) s += rng.Pick(kPlainSeps);
  }
  if (rng.Below(4) == 0) s = rng.Pick(kPlainSeps) + s;
  return s;
}

TEST(NormalizerFastPath, HandwrittenCases) {
  const std::vector<std::string> cases = {
      "", " ", "а", "Ну ты xyй!", "Привет, как дела? Всё хорошо.",
      "ХУУУУЙ", "класс!!! ссора", "кто-то где-то", "тест...тест",
      "это т.е. всё", "vk.com/club1 и всё", "пиши на mail@host.ru",
      "смотри www.site.ru", "см. https://example.org/a", "х у й", "я и ты",
      "а я и в", "п...здец", "на..уй", "3.14здец", "п()рн", "функция()",
      "время 12:30", "цена 3.5 рубля", "Слово.Слово", "ok ok ok", "a b c",
      "blyat", "nahuy blyat", "hello мир", "пиzдец", "бл9", "10й", "6лядь",
      "«цитата» — тире", "текст\u00A0с\u00A0nbsp", "многоточие… конец",
      "п…здец", "WWW.SITE.RU", "word.com", "a.b.c.d", "пригород.рф/путь",
      "(vk.com)", "ы..ы", "ыы..ы", "ыыы..ы", "1..2", "х\u2025й", "х\u2024й",
      "\u2024\u2024ы", "ы\u2026", "www\u2026", "3\u2026", "x:/y", "x://y",
      "ab://c", "[id1|Имя] привет", "#хештег", "**жирный**"};
  for (const std::string& c : cases) SameBothWays(c);
}

// Checks kRandomTexts random texts of up to `max_pieces` pieces
// (and RandomText's `tricky_percent`); returns how many the fast path finished.
constexpr int kRandomTexts = 20000;
int CheckRandomTexts(uint32_t seed, size_t max_pieces, int tricky_percent) {
  Rng rng(seed);
  int fast = 0;
  for (int t = 0; t < kRandomTexts; ++t) {
    const std::string s =
        RandomText(rng, 1 + static_cast<int>(rng.Below(max_pieces)), tricky_percent);
    fast += SameBothWays(s);
    if (::testing::Test::HasFailure()) break;
  }
  return fast;
}

TEST(NormalizerFastPath, RandomMixedTexts) {
  const int fast = CheckRandomTexts(12345, 12, 15);
  // Both paths must have been exercised.
  EXPECT_GT(fast, kRandomTexts / 10);
  EXPECT_LT(fast, kRandomTexts * 9 / 10);
}

TEST(NormalizerFastPath, RandomPlainTexts) {
  // Plain pieces only: the fast path must finish many of them (it hands
  // over texts with three single-character words in a row with the same
  // gaps, "www.", dots before a letter that may start a domain or mask a
  // letter; random texts of up to 30 pieces often have one of these). Since
  // " — " and "–" also join split letters, about 4 950 of 20 000 finish.
  EXPECT_GT(CheckRandomTexts(777, 30, 0), kRandomTexts / 5);
}

TEST(NormalizerFastPath, RandomBytes) {
  // Short strings over a byte alphabet rich in lead and continuation bytes,
  // separators and look-alike starts: truncated sequences at every place.
  static const unsigned char kBytes[] = {
      'a', 'W', 'w', '.', ' ', '3', '1', '(', ')', '|', '-', '_', ':', '/',
      '@', '[', '*', 0x01, 0xD0, 0xD1, 0xB0, 0x81, 0x8F, 0xE2, 0x80, 0x81,
      0xA6, 0xA5, 0xC2, 0xC3, 0xA0, 0xAB, 0xAD, 0xF0, 0x9F, 0xFF, 0xBF};
  Rng rng(99);
  for (int t = 0; t < 20000; ++t) {
    std::string s;
    const size_t len = rng.Below(24);
    for (size_t k = 0; k < len; ++k)
      s.push_back(static_cast<char>(kBytes[rng.Below(sizeof kBytes)]));
    SameBothWays(s);
    if (HasFailure()) break;
  }
}

TEST(NormalizerFastPath, RandomCyrillicRuns) {
  // Runs of 2-byte letters, which the fast path reads eight at a time when
  // sixteen bytes are left: every letter of А..я, ё/Ё, doubled and tripled
  // letters, Cyrillic letters outside а..я that fold into it (ѣ є і ў ґ),
  // lead bytes without a continuation and continuations of other leads,
  // at every distance from the end of the text.
  static const std::vector<std::string> kOdd = {
      "ё", "Ё", "ѣ", "є", "і", "ў", "ґ", "\xD1" "A", "\xD0\xC0", "\xD0",
      "\xD1\x7F", "\xD2\x80", "\xD1\xBF", "\xD0\x80", " ", "-", "1", "x"};
  Rng rng(2026);
  int long_runs = 0;
  for (int t = 0; t < 20000; ++t) {
    std::string s;
    const size_t letters = 1 + rng.Below(40);
    uint32_t prev = 0;
    for (size_t k = 0; k < letters; ++k) {
      if (rng.Below(25) == 0) {
        s += rng.Pick(kOdd);
        continue;
      }
      // а..я (U+0430..044F) or А..Я (U+0410..042F); a doubled letter 1 in 6.
      uint32_t cp = rng.Below(6) == 0 && prev != 0
                        ? prev
                        : 0x410 + static_cast<uint32_t>(rng.Below(64));
      prev = cp;
      s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
    long_runs += letters >= 16;
    SameBothWays(s);
    SameBothWays(s + " " + s.substr(0, s.size() / 2));
    if (HasFailure()) break;
  }
  EXPECT_GT(long_runs, 5000);
}

TEST(NormalizerFastPath, LongPlainText) {
  // One long text (views grow past the initial reservation).
  Rng rng(4242);
  std::string s;
  while (s.size() < 300000) s += RandomText(rng, 20, 0) + " ";
  SameBothWays(s);
  std::string cyr;
  for (int k = 0; k < 50000; ++k) cyr += "ааб";
  EXPECT_TRUE(SameBothWays(cyr));
}

TEST(NormalizerFastPath, SharedCorporaWhenPresent) {
  // Evaluation corpora, read at run time only (never copied here): every
  // text must normalize identically both ways.
  const std::string base = std::string(RUMOD_SHARED_DIR) + "/data/";
  const char* kSets[] = {"kaggle_2ch_pikabu", "russe_detox_2022", "rdt_vk",
                         "sexism_ru_gsoc2019", "saitov_abusive",
                         "tg_spam_umputun", "tg_antispambot_spam"};
  size_t texts = 0;
  for (const char* set : kSets) {
    size_t set_texts = 0, set_fast = 0;
    std::ifstream in(base + set + "/data.jsonl");
    std::string line;
    size_t line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      const auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("text") || !j["text"].is_string()) continue;
      // The label names the line: data texts are not printed.
      set_fast += SameBothWays(j["text"].get<std::string>(),
                               std::string(set) + "/data.jsonl line " +
                                   std::to_string(line_no));
      ++set_texts;
      if (HasFailure()) return;
    }
    if (set_texts > 0)  // for information: the share the fast path finished
      std::printf("%s: fast path %zu of %zu texts\n", set, set_fast, set_texts);
    texts += set_texts;
  }
  if (texts == 0) GTEST_SKIP() << "no shared data under " << base;
}

}  // namespace
}  // namespace rumod
