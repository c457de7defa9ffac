// Unit tests of rumod::Normalizer (include/rumod/normalizer.h) with the real
// table dictionaries/ru/confusables.tsv. All inputs are written for these
// tests.
#include "rumod/normalizer.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rumod/verdict.h"
#include "project_tables.h"

namespace rumod {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const Normalizer& Norm() { return testing_util::ProjectNormalizer(); }

// Readable main view.
std::string View(std::string_view text, uint32_t* flags = nullptr) {
  NormalizedText out;
  Norm().Normalize(text, &out);
  if (flags) *flags = out.flags;
  return ViewToUtf8(out.text.bytes);
}
std::string Translit(std::string_view text) {
  NormalizedText out;
  Norm().Normalize(text, &out);
  return ViewToUtf8(out.translit.bytes);
}

struct WordSpan {
  std::string word;      // readable view word
  std::string original;  // original bytes that produced it
};

// Splits a view into words and the original substring of each.
std::vector<WordSpan> Words(std::string_view text, const NormalizedView& v) {
  std::vector<WordSpan> out;
  size_t i = 0;
  while (i < v.bytes.size()) {
    if (v.bytes[i] == ' ') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < v.bytes.size() && v.bytes[j] != ' ') ++j;
    Span s = v.Original(i, j);
    out.push_back({ViewToUtf8(v.bytes.substr(i, j - i)),
                   std::string(text.substr(s.begin, s.end - s.begin))});
    i = j;
  }
  return out;
}

// Checks the structural invariants of a view over `text`.
void CheckInvariants(std::string_view text, const NormalizedView& v,
                     bool may_be_empty) {
  ASSERT_EQ(v.bytes.size(), v.begin.size());
  ASSERT_EQ(v.bytes.size(), v.end.size());
  if (v.bytes.empty()) {
    ASSERT_TRUE(may_be_empty);
    return;
  }
  EXPECT_EQ(v.bytes.front(), ' ');
  EXPECT_EQ(v.bytes.back(), ' ');
  for (size_t i = 0; i < v.bytes.size(); ++i) {
    ASSERT_LE(v.begin[i], v.end[i]) << i;
    ASSERT_LE(v.end[i], text.size()) << i;
    if (i > 0) {
      ASSERT_FALSE(v.bytes[i] == ' ' && v.bytes[i - 1] == ' ') << i;
      ASSERT_LE(v.begin[i - 1], v.begin[i]) << i;
    }
    const uint8_t b = static_cast<uint8_t>(v.bytes[i]);
    const bool ok = b == ' ' || b == '*' || b == 0x01 || b == '_' ||
                    (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') ||
                    b == '{' || b == '|' || b == '}' || b >= 0xE0;
    ASSERT_TRUE(ok) << "byte " << int{b} << " at " << i;
  }
}

void CheckAll(std::string_view text) {
  NormalizedText out;
  Norm().Normalize(text, &out);
  CheckInvariants(text, out.text, false);
  CheckInvariants(text, out.translit, true);
}

// --- basic -------------------------------------------------------------------

TEST(NormalizerTest, EmptyInputIsOneBoundary) {
  NormalizedText out;
  Norm().Normalize("", &out);
  EXPECT_EQ(out.text.bytes, " ");
  EXPECT_THAT(out.text.begin, ElementsAre(0u));
  EXPECT_THAT(out.text.end, ElementsAre(0u));
  EXPECT_TRUE(out.translit.empty());
  EXPECT_THAT(out.links, IsEmpty());
  EXPECT_EQ(out.flags, 0u);
}

TEST(NormalizerTest, OnlySeparators) {
  EXPECT_EQ(View("  ,!?  "), " ");
  EXPECT_EQ(View("🙂🙂"), " ");
}

TEST(NormalizerTest, HeaderExample) {
  NormalizedText out;
  Norm().Normalize("Ну ты xyй!", &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " ну ты хуй ");
  EXPECT_EQ(out.mixed_script_words, 1u);
  EXPECT_TRUE(out.flags & kInputConfusables);
}

TEST(NormalizerTest, CaseFoldingAndYo) {
  EXPECT_EQ(View("ЁЖИК Ёлка ПРИВЕТ"), " ежик елка привет ");
  EXPECT_EQ(View("Її Єва Ґанок Ўсё"), " и ева ганок усе ");  // ии collapses
  EXPECT_EQ(View("Мой Йогурт"), " мой йогурт ");
}

TEST(NormalizerTest, CompactAlphabetBytes) {
  NormalizedText out;
  Norm().Normalize("аЯ ok 42", &out);
  EXPECT_EQ(out.text.bytes, std::string(" \xE0\xFF ok 42 "));
}

TEST(NormalizerTest, PunctuationSplitsWords) {
  EXPECT_EQ(View("Привет,мир! Как дела?"), " привет мир как дела ");
  EXPECT_EQ(View("кто-то «сказал» — (нет)"), " кто то сказал нет ");
}

// --- UTF-8 validation ------------------------------------------------------

TEST(NormalizerTest, InvalidUtf8IsReplacedAndFlagged) {
  const std::vector<std::string> bad = {
      "\xFF",                    // never valid
      "мир\x80",                 // lone continuation byte
      "\xD0",                    // truncated 2-byte sequence at the end
      "\xE2\x82",                // truncated 3-byte sequence
      "\xF0\x9F\x98",            // truncated 4-byte sequence
      "\xC0\xAF",                // overlong '/'
      "\xE0\x80\xAF",            // overlong 3-byte
      "\xF0\x80\x80\xAF",        // overlong 4-byte
      "\xED\xA0\x80",            // UTF-16 surrogate D800
      "\xED\xBF\xBF",            // surrogate DFFF
      "\xF4\x90\x80\x80",        // above U+10FFFF
      "\xF8\x88\x80\x80\x80",    // 5-byte form
      std::string("a\0b", 3),    // NUL is valid but a separator
  };
  for (const std::string& s : bad) {
    uint32_t flags = 0;
    View(s, &flags);
    if (s.size() == 3 && s[1] == '\0') {
      // NUL is valid UTF-8 and, like the other C0 controls, invisible: it
      // is dropped inside a word (no "ху\0й" evasion).
      EXPECT_FALSE(flags & kInputInvalidUtf8);
      EXPECT_EQ(View(s), " ab ");
    } else {
      EXPECT_TRUE(flags & kInputInvalidUtf8) << testing::PrintToString(s);
    }
    CheckAll(s);
  }
}

TEST(NormalizerTest, ControlCharactersInsideWordsAreDropped) {
  uint32_t flags = 0;
  EXPECT_EQ(View("ху\x01й", &flags), " хуй ");
  EXPECT_TRUE(flags & kInputInvisible);
  EXPECT_EQ(View("пи\x1f\x7fздец"), " пиздец ");
  EXPECT_EQ(View(std::string("ху\0й", 7)), " хуй ");
  // White-space controls still separate words.
  EXPECT_EQ(View("привет\tмир\nпока"), " привет мир пока ");
}

TEST(NormalizerTest, TypedReplacementCharacterIsAMaskInvalidBytesAreNot) {
  uint32_t flags = 0;
  EXPECT_EQ(View("п\xEF\xBF\xBDздец", &flags), " п*здец ");
  EXPECT_FALSE(flags & kInputInvalidUtf8);
  EXPECT_TRUE(flags & kInputMasked);
  // A byte that is not UTF-8 is a boundary: a broken encoding never glues
  // two words together.
  EXPECT_EQ(View("п\xFFздец", &flags), " п здец ");
  EXPECT_TRUE(flags & kInputInvalidUtf8);
}

TEST(NormalizerTest, InvalidBytesAreBoundariesWithOffsets) {
  const std::string text = "хуй\xFFмир\xE2\x82";
  NormalizedText out;
  Norm().Normalize(text, &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " хуй мир ");
  auto w = Words(text, out.text);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].original, "хуй");
  EXPECT_EQ(w[1].original, "мир");
  // The boundary between them covers the invalid byte.
  EXPECT_EQ(out.text.begin[4], 6u);
  EXPECT_EQ(out.text.end[4], 7u);
  // The trailing boundary covers the truncated sequence.
  EXPECT_EQ(out.text.end.back(), text.size());
}

TEST(NormalizerTest, TruncatedSequenceDoesNotEatNextCharacter) {
  // E2 82 is an incomplete 3-byte sequence; 'д' must survive.
  EXPECT_EQ(View("а\xE2\x82д"), " а д ");
  EXPECT_EQ(View("\xF0\x9F\x98" "да"), " да ");
}

TEST(NormalizerTest, TenMegabyteInput) {
  std::string text;
  const std::string piece = "Ну ты и xyйло, бл@ть! \xFF https://vk.com/x ";
  while (text.size() < 10u << 20) text += piece;
  NormalizedText out;
  const auto t0 = std::chrono::steady_clock::now();
  Norm().Normalize(text, &out);
  const auto dt = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(dt).count(), 10);
  EXPECT_TRUE(out.flags & kInputInvalidUtf8);
  EXPECT_EQ(out.text.bytes.front(), ' ');
  EXPECT_EQ(out.text.end.back(), text.size());
  EXPECT_GT(out.links.size(), 100000u);
}

TEST(NormalizerTest, RandomBytesNeverCrash) {
  uint32_t x = 12345;
  std::string s;
  NormalizedText out;
  for (int iter = 0; iter < 2000; ++iter) {
    s.clear();
    const int len = iter % 64;
    for (int i = 0; i < len; ++i) {
      x = x * 1103515245 + 12345;
      // Bias towards interesting bytes.
      static const uint8_t kBytes[] = {'a', ' ', '.', '*', '@', 0xD0, 0xD1,
                                       0xB0, 0x80, 0xFF, 0xE2, 0xF0, '[', '|',
                                       ']', '-', '3', 'x', 0xCC, 0x86};
      s.push_back(static_cast<char>((x >> 16) % 3 == 0
                                        ? (x >> 8) & 0xFF
                                        : kBytes[(x >> 8) % sizeof(kBytes)]));
    }
    SCOPED_TRACE(testing::PrintToString(s));
    Norm().Normalize(s, &out);
    CheckInvariants(s, out.text, false);
    CheckInvariants(s, out.translit, true);
  }
}

// --- Unicode folding -------------------------------------------------------

TEST(NormalizerTest, NfkcFullwidthMathCircled) {
  EXPECT_EQ(View("ＨＵＹ"), " huy ");
  EXPECT_EQ(View("𝐱𝐮𝐢"), " xui ");
  EXPECT_EQ(Translit("𝐱𝐮𝐢"), " хуи ");
  EXPECT_EQ(View("ⓑⓛⓨⓐⓣ"), " blyat ");
  EXPECT_EQ(View("ﬁnal"), " final ");
}

TEST(NormalizerTest, DefaultIgnorablesInsideWords) {
  uint32_t flags = 0;
  EXPECT_EQ(View("бл\u200Dядь", &flags), " блядь ");  // ZWJ
  EXPECT_TRUE(flags & kInputInvisible);
  EXPECT_EQ(View("х\u200Bу\u200Cй"), " хуй ");        // ZWSP, ZWNJ
  EXPECT_EQ(View("пи\u00ADздец"), " пиздец ");          // soft hyphen
  EXPECT_EQ(View("\uFEFFсука\u2060"), " сука ");       // BOM, word joiner
  EXPECT_EQ(View("му\u202Bдак"), " мудак ");            // bidi embedding
  EXPECT_EQ(View("му\u202Eкад"), " мудак ");            // override: shown reversed
  EXPECT_EQ(View("ху\uFE0Fй"), " хуй ");                // variation selector
}

TEST(NormalizerTest, CombiningMarksStrippedButShortIKept) {
  EXPECT_EQ(View("приве\u0301т"), " привет ");      // stress mark
  EXPECT_EQ(View("х\u0306у\u0308й"), " хуй ");      // decorations
  EXPECT_EQ(View("хуй"), " хуй ");                  // precomposed й
  EXPECT_EQ(View("хуи\u0306"), " хуй ");            // и + breve → й
  EXPECT_EQ(View("ХУИ\u0306"), " хуй ");
  EXPECT_EQ(View("е\u0308жик"), " ежик ");          // е + diaeresis → е
  EXPECT_EQ(View("pīzdéc"), " pizdec ");           // Latin diacritics
  EXPECT_EQ(View("х\u0489уй"), " хуй ");            // Cyrillic enclosing mark
}

// --- confusables -----------------------------------------------------------

TEST(NormalizerTest, ConfusablesInCyrillicWords) {
  uint32_t flags = 0;
  EXPECT_EQ(View("xyй", &flags), " хуй ");
  EXPECT_TRUE(flags & kInputConfusables);
  EXPECT_EQ(View("пиздεц"), " пиздец ");  // Greek epsilon
  EXPECT_EQ(View("п1зда"), " пизда ");
  EXPECT_EQ(View("бл@ть"), " блать ");
  EXPECT_EQ(View("6лядь"), " блядь ");
  EXPECT_EQ(View("3.14здец"), " пиздец ");
  EXPECT_EQ(View("}|{опа"), " жопа ");
  EXPECT_EQ(View("пиzдец"), " пиздец ");   // translit fallback z → з
  EXPECT_EQ(View("ПИЗДEЦ"), " пиздец ");   // Latin E among capitals
  EXPECT_EQ(View("бл9"), " бля ");
  EXPECT_EQ(View("$ука"), " сука ");
}

TEST(NormalizerTest, MixedScriptWordsCounted) {
  NormalizedText out;
  Norm().Normalize("xyй и пиздεц, но привет и hello", &out);
  EXPECT_EQ(out.mixed_script_words, 2u);
  Norm().Normalize("привет мир", &out);
  EXPECT_EQ(out.mixed_script_words, 0u);
  EXPECT_FALSE(out.flags & kInputConfusables);
}

TEST(NormalizerTest, ExoticLettersOfTheShippedTable) {
  // Small capitals, Greek small capitals, IPA and modifier letters of the
  // [exotic] table (dictionaries/ru/confusables.tsv) read as Cyrillic.
  NormalizedText out;
  Norm().Normalize("ᴨᴩиʙᴇᴛ ᴧюди, ᴍᴏɯᴇᴛ ᴛᴀᴋ ᵐᴏжно", &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " привет люди мошет так можно ");
  EXPECT_EQ(out.mixed_script_words, 5u);
  // Coptic and Cherokee look-alikes, upper and lower case.
  EXPECT_EQ(View("ⲢⲟⲙⲁⲚ ⲣⲟⲙⲁⲛ"), " роман роман ");
  EXPECT_EQ(View("ᏦᎪ ꮶꭺ"), " ка ка ");
  // Greek stays a [lookalike]: Greek words keep their letters.
  Norm().Normalize("καλημέρα", &out);
  EXPECT_EQ(out.mixed_script_words, 0u);
  EXPECT_EQ(ViewToUtf8(out.text.bytes).find_first_of("абвгдежзиклмнопрстуфхцчшщъыьэюя"),
            std::string::npos);
}

TEST(NormalizerTest, EnglishStaysLatin) {
  NormalizedText out;
  const std::string text = "No doubt, the double shift was real trouble";
  Norm().Normalize(text, &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes),
            " no doubt the double shift was real trouble ");
  for (char c : out.text.bytes)
    EXPECT_LT(static_cast<uint8_t>(c), 0x80) << "Cyrillic byte in English";
  EXPECT_FALSE(out.flags & kInputConfusables);
  EXPECT_EQ(out.mixed_script_words, 0u);
}

TEST(NormalizerTest, DigitsAloneOrWithOneLetterStay) {
  EXPECT_EQ(View("в 2010 году"), " в 2010 году ");
  EXPECT_EQ(View("10й этаж"), " 10й этаж ");
  EXPECT_EQ(View("3х комнатная"), " 3х комнатная ");
  EXPECT_EQ(View("цена 3.14 руб"), " цена 3 14 руб ");
  EXPECT_EQ(View("за 1кг, съем15 тыс, 3мес"), " за 1кг съем15 тыс 3мес ");
  EXPECT_EQ(View("су4ка 0хуел"), " сучка охуел ");
}

// О/O typed for zeros in numbers (an amount-hiding trick of spam lures).
TEST(NormalizerTest, LetterOAsZeroInNumbers) {
  EXPECT_EQ(View("за 35ООр, до 5OOO руб"), " за 3500р до 5000 руб ");
  EXPECT_EQ(View("в 2О23 году, кв 1О, 3ООк"), " в 2023 году кв 10 300к ");
  uint32_t flags = 0;
  EXPECT_EQ(View("всего 7ОО", &flags), " всего 700 ");
  EXPECT_TRUE(flags & kInputConfusables);
  // Ordinals and words without a digit before the О stay letters.
  EXPECT_EQ(View("2ое место, 1ой подъезд, 10ом"), " 2ое место 1ой подъезд 10ом ");
  EXPECT_EQ(View("ОООО Облака"), " о облака ");
  // Each zero maps back to its own letter.
  const std::string text = "5ОO";
  NormalizedText out;
  Norm().Normalize(text, &out);
  ASSERT_EQ(ViewToUtf8(out.text.bytes), " 500 ");
  EXPECT_EQ(text.substr(out.text.begin[2], out.text.end[2] - out.text.begin[2]), "О");
  EXPECT_EQ(text.substr(out.text.begin[3], out.text.end[3] - out.text.begin[3]), "O");
}

// --- transliteration ---------------------------------------------------------

TEST(NormalizerTest, TranslitView) {
  EXPECT_EQ(Translit("blyat"), " блят ");
  EXPECT_EQ(Translit("pizdec"), " пиздец ");
  EXPECT_EQ(Translit("nahuy"), " нахуй ");
  EXPECT_EQ(Translit("suka"), " сука ");
  EXPECT_EQ(Translit("xuy"), " хуй ");
  EXPECT_EQ(Translit("Shchuka zhopa"), " щука жопа ");
  EXPECT_EQ(Translit("yebat"), " ебат ");
  EXPECT_EQ(Translit("byl"), " был ");
  EXPECT_EQ(Translit("pizdets"), " пиздец ");
  EXPECT_EQ(Translit("huynya"), " хуйня ");
}

TEST(NormalizerTest, TranslitForLatinWordsAndSoundReadings) {
  EXPECT_EQ(Translit("привет мир"), "");
  EXPECT_EQ(Translit("ну ты suka и mudak"), " сука мудак ");
  EXPECT_EQ(Translit("abc123"), "");  // digits: not a Latin word
  // A Cyrillic word that opens with a Latin p reads р by shape in the main
  // view and п in the translit view; the rest of the word reads as in the
  // main view.
  EXPECT_EQ(View("pидор"), " ридор ");
  EXPECT_EQ(Translit("pидор"), " пидор ");
  EXPECT_EQ(Translit("ну ты pидоp"), " пидор ");  // the last p: р by shape
  EXPECT_EQ(Translit("pи3дец"), " пиздец ");
  EXPECT_EQ(Translit("PИДОР"), " пидор ");
  // Only a first p: Latin letters inside a word, and the other letters with
  // two readings (b, h, u, n, c, y...), are read by shape only; their sound
  // readings made innocent words obscene (Еbро, коpидор, Hули, волhует).
  EXPECT_EQ(Translit("xaм и кoт"), "");
  EXPECT_EQ(Translit("коpидор Еbро Hули волhует cyкa"), "");
  EXPECT_EQ(Translit("p"), " п ");  // a Latin word: its own translit reading
  EXPECT_EQ(Translit("p*дор"), "");  // a masked word: main view only
}

TEST(NormalizerTest, RightToLeftOverrideIsReadInDisplayOrder) {
  // U+202E shows what follows it reversed, up to U+202C (PDF), U+202D
  // (LRO), an embedding, an isolate control, a paragraph break or the end.
  EXPECT_EQ(View("\u202Eйух\u202C"), " хуй ");
  EXPECT_EQ(View("ну ты \u202Eкадум\u202C и всё"), " ну ты мудак и все ");
  EXPECT_EQ(View("\u202Eтсет йух"), " хуй тест ");
  EXPECT_EQ(View("\u202Eйух\u202D ок"), " хуй ок ");
  EXPECT_EQ(View("\u202Eа\u202Eб\u202C\u202C"), " ба ");  // one run
  // A paragraph break ends the run; an isolate opening or closing ends it.
  EXPECT_EQ(View("\u202Eйух\nдалее текст"), " хуй дале текст ");
  EXPECT_EQ(View("Спасибо\u202E\nСпасибо тебе"), " спасибо спасибо тебе ");
  EXPECT_EQ(View("Спасибо\u202E\u2029Спасибо тебе"), " спасибо спасибо тебе ");
  EXPECT_EQ(View("\u2067\u202Eабв\u2069 спасибо тебе"), " вба спасибо тебе ");
  // An override after a paragraph break starts a run of its own; an
  // embedding inside an override ends it (its letters are not reversed).
  EXPECT_EQ(View("привет\u202E\nвот \u202Eйух"), " привет вот хуй ");
  EXPECT_EQ(View("\u202E\u202Bспасибо тебе\u202C\u202C"), " спасибо тебе ");
  // Embeddings and isolates do not reorder letters of one direction.
  EXPECT_EQ(View("\u202Bтест\u202C \u2067тест\u2069"), " тест тест ");
  // A match inside the run points to the whole run.
  const std::string text = "ну \u202Eкадум\u202C!";
  NormalizedText out;
  Norm().Normalize(text, &out);
  auto w = Words(text, out.text);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[1].word, "мудак");
  EXPECT_EQ(w[1].original, "кадум");
  for (std::string_view t : {"\u202E", "\u202C\u202E", "\u202E \u202C", "a\u202E.b\xff@c\u202Ed",
                             "\u202Ewww.пример.рф/путь", "\u202Eх у й", "\u202Eх*й п**дец"})
    CheckAll(t);
}

TEST(NormalizerTest, SoundReadingOffsetsPointToTheMixedWord) {
  const std::string text = "ну ты pидор!";
  NormalizedText out;
  Norm().Normalize(text, &out);
  auto w = Words(text, out.translit);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].word, "пидор");
  EXPECT_EQ(w[0].original, "pидор");
  CheckInvariants(text, out.translit, false);
}

TEST(NormalizerTest, TranslitOffsetsPointToLatinWord) {
  const std::string text = "ну ты, Blyat, nahuy!";
  NormalizedText out;
  Norm().Normalize(text, &out);
  auto w = Words(text, out.translit);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].word, "блят");
  EXPECT_EQ(w[0].original, "Blyat");
  EXPECT_EQ(w[1].word, "нахуй");
  EXPECT_EQ(w[1].original, "nahuy");
  // "ya" → я maps to both letters.
  Span s = out.translit.Original(3, 4);  // " бля" : я is byte 3
  EXPECT_EQ(text.substr(s.begin, s.end - s.begin), "ya");
  CheckInvariants(text, out.translit, false);
}

// --- stretched letters -----------------------------------------------------

TEST(NormalizerTest, StretchedLettersCollapse) {
  uint32_t flags = 0;
  EXPECT_EQ(View("хуууууууй", &flags), " хуй ");
  EXPECT_TRUE(flags & kInputStretched);
  EXPECT_EQ(View("ссора", &flags), " сора ");
  EXPECT_FALSE(flags & kInputStretched);  // a double letter is not stretching
  EXPECT_EQ(View("БЛЯЯЯЯЯЯЯ"), " бля ");
  EXPECT_EQ(View("xууууй"), " хуй ");       // after confusables
  EXPECT_EQ(View("nooooo"), " no ");
}

TEST(NormalizerTest, StretchedRunIsLinear) {
  std::string text = "х";
  for (int i = 0; i < 100000; ++i) text += "у";
  text += "й";
  NormalizedText out;
  const auto t0 = std::chrono::steady_clock::now();
  Norm().Normalize(text, &out);
  const auto dt = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " хуй ");
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(dt).count(),
            200);
  // The collapsed у covers the whole run.
  EXPECT_EQ(out.text.begin[2], 2u);
  EXPECT_EQ(out.text.end[2], 2u + 200000u);
}

// --- split letters -----------------------------------------------------------

TEST(NormalizerTest, SplitLettersJoined) {
  uint32_t flags = 0;
  EXPECT_EQ(View("х у й", &flags), " хуй ");
  EXPECT_TRUE(flags & kInputSplitLetters);
  EXPECT_EQ(View("б.л.я"), " бля ");
  EXPECT_EQ(View("б.л.я."), " бля ");
  EXPECT_EQ(View("п-и-з-д-а"), " пизда ");
  EXPECT_EQ(View("п_и_з_д_а"), " пизда ");
  EXPECT_EQ(View("ну ты п и з д а б о л"), " ну ты пиздабол ");
  EXPECT_EQ(View("Б. Л. Я. Т. Ь."), " блять ");
  EXPECT_EQ(View("x у й"), " хуй ");      // Latin x joins and is mapped
  EXPECT_EQ(View("п 1 з д а"), " пизда ");
  // Unicode dashes and middle dots split letters as '-' does, one kind per
  // run: ‐ (U+2010), — (U+2014), – with spaces, · (U+00B7), • (U+2022).
  EXPECT_EQ(View("п\u2010и\u2010з\u2010д\u2010а"), " пизда ");
  EXPECT_EQ(View("п\u2014и\u2014з\u2014д\u2014а"), " пизда ");
  EXPECT_EQ(View("х \u2013 у \u2013 й"), " хуй ");
  EXPECT_EQ(View("п\u00b7и\u00b7з\u00b7д\u00b7а"), " пизда ");
  EXPECT_EQ(View("п\u2022и\u2022з\u2022д\u2022а"), " пизда ");
  EXPECT_EQ(View("х-у\u2014й"), " х у й ");  // mixed separators stay apart
  EXPECT_EQ(View("Москва \u2014 столица"), " москва столица ");
  // Emoji between letters: any emoji, any number of them per gap (ZWJ
  // sequences, skin tones), with or without spaces around, one kind.
  EXPECT_EQ(View("х😀у😀й"), " хуй ");
  EXPECT_EQ(View("х 😀 у 😡 й"), " хуй ");
  EXPECT_EQ(View("п❤️и❤️з❤️д❤️а"), " пизда ");
  EXPECT_EQ(View("х👍🏻у👨‍👩‍👧й"), " хуй ");
  EXPECT_EQ(View("х😀у-й"), " х у й ");  // an emoji and a dash stay apart
  EXPECT_EQ(View("х😀у 😀й"), " х у й ");  // spaces differ: no run
  EXPECT_EQ(View("я 😀 и 😀 ты"), " я и ты ");
  EXPECT_EQ(View("а😀и😀в"), " а и в ");  // three stop letters
}

TEST(NormalizerTest, OrdinaryShortWordsNotDamaged) {
  uint32_t flags = 0;
  EXPECT_EQ(View("я и ты", &flags), " я и ты ");
  EXPECT_FALSE(flags & kInputSplitLetters);
  EXPECT_EQ(View("в с к"), " в с к ");  // three one-letter prepositions
  EXPECT_EQ(View("т.е. так"), " т е так ");
  EXPECT_EQ(View("и т.д. и т.п."), " и т д и т п ");
  EXPECT_EQ(View("т.е. х у й"), " т е хуй ");
  EXPECT_EQ(View("версия 1.2.3"), " версия 1 2 3 ");
  EXPECT_EQ(View("a b"), " a b ");
  EXPECT_EQ(View("выше и 3 и 6 метров"), " выше и 3 и 6 метров ");
  EXPECT_EQ(View("там 5..8 кило"), " там 5 8 кило ");
  EXPECT_EQ(View("месяца 3...хотя"), " месяца 3 хотя ");
  EXPECT_EQ(View("брус 2х1х1"), " брус 2х1х1 ");
}

// --- masks --------------------------------------------------------------------

TEST(NormalizerTest, Masks) {
  uint32_t flags = 0;
  EXPECT_EQ(View("х*й", &flags), " х*й ");
  EXPECT_TRUE(flags & kInputMasked);
  EXPECT_EQ(View("п**дец"), " п**дец ");
  EXPECT_EQ(View("на..уй"), " на**уй ");
  EXPECT_EQ(View("п...дец"), " п***дец ");
  EXPECT_EQ(View("п…здец"), " п***здец ");  // ellipsis is three dots
  EXPECT_EQ(View("п#здец"), " п*здец ");
  EXPECT_EQ(View("sh*t"), " sh*t ");
}

TEST(NormalizerTest, EdgeMasksDropped) {
  uint32_t flags = 0;
  EXPECT_EQ(View("**важно**", &flags), " важно ");
  EXPECT_FALSE(flags & kInputMasked);
  EXPECT_EQ(View("**му**дак"), " му**дак ");
  EXPECT_EQ(View("#хэштег 100%"), " хэштег 100 ");
  EXPECT_EQ(View("***"), " ");
}

TEST(NormalizerTest, EllipsisBetweenLongWordsSeparates) {
  EXPECT_EQ(View("привет...как дела"), " привет как дела ");
  EXPECT_EQ(View("это фейк...ну да"), " это фейк ну да ");
  EXPECT_EQ(View("х..й"), " х**й ");
  EXPECT_EQ(View("ну...и"), " ну***и ");  // documented: left part <= 2
  EXPECT_EQ(View("ну и ладно..."), " ну и ладно ");
}

// --- links and mentions ----------------------------------------------------

TEST(NormalizerTest, LinksAreBoundaries) {
  const std::string text =
      "смотри https://www.youtube.com/watch?v=Qx01nT7pLwE тут";
  NormalizedText out;
  Norm().Normalize(text, &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " смотри тут ");
  ASSERT_EQ(out.links.size(), 1u);
  EXPECT_EQ(text.substr(out.links[0].begin,
                        out.links[0].end - out.links[0].begin),
            "https://www.youtube.com/watch?v=Qx01nT7pLwE");
}

TEST(NormalizerTest, LinkKinds) {
  struct Case {
    std::string text, view, link;
  };
  const std::vector<Case> cases = {
      {"пиши на ivan.petrov@mail.ru срочно", " пиши на срочно ",
       "ivan.petrov@mail.ru"},
      {"заходи vk.com/club123, там", " заходи там ", "vk.com/club123"},
      {"сайт пригород.рф.", " сайт ", "пригород.рф"},
      {"сайт https://пригород.рф/новости", " сайт ", "https://пригород.рф/новости"},
      {"www.example.org!", " ", "www.example.org"},
      {"канал t.me/joinchat", " канал ", "t.me/joinchat"},
      {"[id123|Иван], ответьте", " ответьте ", "[id123|Иван]"},
      {"[club45|Клуб Город] пишет", " пишет ", "[club45|Клуб Город]"},
      {"(https://bit.ly/3xYz)", " ", "https://bit.ly/3xYz"},
  };
  for (const Case& c : cases) {
    NormalizedText out;
    Norm().Normalize(c.text, &out);
    EXPECT_EQ(ViewToUtf8(out.text.bytes), c.view) << c.text;
    ASSERT_EQ(out.links.size(), 1u) << c.text;
    EXPECT_EQ(c.text.substr(out.links[0].begin,
                            out.links[0].end - out.links[0].begin),
              c.link);
  }
}

TEST(NormalizerTest, NotLinks) {
  NormalizedText out;
  for (const char* t : {"т.е. так", "Mr.Smith", "привет.как дела", "3.14",
                        "[b]жирный[/b]", "бл@ть"}) {
    Norm().Normalize(t, &out);
    EXPECT_THAT(out.links, IsEmpty()) << t;
  }
}

// --- emoji and symbols -------------------------------------------------------

TEST(NormalizerTest, EmojiAndFlagsAreBoundaries) {
  EXPECT_EQ(View("Москва🇷🇺вперед"), " москва вперед ");
  EXPECT_EQ(View("ха😂ха"), " ха ха ");
  EXPECT_EQ(View("👍🏻👍"), " ");
}

TEST(NormalizerTest, SymbolTags) {
  const std::string text = "вот тебе🖕🏻!";
  NormalizedText out;
  Norm().Normalize(text, &out);
  EXPECT_EQ(ViewToUtf8(out.text.bytes), " вот тебе {middle_finger} ");
  auto w = Words(text, out.text);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[2].original, "🖕");
  EXPECT_EQ(View("🖕🖕"), " {middle_finger} {middle_finger} ");
}

// --- offsets -------------------------------------------------------------------

TEST(NormalizerTest, WordOffsetsCoverTheirOrigin) {
  const std::string text =
      "Ну ты бл\u200Dядь, xyй \xFF п**дец 𝐱𝐮𝐢 х у й 🖕 [id1|Вася] пиздεц";
  NormalizedText out;
  Norm().Normalize(text, &out);
  auto w = Words(text, out.text);
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& x : w) got.emplace_back(x.word, x.original);
  EXPECT_THAT(got,
              ElementsAre(std::pair<std::string, std::string>("ну", "Ну"),
                          std::pair<std::string, std::string>("ты", "ты"),
                          std::pair<std::string, std::string>(
                              "блядь", "бл\u200Dядь"),
                          std::pair<std::string, std::string>("хуй", "xyй"),
                          std::pair<std::string, std::string>("п**дец",
                                                              "п**дец"),
                          std::pair<std::string, std::string>("xui", "𝐱𝐮𝐢"),
                          std::pair<std::string, std::string>("хуй", "х у й"),
                          std::pair<std::string, std::string>(
                              "{middle_finger}", "🖕"),
                          std::pair<std::string, std::string>("пиздец",
                                                              "пиздεц")));
  CheckInvariants(text, out.text, false);
  CheckInvariants(text, out.translit, false);
}

TEST(NormalizerTest, EachByteMapsToItsSource) {
  const std::string text = "Хуй xyй";
  NormalizedText out;
  Norm().Normalize(text, &out);
  ASSERT_EQ(ViewToUtf8(out.text.bytes), " хуй хуй ");
  // Boundary before the first word: empty range at 0.
  EXPECT_EQ(out.text.begin[0], 0u);
  EXPECT_EQ(out.text.end[0], 0u);
  // х ← "Х" (2 bytes), у ← "у", й ← "й".
  EXPECT_EQ(text.substr(out.text.begin[1], out.text.end[1] - out.text.begin[1]),
            "Х");
  // The space boundary maps to the space it replaced.
  EXPECT_EQ(text.substr(out.text.begin[4], out.text.end[4] - out.text.begin[4]),
            " ");
  // х ← "x" (Latin), у ← "y".
  EXPECT_EQ(text.substr(out.text.begin[5], out.text.end[5] - out.text.begin[5]),
            "x");
  EXPECT_EQ(text.substr(out.text.begin[6], out.text.end[6] - out.text.begin[6]),
            "y");
}

TEST(NormalizerTest, InvariantsOnAssortedInputs) {
  for (const char* t :
       {"", " ", "a", "я", "🖕", "\xFF\xFE", "х*й", "**", "...", "a..b",
        "п..", "..п", "[id1|", "[id1|x", "https://", "www.", "@", "a@b",
        "x@y.z", "}|{", "3.14", "3.14здец", "х у", "х у й ц", "🇷🇺",
        "\u0306", "и\u0306", "\u200D", "xyz.рф", "ⓧⓨⓩ", "ß"}) {
    CheckAll(t);
  }
}

// --- NormalizeForm --------------------------------------------------------------

TEST(NormalizerTest, NormalizeFormMatchesRunningText) {
  for (const char* form : {"хуй", "Ёбаный", "ссора", "пиздец", "иди нахуй",
                           "blyat", "мудак"}) {
    const std::string f = Norm().NormalizeForm(form);
    EXPECT_FALSE(f.empty());
    EXPECT_NE(f.front(), ' ');
    EXPECT_NE(f.back(), ' ');
    NormalizedText out;
    Norm().Normalize(std::string("ну ") + form + ", вот", &out);
    EXPECT_NE(out.text.bytes.find(" " + f + " "), std::string::npos) << form;
  }
  EXPECT_EQ(ViewToUtf8(Norm().NormalizeForm("Ёбаный")), "ебаный");
  EXPECT_EQ(ViewToUtf8(Norm().NormalizeForm("ссора")), "сора");
  EXPECT_EQ(Norm().NormalizeForm(""), "");
}

// --- reuse ------------------------------------------------------------------------

TEST(NormalizerTest, ReuseKeepsCapacityAndResets) {
  NormalizedText out;
  const std::string big = "xyй https://vk.com blyat х*й, и ещё немного текста";
  Norm().Normalize(big, &out);
  Norm().Normalize(big, &out);
  EXPECT_NE(out.flags, 0u);
  const size_t cap = out.text.bytes.capacity();
  const size_t xcap = out.translit.bytes.capacity();
  Norm().Normalize("привет", &out);
  EXPECT_EQ(out.flags, 0u);
  EXPECT_EQ(out.mixed_script_words, 0u);
  EXPECT_THAT(out.links, IsEmpty());
  EXPECT_TRUE(out.translit.empty());
  EXPECT_EQ(out.text.bytes.capacity(), cap);
  Norm().Normalize(big, &out);
  EXPECT_EQ(out.text.bytes.capacity(), cap);
  EXPECT_EQ(out.translit.bytes.capacity(), xcap);
}

// --- free functions ----------------------------------------------------------------

TEST(NormalizerTest, EncodeCompact) {
  EXPECT_EQ(EncodeCompact(U'а'), 0xE0);
  EXPECT_EQ(EncodeCompact(U'я'), 0xFF);
  EXPECT_EQ(EncodeCompact(U'Я'), 0xFF);
  EXPECT_EQ(EncodeCompact(U'ё'), 0xE5);
  EXPECT_EQ(EncodeCompact(U'й'), 0xE9);
  EXPECT_EQ(EncodeCompact(U'і'), 0xE8);
  EXPECT_EQ(EncodeCompact('x'), 'x');
  EXPECT_EQ(EncodeCompact('X'), 'x');
  EXPECT_EQ(EncodeCompact('7'), '7');
  EXPECT_EQ(EncodeCompact(' '), ' ');
  EXPECT_EQ(EncodeCompact('*'), '*');
  EXPECT_EQ(EncodeCompact(U'λ'), 0);
  EXPECT_EQ(EncodeCompact('!'), 0);
  EXPECT_EQ(EncodeCompact(0x1F595), 0);
}

TEST(NormalizerTest, ViewToUtf8) {
  EXPECT_EQ(ViewToUtf8(std::string(" \xE0\xFF\x01 ok*{a_b} ")),
            " ая? ok*{a_b} ");
  EXPECT_EQ(ViewToUtf8(""), "");
}

TEST(NormalizerTest, OtherScriptsAreOpaqueLetters) {
  NormalizedText out;
  Norm().Normalize("日本 λόγος", &out);
  EXPECT_EQ(out.text.bytes, std::string(" \x01\x01 \x01\x01\x01\x01\x01 "));
}

}  // namespace
}  // namespace rumod
