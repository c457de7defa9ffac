// Normalizer: one pass over the input, see include/rumod/normalizer.h for the
// contract and docs/normalization.md for the decisions.
//
// Implementation outline (all buffers live in a per-thread Scratch that keeps
// its capacity, so steady-state calls do not allocate):
//   1. Decode: UTF-8 → "units" (folded code point, class, original span).
//      ASCII and U+0400..U+04FF take table lookups; only other code points
//      reach ICU (NFKC_Casefold, NFD base letter, properties).
//   2. Links: VK mentions, URLs, e-mails, bare domains → class kLink.
//   3. Words: maximal runs of core units (letters, digits, masks, look-alike
//      symbols, multi-character look-alikes next to Cyrillic, dot-run masks).
//   4. Groups: runs of single-letter words are joined (split letters).
//   5. Encode each group into the compact alphabet (confusables, masks,
//      collapsing of repeated letters) and the translit view.
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "normalize/internal.h"
#include "rumod/normalizer.h"
#include "rumod/verdict.h"
#include "util/bits.h"

namespace rumod {
namespace internal {
namespace {

// ---------------------------------------------------------------------------
// Unit classes.
enum Cls : uint8_t {
  kSpace = 0,   // white space (cp keeps the ASCII character, else ' ')
  kSep,         // punctuation, emoji, U+FFFD, anything that is not a word
  kLink,        // part of a link / e-mail / mention (set by the link pass)
  kCyr,         // basic Cyrillic letter а..я
  kLatin,       // ASCII letter a..z
  kOther,       // any other letter (Greek, CJK, ...)
  kDigit,       // 0..9 (other decimal digits are mapped to ASCII)
  kMask,        // a [mask] symbol (*, #, ...)
  kSym,         // a non-letter, non-digit single-code-point look-alike (@, $)
  kDot,         // '.'
  kHyphen,      // '-'
  kUnderscore,  // '_'
  kTag,         // a [symbol] code point (🖕)
  // Pseudo classes returned by FoldOne only (never stored in a unit).
  kIgnore,   // default-ignorable: dropped
  kCombine,  // combining mark: stripped (attached to the previous unit)
};

enum UnitFlag : uint8_t {
  kFlComposite = 1,  // part of a multi-code-point look-alike next to Cyrillic
  kFlDotMask = 2,    // a dot of a dot run used as a mask (на..уй)
  kFlExotic = 4,     // a Cyrillic letter read from an [exotic] letter (ᴀ ʙ ᴨ)
};

// 12 bytes: code point (21 bits) | class (5 bits) | flags (6 bits).
struct Unit {
  uint32_t packed;
  uint32_t b, e;  // original byte span [b, e)
  char32_t cp() const { return packed & 0x1FFFFF; }
  uint8_t cls() const { return (packed >> 21) & 0x1F; }
  uint8_t fl() const { return static_cast<uint8_t>(packed >> 26); }
  void set_cp(char32_t c) { packed = (packed & ~0x1FFFFFu) | c; }
  void set_cls(uint8_t c) {
    packed = (packed & ~(0x1Fu << 21)) | (uint32_t{c} << 21);
  }
  void add_fl(uint8_t f) { packed |= uint32_t{f} << 26; }
};
inline Unit MakeUnit(char32_t cp, uint8_t cls, uint32_t b, uint32_t e) {
  return Unit{cp | (uint32_t{cls} << 21), b, e};
}

inline bool IsCore(uint8_t c) {
  return c == kCyr || c == kLatin || c == kOther || c == kDigit ||
         c == kMask || c == kSym;
}
inline bool IsCoreUnit(const Unit& u) {
  return IsCore(u.cls()) || (u.fl() & (kFlComposite | kFlDotMask)) != 0;
}
inline bool IsLetterCls(uint8_t c) {
  return c == kCyr || c == kLatin || c == kOther;
}

struct Folded {
  char32_t cp;
  uint8_t cls;
};

// ---------------------------------------------------------------------------
// Process-wide immutable tables (built once, thread-safe initialization).
struct StaticTables {
  const icu::Normalizer2* nfkc_cf = nullptr;
  const icu::Normalizer2* nfd = nullptr;
  std::array<Folded, 128> ascii;
  std::array<Folded, 256> cyr;  // U+0400..U+04FF
  bool ready = false;
};

Folded FoldOne(char32_t r, const StaticTables& t);

StaticTables* BuildStatic() {
  auto* t = new StaticTables;
  UErrorCode ec = U_ZERO_ERROR;
  t->nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  ec = U_ZERO_ERROR;
  t->nfd = icu::Normalizer2::getNFDInstance(ec);
  for (char32_t c = 0; c < 128; ++c) {
    Folded f{c, kSep};
    if (c >= 'A' && c <= 'Z') f = {c + 32, kLatin};
    else if (c >= 'a' && c <= 'z') f = {c, kLatin};
    else if (c >= '0' && c <= '9') f = {c, kDigit};
    else if (c == ' ' || (c >= '\t' && c <= '\r')) f = {c, kSpace};
    // Other C0 controls and DEL are invisible: dropped like zero-width
    // characters, so "ху\x01й" cannot split a word.
    else if (c < 0x20 || c == 0x7F) f = {c, kIgnore};
    else if (c == '.') f = {c, kDot};
    else if (c == '-') f = {c, kHyphen};
    else if (c == '_') f = {c, kUnderscore};
    t->ascii[c] = f;
  }
  for (char32_t c = 0x400; c < 0x500; ++c) {
    char32_t r = c;
    // NFKC_Casefold of a Cyrillic letter is one code point (lower case).
    icu::UnicodeString src(static_cast<UChar32>(c)), dst;
    UErrorCode e2 = U_ZERO_ERROR;
    t->nfkc_cf->normalize(src, dst, e2);
    if (U_SUCCESS(e2) && dst.countChar32() == 1) r = dst.char32At(0);
    switch (r) {
      case 0x451: case 0x450: case 0x454: r = 0x435; break;  // ё ѐ є → е
      case 0x456: case 0x457: case 0x45D: r = 0x438; break;  // і ї ѝ → и
      case 0x45E: r = 0x443; break;                          // ў → у
      case 0x491: case 0x453: r = 0x433; break;              // ґ ѓ → г
      case 0x45C: r = 0x43A; break;                          // ќ → к
      case 0x455: r = 0x441; break;                          // ѕ → с
      case 0x458: r = 0x439; break;                          // ј → й
      default: break;
    }
    if (IsBasicCyrillic(r)) {
      t->cyr[c - 0x400] = {r, kCyr};
      continue;
    }
    if (u_getIntPropertyValue(r, UCHAR_GENERAL_CATEGORY_MASK) & U_GC_M_MASK) {
      t->cyr[c - 0x400] = {r, kCombine};
      continue;
    }
    // Letters with diacritics (ӣ ӧ ӝ ...): NFD base letter.
    icu::UnicodeString d;
    if (t->nfd->getDecomposition(static_cast<UChar32>(r), d) && !d.isEmpty()) {
      char32_t base = d.char32At(0);
      if (base == 0x456) base = 0x438;
      if (IsBasicCyrillic(base)) {
        t->cyr[c - 0x400] = {base, kCyr};
        continue;
      }
    }
    t->cyr[c - 0x400] = {r, u_isalpha(r) ? uint8_t{kOther} : uint8_t{kSep}};
  }
  t->ready = true;
  return t;
}

const StaticTables& Static() {
  static const StaticTables* t = BuildStatic();
  return *t;
}

// Folds one code point that is already NFKC_Casefold-normalized (or does not
// change under it). Table-independent.
Folded FoldOne(char32_t r, const StaticTables& t) {
  if (r < 0x80) return t.ascii[r];
  if (r >= 0x400 && r < 0x500) return t.cyr[r - 0x400];
  if (u_hasBinaryProperty(r, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
    return {r, kIgnore};
  const uint32_t gc = U_GET_GC_MASK(r);
  if (gc & U_GC_M_MASK) return {r, kCombine};
  if (u_isUWhiteSpace(r)) return {' ', kSpace};
  if (gc & U_GC_L_MASK) {
    // A letter with diacritics: use its base if that is Latin or Cyrillic.
    icu::UnicodeString d;
    if (t.nfd->getDecomposition(static_cast<UChar32>(r), d) && !d.isEmpty()) {
      char32_t base = d.char32At(0);
      if (base < 0x80 && t.ascii[base].cls == kLatin) return t.ascii[base];
      if (base >= 0x400 && base < 0x500 && t.cyr[base - 0x400].cls == kCyr)
        return t.cyr[base - 0x400];
      // Greek and others keep the base letter (ά → α).
      if (base >= 0x80 && (U_GET_GC_MASK(base) & U_GC_L_MASK))
        return {base, kOther};
    }
    return {r, kOther};
  }
  if (gc & U_GC_ND_MASK) {
    int32_t v = u_charDigitValue(r);
    if (v >= 0 && v <= 9) return {static_cast<char32_t>('0' + v), kDigit};
  }
  // Dashes (general category Pd: ‐ ‒ – — ―, and the minus sign) and middle
  // dots (· • ‧ ∙ ⋅ ・) split letters as '-' does ("п—и—з—д—а", "п·и·з·д·а"):
  // kHyphen, keeping the code point, so a run must use one of them
  // throughout. Elsewhere they separate words like other punctuation.
  if ((gc & U_GC_PD_MASK) || r == 0x2212 || r == 0x00B7 || r == 0x2022 || r == 0x2027 ||
      r == 0x2219 || r == 0x22C5 || r == 0x30FB)
    return {r, kHyphen};
  return {r, kSep};
}

// ---------------------------------------------------------------------------
// UTF-8 decoding with maximal-subpart replacement (Unicode §3.9, W3C):
// returns the number of bytes consumed (>= 1) and sets *cp, or U+FFFD with
// *bad = true.
inline size_t DecodeUtf8(const uint8_t* p, size_t n, char32_t* cp,
                         bool* bad) {
  const uint8_t c = p[0];
  *bad = false;
  size_t need;
  char32_t v;
  uint8_t lo = 0x80, hi = 0xBF;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    v = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    v = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    *bad = true;
    *cp = 0xFFFD;
    return 1;
  }
  size_t i = 1;
  for (; i <= need; ++i) {
    if (i >= n) break;
    uint8_t x = p[i];
    if (i == 1 ? (x < lo || x > hi) : (x < 0x80 || x > 0xBF)) break;
    v = (v << 6) | (x & 0x3F);
  }
  if (i <= need) {
    *bad = true;
    *cp = 0xFFFD;
    return i;  // the maximal subpart
  }
  *cp = v;
  return need + 1;
}

inline uint8_t CyrByte(char32_t c) {
  return static_cast<uint8_t>(0xE0 + (c - 0x430));
}

// When q[0..2) is a 2-byte character U+0400..U+04FF (110100xx 10xxxxxx),
// sets *idx to its code point - 0x400 (the index of the U+0400 tables) and
// returns true. Both bytes are tested at once; q[1] must be readable.
inline bool CyrIndex(const uint8_t* q, uint32_t* idx) {
  uint16_t w;
  std::memcpy(&w, q, 2);
  if constexpr (std::endian::native == std::endian::little) {
    if ((w & 0xC0FC) != 0x80D0) return false;
    *idx = ((w & 3) << 6) | ((w >> 8) & 0x3F);
  } else {
    if ((w & 0xFCC0) != 0xD080) return false;
    *idx = ((w >> 2) & 0xC0) | (w & 0x3F);
  }
  return true;
}

bool IsAsciiAlnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Top-level domains accepted for bare domains ("vk.com", "пригород.рф");
// links with a scheme or "www." accept any host.
constexpr std::u32string_view kTlds[] = {
    U"ru",   U"su",    U"com",  U"net",    U"org",  U"info", U"biz",
    U"pro",  U"io",    U"me",   U"tv",     U"cc",   U"co",   U"uk",
    U"de",   U"ua",    U"by",   U"kz",     U"uz",   U"am",   U"ge",
    U"eu",   U"us",    U"ly",   U"gl",     U"be",   U"gg",   U"to",
    U"fm",   U"ai",    U"app",  U"dev",    U"xyz",  U"top",  U"site",
    U"online", U"club", U"shop", U"store", U"link", U"live", U"space",
    U"tech", U"win",   U"vip",  U"ws",     U"gov",  U"edu",  U"рф",
    U"рус",  U"москва", U"онлайн", U"сайт", U"дети"};

bool IsTld(const Unit* u, size_t b, size_t e) {
  if (e - b > 8) return false;
  char32_t buf[8];
  for (size_t k = b; k < e; ++k) buf[k - b] = u[k].cp();
  std::u32string_view s(buf, e - b);
  for (std::u32string_view t : kTlds)
    if (s == t) return true;
  return false;
}

inline bool IsLinkTrigger(char32_t c) {
  return c == '.' || c == '@' || c == ':' || c == '[';
}

bool IsTrailingPunct(char32_t c) {
  switch (c) {
    case '.': case ',': case '!': case '?': case ';': case ':': case ')':
    case ']': case '}': case '"': case '\'': case 0xBB: case 0x201D:
    case 0x2019:
      return true;
    default:
      return false;
  }
}
bool IsLeadingPunct(char32_t c) {
  switch (c) {
    case '(': case '[': case '{': case '"': case '\'': case 0xAB:
    case 0x201C: case 0x2018: case '<':
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Per-thread scratch: capacity is kept between calls.
struct Word {
  uint32_t ub, ue;   // units [ub, ue)
  uint32_t ncyr;     // Cyrillic letters
  uint32_t ndigit;   // digits
  bool latin_only;   // only ASCII letters
  bool has_mask;     // contains a mask or a dot-run mask
};
struct Group {
  uint32_t wb, we;  // words [wb, we)
};
// Growable array of units without zero-initialization; the decoder writes
// through PushUnchecked() after reserving one unit per remaining input byte.
class UnitBuf {
 public:
  Unit* data() { return p_.get(); }
  const Unit* data() const { return p_.get(); }
  size_t size() const { return n_; }
  bool empty() const { return n_ == 0; }
  size_t capacity() const { return cap_; }
  void clear() { n_ = 0; }
  void reserve(size_t c) {
    if (c <= cap_) return;
    const size_t nc = std::max(c, cap_ * 2);
    auto q = std::make_unique_for_overwrite<Unit[]>(nc);
    if (n_ > 0) std::memcpy(q.get(), p_.get(), n_ * sizeof(Unit));
    p_ = std::move(q);
    cap_ = nc;
  }
  void push_back(const Unit& u) {
    if (n_ == cap_) reserve(n_ + 1);
    p_[n_++] = u;
  }
  void PushUnchecked(const Unit& u) {
    assert(n_ < cap_);
    p_[n_++] = u;
  }
  // Sets the size after writing through data() (n <= capacity()).
  void Resize(size_t n) {
    assert(n <= cap_);
    n_ = n;
  }
  Unit& back() { return p_[n_ - 1]; }
  Unit& operator[](size_t i) { return p_[i]; }
  const Unit& operator[](size_t i) const { return p_[i]; }
  void Release() {
    p_.reset();
    n_ = cap_ = 0;
  }

 private:
  std::unique_ptr<Unit[]> p_;
  size_t n_ = 0, cap_ = 0;
};

// Output buffers of one view, written without zero-filling and copied into
// the NormalizedView once at the end (std::vector::resize would zero-fill
// the whole estimate on every call).
struct ViewBuf {
  std::unique_ptr<uint8_t[]> bytes;
  std::unique_ptr<uint32_t[]> begin, end;
  size_t cap = 0;
  void Release() {
    bytes.reset();
    begin.reset();
    end.reset();
    cap = 0;
  }
};

struct Scratch {
  UnitBuf units;
  ViewBuf text_buf, translit_buf;
  std::vector<uint32_t> triggers;  // units that may start a link: . @ : [
  std::vector<Word> words;
  std::vector<Group> groups;
  // Testing hooks (internal.h): force the general path; count fast-path
  // successes and fallbacks of this thread.
  bool force_general = false;
  uint64_t fast_runs = 0, fast_fallbacks = 0;
};
Scratch& ThreadScratch() {
  thread_local Scratch s;
  return s;
}
// Inputs above this many units release their scratch after the call so a
// single huge input does not pin memory for the thread's lifetime.
constexpr size_t kKeepUnits = size_t{1} << 20;

// Appends bytes to a view, collapsing runs of one repeated letter. Writes go
// through raw pointers into buffers sized ahead with Reserve(); Finish()
// trims them to the written length (capacity is kept for the next call).
class ViewWriter {
 public:
  ViewWriter(NormalizedView* v, ViewBuf* buf)
      : v_(v),
        buf_(buf),
        bytes_(buf->bytes.get()),
        begin_(buf->begin.get()),
        end_(buf->end.get()),
        cap_(buf->cap) {}
  size_t size() const { return n_; }
  // Copies bytes [from, size()) of `src` (already collapsed) with their
  // offsets; the first one is written as `first` instead.
  void CopyWord(const ViewWriter& src, size_t from, uint8_t first) {
    for (size_t k = from; k < src.n_; ++k)
      Raw(k == from ? first : src.bytes_[k], src.begin_[k], src.end_[k]);
  }
  // Makes room for `extra` more bytes.
  void Reserve(size_t extra) {
    if (n_ + extra > cap_) Grow(extra);
  }
  __attribute__((noinline)) void Grow(size_t extra) {
    const size_t want = std::max(n_ + extra, cap_ * 2);
    auto b = std::make_unique_for_overwrite<uint8_t[]>(want);
    auto bg = std::make_unique_for_overwrite<uint32_t[]>(want);
    auto en = std::make_unique_for_overwrite<uint32_t[]>(want);
    if (n_ > 0) {
      std::memcpy(b.get(), bytes_, n_);
      std::memcpy(bg.get(), begin_, n_ * sizeof(uint32_t));
      std::memcpy(en.get(), end_, n_ * sizeof(uint32_t));
    }
    buf_->bytes = std::move(b);
    buf_->begin = std::move(bg);
    buf_->end = std::move(en);
    buf_->cap = want;
    bytes_ = buf_->bytes.get();
    begin_ = buf_->begin.get();
    end_ = buf_->end.get();
    cap_ = want;
  }
  // Copies the written bytes and offsets into the view.
  void Finish() {
    v_->bytes.assign(reinterpret_cast<const char*>(bytes_), n_);
    v_->begin.assign(begin_, begin_ + n_);
    v_->end.assign(end_, end_ + n_);
  }
  // A boundary covers the gap [b, e) between two words; when one code point
  // expanded to several words (NFKC "℆" → "c/u") the gap is empty.
  void Boundary(uint32_t b, uint32_t e) {
    Put(' ', std::min(b, e), e);
    word_start_ = n_;
    run_ = 0;
  }
  // Returns true when this letter completed a run of 3+ (stretched).
  bool Letter(uint8_t byte, uint32_t b, uint32_t e) {
    if (n_ > word_start_ && bytes_[n_ - 1] == byte) {
      end_[n_ - 1] = std::max(end_[n_ - 1], e);
      return ++run_ == 3;
    }
    run_ = 1;
    Put(byte, b, e);
    return false;
  }
  // Letter() for each unit of a run of basic Cyrillic letters; returns true
  // when any letter completed a run of 3+.
  bool CyrLetters(const Unit* x, const Unit* xe) {
    size_t n = n_;
    int run = run_;
    bool stretched = false;
    for (; x < xe; ++x) {
      const uint8_t byte = CyrByte(x->cp());
      if (n > word_start_ && bytes_[n - 1] == byte) {
        end_[n - 1] = std::max(end_[n - 1], x->e);
        stretched |= ++run == 3;
        continue;
      }
      run = 1;
      assert(n < cap_);
      bytes_[n] = byte;
      begin_[n] = x->b;
      end_[n] = x->e;
      ++n;
    }
    n_ = n;
    run_ = run;
    return stretched;
  }
  // CyrLetters() straight from UTF-8: the run of 2-byte letters at p[i..n)
  // whose cyr_byte is not 0 (at least the first one). Adds their case
  // counts; returns the index after the run, sets *count and *stretched.
  size_t CyrUtf8(const uint8_t* p, size_t i, size_t n, const uint8_t* cyr_byte,
                 const uint64_t* cyr_case, uint64_t* letter_case,
                 uint32_t* count, bool* stretched) {
    // Locals: stores through uint8_t* would otherwise reload the members.
    uint8_t* const bytes = bytes_;
    uint32_t* const begin = begin_;
    uint32_t* const end = end_;
    size_t o = n_;
    assert(o + (n - i) / 2 <= cap_);
    int run = run_;
    bool st = false;
    uint64_t lc = 0;
    const size_t i0 = i;
    const size_t n1 = n - 1;  // i + 1 < n
    // 0 is never a letter byte: no collapse across the word start.
    uint8_t last = o > word_start_ ? bytes[o - 1] : 0;
    for (;;) {
#if defined(__SSE2__)
      // Eight letters per step while sixteen bytes are left (so o + 8 fits
      // the reservation asserted above): CyrBlock takes the leading А..Я
      // а..я that repeat no previous letter; anything else (ё, a doubled
      // letter, the end of the word) is left to the step below.
      while (i + 16 <= n) {
        const size_t k = CyrBlock(p + i, i, last, bytes + o, begin + o, end + o, &lc);
        if (k == 0) break;
        o += k;
        i += 2 * k;
        last = bytes[o - 1];
        run = 1;
        if (k < 8) break;
      }
      if (i >= n1) break;
#endif
      uint32_t idx;
      if (!CyrIndex(p + i, &idx)) break;
      const uint8_t byte = cyr_byte[idx];
      if (byte == 0) break;
      lc += cyr_case[idx];
      if (byte == last) {
        end[o - 1] = static_cast<uint32_t>(i + 2);
        st |= ++run == 3;
      } else {
        last = byte;
        run = 1;
        bytes[o] = byte;
        begin[o] = static_cast<uint32_t>(i);
        end[o] = static_cast<uint32_t>(i + 2);
        ++o;
      }
      i += 2;
      if (i >= n1) break;
    }
    n_ = o;
    run_ = run;
    *letter_case += lc;
    *count = static_cast<uint32_t>((i - i0) / 2);
    *stretched |= st;
    return i;
  }
#if defined(__SSE2__)
  // The leading letters of the eight 2-byte characters at q[0..16) (q = the
  // text at byte `at`) that are А..Я (D0 90..AF) or а..я (D0 B0..BF, D1
  // 80..8F), stopping before the first that equals the letter before it
  // (`last` for the first). Writes their view bytes (the fold CyrByte
  // gives: а..я = E0..FF) and offsets for all eight slots, returns how many
  // count (0..8) and adds their case counts to *lc as cyr_case does.
  static size_t CyrBlock(const uint8_t* q, size_t at, uint8_t last, uint8_t* bytes,
                         uint32_t* begin, uint32_t* end, uint64_t* lc) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    // key = lead << 8 | continuation per 16-bit lane (the lanes are
    // little-endian). Unsigned key - K < r is tested as the signed
    // key - (K + 0x8000) < r - 0x8000 (SSE2 compares are signed).
    const __m128i key = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
    const __m128i a = _mm_sub_epi16(key, _mm_set1_epi16(0x5090));  // from D0 90
    const __m128i upper = _mm_cmplt_epi16(a, _mm_set1_epi16(-0x8000 + 0x20));
    const __m128i ok0 = _mm_cmplt_epi16(a, _mm_set1_epi16(-0x8000 + 0x30));
    const __m128i b = _mm_sub_epi16(key, _mm_set1_epi16(0x5180));  // from D1 80
    const __m128i ok1 = _mm_cmplt_epi16(b, _mm_set1_epi16(-0x8000 + 0x10));
    const __m128i ok16 = _mm_or_si128(ok0, ok1);
    // The view byte of every letter in range is E0 | ((cont + 0x10) & 0x1F).
    const __m128i x = _mm_or_si128(
        _mm_and_si128(_mm_add_epi8(v, _mm_set1_epi8(0x10)), _mm_set1_epi8(0x1F)),
        _mm_set1_epi8(static_cast<char>(0xE0)));
    const __m128i b8 = _mm_packus_epi16(_mm_srli_epi16(x, 8), _mm_setzero_si128());
    // Low eight bits: in range; high eight: upper case.
    const unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_packs_epi16(ok16, upper)));
    // A letter equal to the one before it ends the block (Letter collapses
    // it; the scalar step does).
    const __m128i prev = _mm_or_si128(_mm_slli_si128(b8, 1), _mm_cvtsi32_si128(last));
    const unsigned same = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b8, prev)));
    const size_t k = std::countr_one((m & ~same) & 0xFF);
    if (k == 0) return 0;
    _mm_storel_epi64(reinterpret_cast<__m128i*>(bytes), b8);
    const __m128i base = _mm_add_epi32(_mm_set1_epi32(static_cast<int>(at)),
                                       _mm_setr_epi32(0, 2, 4, 6));
    const __m128i base4 = _mm_add_epi32(base, _mm_set1_epi32(8));
    const __m128i two = _mm_set1_epi32(2);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(begin), base);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(begin + 4), base4);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(end), _mm_add_epi32(base, two));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(end + 4), _mm_add_epi32(base4, two));
    // Upper-case letters taken, counted by table (util/bits.h).
    const uint64_t n_up = kBitCount[(m >> 8) & ((1u << k) - 1)];
    *lc += n_up + ((k - n_up) << 32);
    return k;
  }
#endif
  void Raw(uint8_t byte, uint32_t b, uint32_t e) {
    run_ = 0;
    Put(byte, b, e);
  }
  void Truncate(size_t n) { n_ = n; }

 private:
  void Put(uint8_t byte, uint32_t b, uint32_t e) {
    assert(n_ < cap_);
    bytes_[n_] = byte;
    begin_[n_] = b;
    end_[n_] = e;
    ++n_;
  }
  NormalizedView* v_;
  ViewBuf* buf_;
  uint8_t* bytes_ = nullptr;
  uint32_t* begin_ = nullptr;
  uint32_t* end_ = nullptr;
  size_t n_ = 0, cap_ = 0;
  size_t word_start_ = 0;
  int run_ = 0;
};

// State carried from group to group while encoding (Encode, FastRun).
struct EncodeCursor {
  uint32_t prev_end = 0, xprev_end = 0;  // end of the last word in each view
  bool any_translit = false;
  bool exotic_input = false;  // [exotic] letters were decoded
};

// Fast-path kinds (FastRun) of an ASCII byte and of a cached non-ASCII code
// point; kFastMulti is or'ed into an ASCII kind when the byte starts a
// multi-character look-alike.
enum FastKind : uint8_t {
  kFastBail = 0,  // not handled by the fast path
  kFastLatin,
  kFastDigit,
  kFastSpace,
  kFastSep,    // punctuation that never starts a link or a word (, ! ? - _ ...)
  kFastColon,  // ':' (a link needs "://")
  kFastDot,    // '.', or a character that NFKC turns into dots (…)
};
constexpr uint8_t kFastMulti = 0x80;
struct FastOther {
  uint8_t kind = kFastBail;
  uint8_t dots = 0;  // kFastDot: number of '.' units
  bool pictographic = false;
  char32_t cp = 0;   // folded code point of the unit (kFastSep, kFastSpace)
};


}  // namespace
}  // namespace internal

using internal::Cls;
using internal::Folded;
using internal::Unit;
using namespace internal;  // NOLINT: implementation file

// ---------------------------------------------------------------------------
struct Normalizer::Impl {
  explicit Impl(ConfusableTable t) : table(std::move(t)), st(internal::Static()) {
    const ConfusableTable::Rep& rep = table.rep();
    ascii = st.ascii;
    for (const auto& l : rep.lookalikes) {
      char32_t c = l.from[0];
      if (l.from.size() == 1) {
        if (c < 0x80) {
          if (ascii[c].cls == internal::kSep) ascii[c].cls = internal::kSym;
          single_ascii[c] = l.to;
        } else {
          single_other[c] = l.to;
          internal::Folded f = internal::FoldOne(c, st);
          if (f.cls == internal::kSep) sym_other.insert(c);
        }
      } else {
        if (c < 0x80) multi_first_ascii[c] = true;
        else multi_first_other.insert(c);
      }
    }
    for (char32_t m : rep.masks) {
      if (m < 0x80) ascii[m].cls = internal::kMask;
      else mask_other.insert(m);
    }
    for (const auto& [c, tag] : rep.symbols) {
      if (c < 0x80) ascii[c].cls = internal::kTag;
    }
    // Cache of the slow path for Latin-1 and General Punctuation (NBSP, «»,
    // —, “”, soft hyphen, ZWJ...): code points that fold to at most one unit.
    for (char32_t c = 0x80; c < 0x100; ++c) latin1_cache[c - 0x80] = Cached(c);
    for (char32_t c = 0x2000; c < 0x2070; ++c)
      punct_cache[c - 0x2000] = Cached(c);
    // Translit fallback for Latin letters inside Cyrillic words: the
    // one-letter rule without context.
    for (const auto& t : rep.translit)
      if (t.from.size() == 1 && !t.after_vowel)
        translit_single[t.from[0] - 'a'] = t.to;
    // 0 (no unit packs to 0: kSpace with code point 0) sends a byte to the
    // general path: the controls that are dropped.
    for (char32_t c = 0; c < 128; ++c)
      ascii_packed[c] = ascii[c].cls == internal::kIgnore
                            ? 0
                            : internal::MakeUnit(ascii[c].cp, ascii[c].cls, 0, 0).packed |
                                  (internal::IsLinkTrigger(c) ? kTriggerBit : 0);
    for (char32_t c = 'A'; c <= 'Z'; ++c) ascii_case[c] = 1;
    for (char32_t c = 'a'; c <= 'z'; ++c) ascii_case[c] = uint64_t{1} << 32;
    for (size_t k = 0x10; k < 0x30; ++k) cyr_case[k] = 1;                  // А..Я
    for (size_t k = 0x30; k < 0x50; ++k) cyr_case[k] = uint64_t{1} << 32;  // а..я
    cyr_case[0x01] = 1;                                                    // Ё
    cyr_case[0x51] = uint64_t{1} << 32;                                    // ё
    for (char32_t c = 0x2000; c < 0x2070; ++c)
      punct_pictographic[c - 0x2000] =
          u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_EXTENDED_PICTOGRAPHIC);
    for (size_t k = 0; k < 256; ++k)
      cyr_packed[k] = st.cyr[k].cls == internal::kCyr
                          ? internal::MakeUnit(st.cyr[k].cp, internal::kCyr, 0, 0).packed
                          : 0;
    InitFastPath();
  }
  void InitFastPath();
  // Non-ASCII character at p[i] for the fast path: a basic Cyrillic letter
  // (returns kFastLatin as a marker... see FastChar) or a cached one.
  struct FastChar {
    uint8_t kind;        // kFastBail, kFastSpace, kFastSep, kFastDot, or kCyrChar
    uint8_t dots;
    uint8_t len;         // bytes
    bool pictographic;
    char32_t cp;         // folded code point of the (first) unit
  };
  static constexpr uint8_t kCyrChar = 0x7F;
  FastChar DecodeFastChar(const uint8_t* p, size_t n, size_t i) const {
    const uint8_t c = p[i];
    if ((c & 0xFC) == 0xD0) {
      uint32_t idx;
      if (i + 1 < n && CyrIndex(p + i, &idx) && cyr_packed[idx] != 0)
        return {kCyrChar, 0, 2, false, cyr_packed[idx] & 0x1FFFFF};
      return {internal::kFastBail, 0, 0, false, 0};
    }
    const internal::FastOther* f = nullptr;
    uint8_t len = 0;
    if ((c == 0xC2 || c == 0xC3) && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      f = &fast_latin1[((c & 1) << 6) | (p[i + 1] & 0x3F)];
      len = 2;
    } else if (c == 0xE2 && i + 2 < n && (p[i + 1] == 0x80 || p[i + 1] == 0x81) &&
               (p[i + 2] & 0xC0) == 0x80) {
      const uint32_t k = ((p[i + 1] & 1) << 6) | (p[i + 2] & 0x3F);
      if (k < 0x70) {
        f = &fast_punct[k];
        len = 3;
      }
    }
    if (f == nullptr || f->kind == internal::kFastBail)
      return {internal::kFastBail, 0, 0, false, 0};
    return {f->kind, f->dots, len, f->pictographic, f->cp};
  }

  // Slow-path result for one code point when it is at most one unit:
  // {cp, class}, {cp, kIgnore} when dropped, {0, kNoCache} otherwise.
  Folded Cached(char32_t cp) const {
    internal::UnitBuf tmp;
    uint32_t flags = 0;
    PushSlow(cp, 0, 1, &tmp, &flags);
    if (tmp.empty())
      return {cp, flags ? uint8_t{internal::kIgnore} : uint8_t{kNoCache}};
    if (tmp.size() != 1 || (tmp[0].fl() & internal::kFlExotic)) return {0, kNoCache};
    return {tmp[0].cp(), tmp[0].cls()};
  }
  static constexpr uint8_t kNoCache = 0xFF;
  std::array<Folded, 0x80> latin1_cache;
  std::array<Folded, 0x70> punct_cache;

  // Pass 1 helpers.
  void PushFolded(Folded f, uint32_t b, uint32_t e,
                  internal::UnitBuf* units, uint32_t* flags) const;
  void PushSlow(char32_t cp, uint32_t b, uint32_t e, internal::UnitBuf* units,
                uint32_t* flags) const;
  void Decode(std::string_view s, internal::UnitBuf* units,
              std::vector<uint32_t>* triggers, NormalizedText* out) const;
  static void ReverseOverride(std::string_view text, internal::UnitBuf* units, size_t first,
                              std::vector<uint32_t>* triggers, size_t first_trigger);
  // Bidi controls that Decode reads (UAX #9); the others are only dropped.
  static constexpr char32_t kLeftToRightEmbedding = 0x202A;  // .. 202B RLE, 202C PDF
  static constexpr char32_t kLeftToRightOverride = 0x202D;
  static constexpr char32_t kRightToLeftOverride = 0x202E;
  // A unit read from a paragraph break (\n, \r, U+2029, U+0085), which ends
  // every embedding and override.
  static bool IsParagraphBreak(std::string_view text, const internal::Unit& x) {
    const std::string_view c = text.substr(x.b, 3);
    return c[0] == '\n' || c[0] == '\r' || c == "\xE2\x80\xA9" || c.substr(0, 2) == "\xC2\x85";
  }
  // Pass 2.
  void MarkLinks(internal::UnitBuf& units,
                 const std::vector<uint32_t>& triggers,
                 std::vector<Span>* links) const;
  void MarkChunkLinks(Unit* u, size_t cs, size_t ce,
                      std::vector<Span>* links) const;
  // Pass 3/4.
  bool TryComposite(Unit* u, size_t n, size_t i) const;
  void Tokenize(internal::UnitBuf& units, std::vector<internal::Word>* words)
      const;
  bool IsSingle(const Unit& u) const;
  void Join(const internal::UnitBuf& units,
            const std::vector<internal::Word>& words,
            std::vector<internal::Group>* groups, uint32_t* flags) const;
  // Pass 5.
  const std::u32string* Lookalike(const Unit* u, size_t k, size_t end,
                                  size_t* len) const;
  void Encode(std::string_view text, internal::Scratch& sc,
              NormalizedText* out) const;
  // One group of words (units u, words, group g) appended to tw/xw.
  void EncodeGroup(const internal::Unit* u, const internal::Word* words,
                   const internal::Group& g, internal::ViewWriter& tw,
                   internal::ViewWriter& xw, internal::EncodeCursor& cur,
                   NormalizedText* out) const;
  void Run(std::string_view text, NormalizedText* out) const;

  // Fast path (one pass, no units for plain words): see FastRun.
  bool FastRun(std::string_view text, internal::Scratch& sc,
               NormalizedText* out) const;
  class FastReader;
  bool FastCompositeAt(const uint8_t* p, size_t n, size_t i) const;
  bool FastMaybeHost(const uint8_t* p, size_t n, size_t cs) const;
  uint32_t FastGapKind(const uint8_t* p, size_t n, size_t b, size_t e) const;
  bool FastNextIsCore(const uint8_t* p, size_t n, size_t i) const;
  std::array<uint8_t, 128> fast_ascii{};  // FastKind | kFastMulti
  std::array<uint8_t, 256> cyr_byte{};    // view byte of U+0400 + i, 0 if not а..я
  std::array<internal::FastOther, 0x80> fast_latin1;  // U+0080..U+00FF
  std::array<internal::FastOther, 0x70> fast_punct;   // U+2000..U+206F
  std::array<std::vector<std::u32string>, 128> multi_ascii_sources;

  ConfusableTable table;
  const internal::StaticTables& st;
  std::array<Folded, 128> ascii;
  // Decoder fast paths: ascii[c] as a packed unit (| kTriggerBit for the
  // link triggers . @ : [), and the packed unit of U+0400 + i when it folds
  // to a basic Cyrillic letter (0 otherwise).
  static constexpr uint32_t kTriggerBit = 1u << 31;
  std::array<uint32_t, 128> ascii_packed;
  std::array<uint32_t, 256> cyr_packed;
  // Letter case counts added per ASCII byte / per U+0400 + i (NormalizedText::
  // upper_letters in the low half, lower_letters in the high half).
  std::array<uint64_t, 128> ascii_case{};
  std::array<uint64_t, 256> cyr_case{};
  // Extended_Pictographic for U+2000..U+206F (the punct_cache range).
  std::array<bool, 0x70> punct_pictographic{};
  std::array<std::u32string, 128> single_ascii;
  absl::flat_hash_map<char32_t, std::u32string> single_other;
  absl::flat_hash_set<char32_t> sym_other, mask_other, multi_first_other;
  std::array<bool, 128> multi_first_ascii{};
  std::array<std::u32string, 26> translit_single;
};

void Normalizer::Impl::PushFolded(Folded f, uint32_t b, uint32_t e,
                                  internal::UnitBuf* units,
                                  uint32_t* flags) const {
  using namespace internal;
  switch (f.cls) {
    case kIgnore:
      *flags |= kInputInvisible;
      return;
    case kCombine:
      if (!units->empty()) {
        Unit& last = units->back();
        if (f.cp == 0x306 && last.cp() == 0x438) last.set_cp(0x439);  // й → й
        if (last.e <= b) last.e = e;
      }
      return;
    case kSep:
      if (f.cp < 0x80) break;
      if (table.rep().symbols.contains(f.cp)) f.cls = kTag;
      else if (mask_other.contains(f.cp)) f.cls = kMask;
      else if (sym_other.contains(f.cp)) f.cls = kSym;
      break;
    default:
      if (f.cp < 0x80) f.cls = ascii[f.cp].cls;  // table overrides
      break;
  }
  if (f.cp < 0x80 && f.cls == kSep) f.cls = ascii[f.cp].cls;
  units->push_back(MakeUnit(f.cp, f.cls, b, e));
}

void Normalizer::Impl::PushSlow(char32_t cp, uint32_t b, uint32_t e,
                                internal::UnitBuf* units,
                                uint32_t* flags) const {
  using namespace internal;
  // [exotic] letters (small capitals, IPA, Coptic ...) are Cyrillic letters
  // wherever they stand; kInputConfusables tells Encode to count their words.
  const auto& exotic = table.rep().exotic;
  auto push_exotic = [&](char32_t c) {
    auto it = exotic.find(c);
    if (it == exotic.end()) return false;
    Unit x = MakeUnit(it->second, kCyr, b, e);
    x.add_fl(kFlExotic);
    units->push_back(x);
    *flags |= kInputConfusables;
    return true;
  };
  if (!exotic.empty() && push_exotic(cp)) return;
  // Ideographic full stops read as '.', as browsers read them in host names
  // (UTS #46): "t。me/x" is a link (U+FF0E is '.' by NFKC already).
  if (cp == 0x3002 || cp == 0xFF61) {
    PushFolded(FoldOne('.', st), b, e, units, flags);
    return;
  }
  if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
    *flags |= kInputInvisible;
    return;
  }
  if (u_hasBinaryProperty(cp, UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED)) {
    UChar buf[2];
    int32_t len = 0;
    U16_APPEND_UNSAFE(buf, len, cp);
    icu::UnicodeString src(false, buf, len);  // read-only alias, no copy
    icu::UnicodeString dst;
    UErrorCode ec = U_ZERO_ERROR;
    st.nfkc_cf->normalize(src, dst, ec);
    if (U_SUCCESS(ec)) {
      for (int32_t k = 0; k < dst.length();) {
        UChar32 r = dst.char32At(k);
        k += U16_LENGTH(r);
        if (!exotic.empty() && push_exotic(static_cast<char32_t>(r))) continue;
        PushFolded(FoldOne(static_cast<char32_t>(r), st), b, e, units, flags);
      }
      return;
    }
  }
  PushFolded(FoldOne(cp, st), b, e, units, flags);
}

void Normalizer::Impl::Decode(std::string_view s, internal::UnitBuf* units,
                              std::vector<uint32_t>* triggers,
                              NormalizedText* out) const {
  using namespace internal;
  uint32_t* const flags = &out->flags;
  uint64_t letter_case = 0;  // upper | lower << 32
  uint32_t pictographs = 0;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s.data());
  const size_t n = s.size();
  // Invariant: free capacity >= remaining input bytes + 32, so the fast
  // paths (one unit per 1-4 bytes) write unchecked.
  units->reserve(units->size() + n + 32);
  // An open right-to-left override (U+202E): its first unit and trigger.
  size_t rlo_unit = SIZE_MAX, rlo_trigger = 0;
  size_t rlo_checked = 0;  // units before this one hold no paragraph break
  auto close_override = [&] {
    if (rlo_unit == SIZE_MAX) return;
    ReverseOverride(s, units, rlo_unit, triggers, rlo_trigger);
    rlo_unit = SIZE_MAX;
  };
  size_t i = 0;
  while (i < n) {
    {
      // The common case in one loop: ASCII bytes (one table load: packed
      // unit | trigger bit) and U+0400..U+04FF letters that fold to a basic
      // Cyrillic letter; anything else leaves the loop.
      Unit* const base = units->data();
      Unit* w = base + units->size();
      while (i < n) {
        const uint8_t c = p[i];
        if (c < 0x80) {
          const uint32_t packed = ascii_packed[c];
          if (packed == 0) break;  // a control character: dropped below
          letter_case += ascii_case[c];
          if (packed & kTriggerBit) triggers->push_back(static_cast<uint32_t>(w - base));
          *w++ = Unit{packed & ~kTriggerBit, static_cast<uint32_t>(i),
                      static_cast<uint32_t>(i + 1)};
          ++i;
          continue;
        }
        uint32_t idx;
        if (i + 1 >= n || !CyrIndex(p + i, &idx)) break;
        uint32_t packed = cyr_packed[idx];
        if (packed == 0) break;
        // The rest of a Cyrillic word in a tighter loop: both bytes of a
        // letter tested at once (110100xx 10xxxxxx).
        for (;;) {
          letter_case += cyr_case[idx];
          *w++ = Unit{packed, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 2)};
          i += 2;
          if (i + 1 >= n || !CyrIndex(p + i, &idx)) break;
          packed = cyr_packed[idx];
          if (packed == 0) break;
        }
      }
      units->Resize(static_cast<size_t>(w - base));
    }
    if (i >= n) break;
    const uint8_t c = p[i];
    if (c < 0x80) {  // only the dropped controls leave the loop above
      PushFolded(ascii[c], i, i + 1, units, flags);
      ++i;
      continue;
    }
    if (uint32_t idx; i + 1 < n && CyrIndex(p + i, &idx)) {
      // U+0400..U+04FF that is not a basic Cyrillic letter after folding.
      PushFolded(st.cyr[idx], i, i + 2, units, flags);
      i += 2;
      continue;
    }
    char32_t cp;
    bool bad;
    const size_t len = DecodeUtf8(p + i, n - i, &cp, &bad);
    if (bad) {
      *flags |= kInputInvalidUtf8;
      // Invalid bytes stay boundaries (a broken encoding never glues two
      // words); a typed U+FFFD goes through the table (a [mask] symbol).
      units->push_back(MakeUnit(0xFFFD, kSep, i, i + len));
    } else {
      const Folded* cached = nullptr;
      if (cp < 0x100) {
        cached = &latin1_cache[cp - 0x80];
      } else if (cp >= 0x2000 && cp < 0x2070) {
        cached = &punct_cache[cp - 0x2000];
        pictographs += punct_pictographic[cp - 0x2000];
      } else if (cp >= 0x2070 &&
                 u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_EXTENDED_PICTOGRAPHIC)) {
        ++pictographs;
      }
      if (cached != nullptr && cached->cls != kNoCache) {
        if (cached->cls == kIgnore) {
          *flags |= kInputInvisible;
          if (cp == kRightToLeftOverride) {
            // A nested override goes on with the open run, unless a
            // paragraph break ended that run: then this one starts anew.
            // (Units are checked once each: a flood of overrides is linear.)
            if (rlo_unit != SIZE_MAX) {
              const Unit* const u = units->data();
              const size_t from = std::max(rlo_unit, rlo_checked);
              rlo_checked = units->size();
              if (std::any_of(u + from, u + rlo_checked,
                              [&](const Unit& x) { return IsParagraphBreak(s, x); }))
                close_override();
            }
            if (rlo_unit == SIZE_MAX) {
              rlo_unit = units->size();
              rlo_trigger = triggers->size();
            }
          } else if (cp >= kLeftToRightEmbedding && cp <= kLeftToRightOverride) {
            close_override();  // PDF, an embedding, LRO
          } else if (cp >= 0x2066 && cp <= 0x2069) {
            close_override();  // an isolate opens or closes
          }
        } else {
          if (IsLinkTrigger(cached->cp)) triggers->push_back(units->size());
          units->push_back(MakeUnit(cached->cp, cached->cls, i, i + len));
        }
        i += len;
        continue;
      }
      const size_t before = units->size();
      units->reserve(units->size() + (n - i) + 64);  // NFKC may expand
      PushSlow(cp, i, i + len, units, flags);
      for (size_t k = before; k < units->size(); ++k)  // fullwidth ＠ etc.
        if (IsLinkTrigger((*units)[k].cp())) triggers->push_back(k);
    }
    i += len;
  }
  close_override();
  out->upper_letters += static_cast<uint32_t>(letter_case);
  out->lower_letters += static_cast<uint32_t>(letter_case >> 32);
  out->pictographs += pictographs;
}

// Characters under a right-to-left override are displayed in reverse order
// (UAX #9: every character of an RLO run is strong R), so "\u202Eйух\u202C"
// shows as хуй: the units from `first` on, up to the first paragraph break
// (which ends every embedding), are read in display order. They all take
// the span of the run, so view offsets stay non-decreasing (a match inside
// the run points to all of it). The link triggers among them (indices from
// `first_trigger` on) follow their units.
void Normalizer::Impl::ReverseOverride(std::string_view text, internal::UnitBuf* units,
                                       size_t first, std::vector<uint32_t>* triggers,
                                       size_t first_trigger) {
  Unit* const u = units->data();
  size_t last = first;
  while (last < units->size() && !IsParagraphBreak(text, u[last])) ++last;
  if (last - first < 2) return;
  const uint32_t b = u[first].b, e = u[last - 1].e;
  std::reverse(u + first, u + last);
  for (size_t k = first; k < last; ++k) {
    u[k].b = b;
    u[k].e = e;
  }
  size_t end_trigger = first_trigger;
  for (; end_trigger < triggers->size() && (*triggers)[end_trigger] < last; ++end_trigger)
    (*triggers)[end_trigger] = static_cast<uint32_t>(first + last - 1 - (*triggers)[end_trigger]);
  std::reverse(triggers->begin() + static_cast<std::ptrdiff_t>(first_trigger),
               triggers->begin() + static_cast<std::ptrdiff_t>(end_trigger));
}

// --- links -----------------------------------------------------------------

namespace {
using internal::kLink;

inline bool IsAsciiAlnumUnit(const Unit& u) {
  return u.cls() == internal::kLatin || u.cls() == internal::kDigit;
}

// Scans a host name "label(.label)+" from k; returns the end, or k if none.
// Sets *tld_b to the start of the last label.
size_t ScanHost(const Unit* u, size_t k, size_t ce, size_t* tld_b,
                int* labels) {
  size_t i = k, last_b = k;
  *labels = 0;
  while (i < ce) {
    size_t lb = i;
    while (i < ce && (IsAsciiAlnumUnit(u[i]) || u[i].cls() == internal::kCyr ||
                      (u[i].cp() == '-' && i > lb)))
      ++i;
    if (i == lb) {  // empty label
      if (*labels == 0) return k;
      i = lb - 1;  // give back the dot
      break;
    }
    ++*labels;
    last_b = lb;
    if (i + 1 < ce && u[i].cp() == '.' &&
        (IsAsciiAlnumUnit(u[i + 1]) || u[i + 1].cls() == internal::kCyr)) {
      ++i;
      continue;
    }
    break;
  }
  *tld_b = last_b;
  return i;
}
}  // namespace

void Normalizer::Impl::MarkChunkLinks(Unit* u, size_t cs, size_t ce,
                                      std::vector<Span>* links) const {
  // has_host_dot: a dot followed by a letter or digit, which a host of two
  // labels needs (most dots end a sentence: "слово." or "слово...").
  bool has_dot = false, has_host_dot = false, has_at = false, has_colon = false;
  for (size_t k = cs; k < ce; ++k) {
    const char32_t c = u[k].cp();
    if (c == '.') {
      has_dot = true;
      has_host_dot |= k + 1 < ce &&
                      (IsAsciiAlnumUnit(u[k + 1]) || u[k + 1].cls() == internal::kCyr);
    }
    has_at |= c == '@';
    has_colon |= c == ':';
  }
  if (!has_dot && !has_at && !has_colon) return;
  auto mark = [&](size_t b, size_t e) {
    if (b >= e) return;
    for (size_t k = b; k < e; ++k) u[k].set_cls(kLink);
    links->push_back({u[b].b, u[e - 1].e});
  };
  auto trim_end = [&](size_t b, size_t e) {
    while (e > b + 1 && IsTrailingPunct(u[e - 1].cp())) --e;
    return e;
  };
  // 1. scheme://...
  if (has_colon) {
    for (size_t k = cs; k + 2 < ce; ++k) {
      if (u[k].cp() != ':' || u[k + 1].cp() != '/' || u[k + 2].cp() != '/')
        continue;
      size_t s = k;
      while (s > cs && u[s - 1].cls() == internal::kLatin && k - s < 10) --s;
      if (k - s < 2) continue;
      mark(s, trim_end(s, ce));
      return;
    }
  }
  size_t p = cs;
  while (p < ce && IsLeadingPunct(u[p].cp())) ++p;
  // 2. www.
  if (ce - p > 4 && u[p].cp() == 'w' && u[p + 1].cp() == 'w' &&
      u[p + 2].cp() == 'w' && u[p + 3].cp() == '.') {
    mark(p, trim_end(p, ce));
    return;
  }
  // 3. e-mail: local@host.tld
  if (has_at) {
    for (size_t k = cs + 1; k + 1 < ce; ++k) {
      if (u[k].cp() != '@' || u[k].cls() == kLink) continue;
      size_t l = k;
      while (l > cs && k - l < 64) {
        const char32_t c = u[l - 1].cp();
        if (IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' ||
            c == '+' || c == '-')
          --l;
        else
          break;
      }
      if (l == k) continue;
      size_t tld_b;
      int labels;
      size_t he = ScanHost(u, k + 1, ce, &tld_b, &labels);
      if (labels < 2 || he - tld_b < 2) continue;
      bool alpha_tld = true;
      for (size_t t = tld_b; t < he; ++t)
        alpha_tld &= u[t].cls() == internal::kLatin ||
                     u[t].cls() == internal::kCyr;
      if (!alpha_tld) continue;
      mark(l, he);
      k = he;
    }
  }
  // 4. bare domain at the chunk start: host.tld[/path]
  if (has_host_dot && p < ce && u[p].cls() != kLink) {
    size_t tld_b;
    int labels;
    size_t he = ScanHost(u, p, ce, &tld_b, &labels);
    if (labels >= 2 && IsTld(u, tld_b, he)) {
      if (he == ce) {
        mark(p, he);
      } else {
        const char32_t c = u[he].cp();
        if (c == '/' || c == ':' || c == '?' || c == '#') {
          mark(p, trim_end(p, ce));
        } else if (IsTrailingPunct(c) || u[he].cls() == internal::kSep) {
          mark(p, he);
        }
      }
    }
  }
}

void Normalizer::Impl::MarkLinks(internal::UnitBuf& units,
                                 const std::vector<uint32_t>& triggers,
                                 std::vector<Span>* links) const {
  // Only chunks (runs of non-space units; '[' starts a new chunk) that hold
  // a trigger unit ('.', '@', ':', '[') can contain a link.
  Unit* u = units.data();
  const size_t n = units.size();
  size_t done = 0;  // units before `done` are decided
  for (const uint32_t t : triggers) {
    if (t < done || u[t].cls() == kLink) continue;
    // VK mention markup: [id123|Имя], [club45|Клуб], [public1|...].
    if (u[t].cp() == '[') {
      size_t k = t + 1;
      const size_t name_b = k;
      while (k < n && u[k].cls() == internal::kLatin && k - name_b < 8) ++k;
      const size_t name_e = k;
      auto name_is = [&](std::u32string_view w) {
        if (name_e - name_b != w.size()) return false;
        for (size_t q = 0; q < w.size(); ++q)
          if (u[name_b + q].cp() != w[q]) return false;
        return true;
      };
      if (name_is(U"id") || name_is(U"club") || name_is(U"public") ||
          name_is(U"event")) {
        const size_t db = k;
        while (k < n && u[k].cls() == internal::kDigit) ++k;
        if (k > db && k < n && u[k].cp() == '|') {
          size_t close = k + 1;
          while (close < n && close - k < 128 && u[close].cp() != ']' &&
                 u[close].cp() != '[' && u[close].cp() != '\n')
            ++close;
          if (close < n && u[close].cp() == ']') {
            for (size_t q = t; q <= close; ++q) u[q].set_cls(kLink);
            links->push_back({u[t].b, u[close].e});
            done = close + 1;
            continue;
          }
        }
      }
    }
    // The chunk around the trigger.
    size_t cs = t;
    if (u[t].cp() != '[') {
      while (cs > done && u[cs - 1].cls() != internal::kSpace &&
             u[cs - 1].cls() != kLink) {
        --cs;
        if (u[cs].cp() == '[') break;
      }
    }
    size_t ce = t + 1;
    while (ce < n && u[ce].cls() != internal::kSpace && u[ce].cp() != '[') ++ce;
    MarkChunkLinks(u, cs, ce, links);
    done = ce;
  }
  if (links->size() > 1)
    std::sort(links->begin(), links->end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
}

// --- words -----------------------------------------------------------------

bool Normalizer::Impl::TryComposite(Unit* u, size_t n, size_t i) const {
  const char32_t c = u[i].cp();
  if (c < 0x80 ? !multi_first_ascii[c] : !multi_first_other.contains(c))
    return false;
  const auto& rep = table.rep();
  auto it = rep.lookalike_index.find(c);
  if (it == rep.lookalike_index.end()) return false;
  for (uint32_t x = it->second.first; x < it->second.second; ++x) {
    const std::u32string& from = rep.lookalikes[x].from;
    if (from.size() < 2) break;  // sorted longest first
    if (i + from.size() > n) continue;
    bool ok = true;
    for (size_t t = 0; t < from.size() && ok; ++t)
      ok = u[i + t].cp() == from[t] && u[i + t].cls() != kLink &&
           u[i + t].cls() != internal::kSpace;
    if (!ok) continue;
    const bool cyr_before = i > 0 && u[i - 1].cls() == internal::kCyr;
    const bool cyr_after =
        i + from.size() < n && u[i + from.size()].cls() == internal::kCyr;
    if (!cyr_before && !cyr_after) continue;
    for (size_t t = 0; t < from.size(); ++t)
      u[i + t].add_fl(internal::kFlComposite);
    return true;
  }
  return false;
}

void Normalizer::Impl::Tokenize(internal::UnitBuf& units,
                                std::vector<internal::Word>* words) const {
  using namespace internal;
  Unit* u = units.data();
  const size_t n = units.size();
  size_t i = 0;
  while (i < n) {
    const uint8_t c = u[i].cls();
    if (c == kTag) {
      words->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1),
                        0, 0, false, false});
      ++i;
      continue;
    }
    auto composite = [&](size_t k) {
      const uint8_t c = u[k].cls();
      if (c == kCyr || c == kSpace || c == kLink || (u[k].fl() & kFlComposite))
        return false;
      const char32_t cp = u[k].cp();
      if (cp < 0x80 && !multi_first_ascii[cp]) return false;  // TryComposite's first test
      return TryComposite(u, n, k);
    };
    if (!composite(i) && !IsCoreUnit(u[i])) {
      ++i;
      continue;
    }
    const size_t s = i;
    size_t seg = i;  // start of the current dot-separated segment
    uint32_t ncyr = 0, ndigit = 0;
    bool latin_only = true, has_mask = false;
    while (i < n) {
      const uint8_t c = u[i].cls();
      if (c == kCyr) {  // the common case first: the whole Cyrillic run
        size_t k = i + 1;
        while (k < n && u[k].cls() == kCyr) ++k;
        ncyr += static_cast<uint32_t>(k - i);
        i = k;
        continue;
      }
      if (composite(i)) continue;
      if (IsCoreUnit(u[i])) {
        latin_only &= c == kLatin;
        has_mask |= c == kMask;
        ndigit += c == kDigit;
        ++i;
        continue;
      }
      if (c == kDot) {
        // A run of 2+ dots between letters is a mask when the part before
        // it is 1-2 characters (на..уй, п...здец, х..й) and a plain
        // separator otherwise (фейк...ну, слово...слово).
        size_t k = i;
        while (k < n && u[k].cls() == kDot) ++k;
        if (k - i >= 2 && k < n && IsCore(u[k].cls())) {
          const size_t left = i - seg;
          // A letter right before the dots: not "5..8", "месяца 3...хотя".
          if (left <= 2 && IsLetterCls(u[i - 1].cls())) {
            for (size_t t = i; t < k; ++t) u[t].add_fl(kFlDotMask);
            i = k;
            seg = k;
            latin_only = false;
            has_mask = true;
            continue;
          }
        }
      }
      break;
    }
    words->push_back({static_cast<uint32_t>(s), static_cast<uint32_t>(i), ncyr,
                      ndigit, latin_only && ncyr == 0, has_mask});
  }
}

namespace {
bool IsStopLetter(char32_t c) {
  switch (c) {
    case U'а': case U'в': case U'и': case U'к': case U'о': case U'с':
    case U'у': case U'я': case 'a': case 'i': case 'o':
      return true;
    default:
      return false;
  }
}
}  // namespace

bool Normalizer::Impl::IsSingle(const Unit& u) const {
  const uint8_t c = u.cls();
  if (c == internal::kCyr || c == internal::kLatin) return true;
  if (c == internal::kDigit || c == internal::kSym || c == internal::kOther) {
    const char32_t cp = u.cp();
    return cp < 0x80 ? !single_ascii[cp].empty() : single_other.contains(cp);
  }
  return false;
}

namespace {
// The kind of the gap between two one-character words (Join, and
// FastGapKind for the fast path), read one unit at a time: white space
// before and after, and one separator: `.` `-` `_` (and what folds to
// them: dashes, middle dots), or emoji, any of them and any number
// (ZWJ sequences, skin tones: "х😀у😡й"). Code() is 0 when the gap cannot
// join (another character, two separators).
class GapKind {
 public:
  // False (and Code() 0) from the first unit that cannot be in a gap.
  bool Add(uint8_t cls, char32_t cp) {
    using namespace internal;
    if (cls == kSpace) {
      (ch_ ? sp_after_ : sp_before_) = true;
    } else if (cls == kDot || cls == kHyphen || cls == kUnderscore) {
      if (ch_) return Fail();
      ch_ = cp;
    } else if (cls == kSep && IsPictograph(cp)) {
      if (ch_ && ch_ != kPictographs) return Fail();
      ch_ = kPictographs;
    } else {
      return Fail();
    }
    return true;
  }
  uint32_t Code() const {
    return failed_ ? 0 : (uint32_t{ch_} << 2) | (sp_before_ ? 2u : 0u) | (sp_after_ ? 1u : 0u);
  }

 private:
  static constexpr char32_t kPictographs = 0x110000;  // above every code point
  static bool IsPictograph(char32_t cp) {  // Extended_Pictographic, skin tones
    return cp >= 0x80 &&
           (u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_EXTENDED_PICTOGRAPHIC) ||
            u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_EMOJI_MODIFIER));
  }
  bool Fail() {
    failed_ = true;
    return false;
  }
  char32_t ch_ = 0;
  bool sp_before_ = false, sp_after_ = false, failed_ = false;
};
}  // namespace

void Normalizer::Impl::Join(const internal::UnitBuf& units,
                            const std::vector<internal::Word>& words,
                            std::vector<internal::Group>* groups,
                            uint32_t* flags) const {
  using namespace internal;
  const Unit* u = units.data();
  const size_t nw = words.size();
  auto single = [&](size_t w) {
    return words[w].ue - words[w].ub == 1 && IsSingle(u[words[w].ub]);
  };
  // Gap kind between words w and w+1: 0 = not joinable; else a code of
  // (separator char, space before, space after).
  auto gap_kind = [&](size_t w) -> uint32_t {
    const uint32_t b = words[w].ue, e = words[w + 1].ub;
    if (e - b > 8) return 0;
    GapKind gap;
    for (uint32_t k = b; k < e && gap.Add(u[k].cls(), u[k].cp()); ++k) {
    }
    return gap.Code();
  };
  size_t i = 0;
  while (i < nw) {
    if (!single(i) || i + 1 >= nw) {
      groups->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
      continue;
    }
    const uint32_t kind = gap_kind(i);
    size_t k = i + 1;  // the run is words [i, k)
    if (kind != 0)
      while (k < nw && single(k) && gap_kind(k - 1) == kind) ++k;
    const size_t len = k - i;
    size_t letters = 0, cyr = 0, others = 0, stop = 0;
    for (size_t w = i; w < k; ++w) {
      const Unit& x = u[words[w].ub];
      if (x.cls() == kCyr || x.cls() == kLatin) {
        ++letters;
        if (x.cls() == kCyr) ++cyr;
        if (IsStopLetter(x.cp())) ++stop;
      } else {
        ++others;
      }
    }
    // At most one digit/symbol, and then 3+ Cyrillic letters ("п 1 з д а",
    // but not "и 3 и 6 метров").
    const bool join = len >= 3 && letters >= 2 &&
                      (others == 0 || (others == 1 && cyr >= 3)) &&
                      !(len == 3 && stop == 3);
    if (join) {
      groups->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(k)});
      *flags |= kInputSplitLetters;
      i = k;
    } else {
      groups->push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)});
      ++i;
    }
  }
}

// --- encoding ---------------------------------------------------------------

const std::u32string* Normalizer::Impl::Lookalike(const Unit* u, size_t k,
                                                  size_t end,
                                                  size_t* len) const {
  const char32_t c = u[k].cp();
  const auto& rep = table.rep();
  const bool has_multi =
      c < 0x80 ? multi_first_ascii[c] : multi_first_other.contains(c);
  if (has_multi) {
    auto it = rep.lookalike_index.find(c);
    if (it != rep.lookalike_index.end()) {
      for (uint32_t x = it->second.first; x < it->second.second; ++x) {
        const auto& l = rep.lookalikes[x];
        if (k + l.from.size() > end) continue;
        bool ok = true;
        for (size_t t = 1; t < l.from.size() && ok; ++t)
          ok = u[k + t].cp() == l.from[t];
        if (ok) {
          *len = l.from.size();
          return &l.to;
        }
      }
      return nullptr;
    }
  }
  *len = 1;
  if (c < 0x80) return single_ascii[c].empty() ? nullptr : &single_ascii[c];
  auto it = single_other.find(c);
  return it == single_other.end() ? nullptr : &it->second;
}


void Normalizer::Impl::Encode(std::string_view text, internal::Scratch& sc,
                              NormalizedText* out) const {
  using namespace internal;
  const Unit* u = sc.units.data();
  ViewWriter tw(&out->text, &sc.text_buf), xw(&out->translit, &sc.translit_buf);
  tw.Reserve(sc.units.size() + sc.units.size() / 2 + 64);
  const uint32_t n_bytes = static_cast<uint32_t>(text.size());
  // Set by Decode only when [exotic] letters were read (words set it later).
  EncodeCursor cur;
  cur.exotic_input = (out->flags & kInputConfusables) != 0;
  for (const Group& g : sc.groups) EncodeGroup(u, sc.words.data(), g, tw, xw, cur, out);
  tw.Reserve(1);
  tw.Boundary(cur.prev_end, n_bytes);
  tw.Finish();
  if (cur.any_translit) {
    xw.Reserve(1);
    xw.Boundary(cur.xprev_end, n_bytes);
    xw.Finish();
  }
}

void Normalizer::Impl::EncodeGroup(const internal::Unit* u,
                                   const internal::Word* words,
                                   const internal::Group& g,
                                   internal::ViewWriter& tw,
                                   internal::ViewWriter& xw,
                                   internal::EncodeCursor& cur,
                                   NormalizedText* out) const {
  using namespace internal;
  const auto& rep = table.rep();
  uint32_t& prev_end = cur.prev_end;
  uint32_t& xprev_end = cur.xprev_end;
  bool& any_translit = cur.any_translit;
  const bool exotic_input = cur.exotic_input;
  {
    const Word& first = words[g.wb];
    const Word& last = words[g.we - 1];
    const uint32_t wb = u[first.ub].b;
    tw.Reserve(4 * size_t{last.ue - first.ub} + 40);
    const size_t mark = tw.size();
    tw.Boundary(prev_end, wb);
    const size_t word_bytes_at = tw.size();

    // Fast path: one word of Cyrillic letters only (most words).
    if (g.we - g.wb == 1 && first.ncyr == first.ue - first.ub) {
      if (tw.CyrLetters(u + first.ub, u + first.ue)) out->flags |= kInputStretched;
      if (exotic_input) {
        for (uint32_t k = first.ub; k < first.ue; ++k)
          if (u[k].fl() & kFlExotic) {
            if (out->mixed_script_words++ == 0)
              out->first_mixed_word = {u[first.ub].b, u[first.ue - 1].e};
            break;
          }
      }
      prev_end = u[first.ue - 1].e;
      return;
    }
    // Symbol tag: "{tag}", never collapsed.
    if (g.we - g.wb == 1 && u[first.ub].cls() == kTag) {
      const Unit& t = u[first.ub];
      auto it = rep.symbols.find(t.cp());
      tw.Raw('{', t.b, t.e);
      for (char ch : it->second) tw.Raw(static_cast<uint8_t>(ch), t.b, t.e);
      tw.Raw('}', t.b, t.e);
      prev_end = t.e;
      return;
    }

    // Edge masks are dropped: find the first and last non-mask core unit.
    uint32_t keep_b = first.ub, keep_e = last.ue;
    size_t cyr = 0, digits = 0;
    bool all_latin = true, has_mask = false;
    for (uint32_t w = g.wb; w < g.we; ++w) {
      cyr += words[w].ncyr;
      digits += words[w].ndigit;
      all_latin &= words[w].latin_only;
      has_mask |= words[w].has_mask;
    }
    if (has_mask) {
      keep_b = UINT32_MAX;
      keep_e = 0;
      for (uint32_t w = g.wb; w < g.we; ++w) {
        for (uint32_t k = words[w].ub; k < words[w].ue; ++k) {
          const bool mask = u[k].cls() == kMask || (u[k].fl() & kFlDotMask);
          if (!mask) {
            keep_b = std::min(keep_b, k);
            keep_e = k + 1;
          }
        }
      }
      if (keep_b == UINT32_MAX) {  // only masks: nothing
        tw.Truncate(mark);
        return;
      }
    }
    bool confused = false, masked = false, stretched = false;
    // О and O typed for zeros in a number ("35ООр", "5OOO руб", "2О23"):
    // after a digit, a run of them followed by a digit, the end of the word
    // or р/к/т (roubles, thousands) is that many zeros. Ordinals ("2ое",
    // "1ой") are followed by another letter and stay.
    auto is_o = [&](uint32_t i) {
      return (u[i].cls() == kCyr && u[i].cp() == U'о') || (u[i].cls() == kLatin && u[i].cp() == U'o');
    };
    auto is_unit_letter = [&](uint32_t i) {
      const char32_t cp = u[i].cp();
      return u[i].cls() == kCyr ? cp == U'р' || cp == U'к' || cp == U'т'
                                : u[i].cls() == kLatin && (cp == U'p' || cp == U'k');
    };
    for (uint32_t w = g.wb; w < g.we; ++w) {
      const uint32_t we = words[w].ue;
      uint32_t k = std::max(words[w].ub, keep_b);
      const uint32_t end = std::min(we, keep_e);
      while (k < end) {
        const Unit& x = u[k];
        const uint8_t c = x.cls();
        if (digits > 0 && k > words[w].ub && u[k - 1].cls() == kDigit && is_o(k)) {
          uint32_t r = k + 1;
          while (r < end && is_o(r)) ++r;
          if (r == end || u[r].cls() == kDigit || is_unit_letter(r)) {
            for (; k < r; ++k) tw.Raw('0', u[k].b, u[k].e);
            confused = true;
            continue;
          }
        }
        if (c == kCyr) {
          stretched |= tw.Letter(internal::CyrByte(x.cp()), x.b, x.e);
          confused |= (x.fl() & kFlExotic) != 0;
          ++k;
          continue;
        }
        if (c == kMask || (x.fl() & kFlDotMask)) {
          tw.Raw('*', x.b, x.e);
          masked = true;
          ++k;
          continue;
        }
        if (cyr > 0) {
          // Cyrillic context: look-alikes become Cyrillic. A digit is mapped
          // only when it is a lone digit (not in a number: "съем15"), the
          // word has more Cyrillic letters than digits ("2х1х1" stays) and
          // 2+ Cyrillic letters ("п1зда", "бл9"; "2х" stays), or
          // 4+ when the digit starts the word ("6лядь"; "1кг", "3мес" stay).
          size_t len = 1;
          const std::u32string* to = nullptr;
          bool try_lookalike = true;
          if (c == kDigit && !(x.fl() & kFlComposite)) {
            const bool in_number =
                (k > words[w].ub && u[k - 1].cls() == kDigit) ||
                (k + 1 < we && u[k + 1].cls() == kDigit);
            try_lookalike = !in_number && cyr > digits &&
                            cyr >= (k == keep_b ? 4u : 2u);
          }
          if (try_lookalike) to = Lookalike(u, k, end, &len);
          if (to == nullptr && c == kLatin &&
              !translit_single[x.cp() - 'a'].empty()) {
            to = &translit_single[x.cp() - 'a'];
            len = 1;
          }
          if (to != nullptr) {
            const uint32_t ob = x.b, oe = u[k + len - 1].e;
            for (char32_t t : *to) stretched |= tw.Letter(internal::CyrByte(t), ob, oe);
            confused = true;
            k += static_cast<uint32_t>(len);
            continue;
          }
        }
        if (c == kLatin) {
          stretched |= tw.Letter(static_cast<uint8_t>(x.cp()), x.b, x.e);
        } else if (c == kDigit) {
          tw.Raw(static_cast<uint8_t>(x.cp()), x.b, x.e);
        } else if (c == kOther) {
          tw.Raw(0x01, x.b, x.e);
        }
        // kSym outside a Cyrillic word, unmatched composite parts: dropped.
        ++k;
      }
    }
    if (tw.size() == word_bytes_at) {  // nothing emitted
      tw.Truncate(mark);
      return;
    }
    prev_end = u[last.ue - 1].e;
    if (confused) {
      out->flags |= kInputConfusables;
      if (out->mixed_script_words++ == 0) out->first_mixed_word = {wb, prev_end};
    }
    if (masked) out->flags |= kInputMasked;
    if (stretched) out->flags |= kInputStretched;

    // A Cyrillic word that opens with a Latin p ("pидор", "pиздец") reads
    // р by shape, but writers type p for п: the translit view gets the
    // main view's reading of the word with п first. Only p, and only
    // first: Latin letters inside words and the other letters with two
    // readings (b в/б, h н/х, u и/у, n п/н, c с/ц, y у/ы...) are typed for
    // their shape far more often (CAPS typed with Latin look-alikes:
    // "EBPO", "HУЛИ"; "коpидор", "волhует") and their sound readings made
    // innocent words obscene (docs/normalization.md, step 7).
    if (cyr > 0 && confused && !masked && u[keep_b].cls() == kLatin && u[keep_b].cp() == 'p' &&
        keep_b + 1 < keep_e && u[keep_b + 1].cls() != kLatin) {
      any_translit = true;
      xw.Reserve(tw.size() - word_bytes_at + 40);
      xw.Boundary(xprev_end, wb);
      xw.CopyWord(tw, word_bytes_at, internal::CyrByte(U'п'));
      xprev_end = prev_end;
    }

    // Transliteration view for all-Latin words.
    if (all_latin && cyr == 0) {
      any_translit = true;
      xw.Reserve(2 * size_t{last.ue - first.ub} + 40);
      xw.Boundary(xprev_end, wb);
      char32_t prev_src = 0;
      for (uint32_t w = g.wb; w < g.we; ++w) {
        const uint32_t we = words[w].ue;
        uint32_t k = words[w].ub;
        while (k < we) {
          const char32_t c = u[k].cp();
          const auto [rb, re] = rep.translit_index[c - 'a'];
          const bool after_vowel = prev_src == 'a' || prev_src == 'e' ||
                                   prev_src == 'i' || prev_src == 'o' ||
                                   prev_src == 'u';
          const ConfusableTable::Rep::Translit* hit = nullptr;
          for (uint16_t r = rb; r < re && hit == nullptr; ++r) {
            const auto& t = rep.translit[r];
            if (t.after_vowel && !after_vowel) continue;
            if (k + t.from.size() > we) continue;
            bool ok = true;
            for (size_t q = 1; q < t.from.size() && ok; ++q)
              ok = u[k + q].cp() == static_cast<char32_t>(t.from[q]);
            if (ok) hit = &t;
          }
          if (hit == nullptr) {  // no rule: keep the Latin letter
            xw.Letter(static_cast<uint8_t>(c), u[k].b, u[k].e);
            prev_src = c;
            ++k;
            continue;
          }
          const size_t len = hit->from.size();
          for (char32_t t : hit->to)
            xw.Letter(internal::CyrByte(t), u[k].b, u[k + len - 1].e);
          prev_src = u[k + len - 1].cp();
          k += static_cast<uint32_t>(len);
        }
      }
      xprev_end = prev_end;
    }
  }
}

namespace {

// [exotic] letters inside a Latin or numeric word are not Cyrillic: IPA in a
// transcription ("kʌp", "bɛd"), a superscript after a Latin letter, a digit
// or a bracket ("Aᵀ", "(AB)ᵀ", "+15ᵒ"). In a word without a Cyrillic letter
// of its own and with at least as many Latin letters and digits as exotic
// letters, and in a word of modifier letters glued to such a character,
// they become other letters: not read as Cyrillic, not counted as mixed
// script. Returns whether any [exotic] letter is left.
bool DemoteExoticInLatin(std::string_view text, internal::UnitBuf& units,
                         std::vector<internal::Word>& words) {
  using namespace internal;
  Unit* u = units.data();
  bool left = false;
  for (Word& w : words) {
    uint32_t exotic = 0, cyr = 0, latin_digit = 0, modifier = 0;
    for (uint32_t k = w.ub; k < w.ue; ++k) {
      const uint8_t c = u[k].cls();
      if (c == kCyr) {
        if (u[k].fl() & kFlExotic) {
          ++exotic;
          UChar32 cp = 0;
          int32_t at = static_cast<int32_t>(u[k].b);
          U8_NEXT(text.data(), at, static_cast<int32_t>(text.size()), cp);
          modifier += u_charType(cp) == U_MODIFIER_LETTER;
        } else {
          ++cyr;
        }
      }
      latin_digit += c == kLatin || c == kDigit;
    }
    if (exotic == 0) continue;
    bool demote = cyr == 0 && latin_digit > 0 && exotic <= latin_digit;
    if (!demote && cyr == 0 && latin_digit == 0 && modifier == exotic && w.ub > 0) {
      // "(AB)ᵀ": superscripts glued to a Latin letter, a digit or a bracket.
      const Unit& p = u[w.ub - 1];
      const char32_t pc = p.cp();
      demote = p.e == u[w.ub].b && (p.cls() == kLatin || p.cls() == kDigit ||
                                    pc == ')' || pc == ']');
    }
    if (!demote) {
      left = true;
      continue;
    }
    for (uint32_t k = w.ub; k < w.ue; ++k)
      if (u[k].cls() == kCyr && (u[k].fl() & kFlExotic)) u[k].set_cls(kOther);
    w.ncyr -= exotic;
  }
  return left;
}

}  // namespace

// --- fast path --------------------------------------------------------------
//
// FastRun normalizes in one pass the texts made only of what the general
// pipeline handles without links, masks or joins: ASCII letters, digits,
// white space and punctuation, basic Cyrillic letters (2-byte
// U+0400..U+04FF that fold to а..я), and the Latin-1 / General Punctuation
// characters that fold to one separator, one space or dots (NBSP, «», —,
// “”, …). A word of Cyrillic letters only, or of digits only, is written
// straight into the view; any other word (Latin, Cyrillic with Latin letters
// or digits: translit, single-character look-alikes) gets its units built
// from its bytes and goes through EncodeGroup, the general encoder. FastRun returns false, leaving `out` to be cleared, as soon as the
// text may need anything else: another character, a multi-character
// look-alike, a dot before a letter or digit whose chunk may start a domain
// or that may be a dot mask, "www.", ":/", '[', or three single-character
// words with the same gaps (split letters). Output is identical to the
// general path (tests/normalizer_fast_path_test.cc compares both).
// These give-up rules mirror MarkChunkLinks, Tokenize (dot masks,
// composites) and Join: a change to those rules must be mirrored here (the
// test then needs inputs for the new case).

void Normalizer::Impl::InitFastPath() {
  using namespace internal;
  for (char32_t c = 0; c < 128; ++c) {
    uint8_t k = kFastBail;
    switch (ascii[c].cls) {
      case kLatin: k = kFastLatin; break;
      case kDigit: k = kFastDigit; break;
      case kSpace: k = kFastSpace; break;
      case kSep:
        k = c == ':' ? kFastColon : IsLinkTrigger(c) ? kFastBail : kFastSep;
        break;
      case kHyphen: case kUnderscore: k = kFastSep; break;
      case kDot: k = kFastDot; break;
      default: break;
    }
    if (ascii_packed[c] == 0) k = kFastBail;
    if (k != kFastBail && multi_first_ascii[c]) k |= kFastMulti;
    fast_ascii[c] = k;
  }
  for (const auto& l : table.rep().lookalikes)
    if (l.from.size() >= 2 && l.from[0] < 0x80)
      multi_ascii_sources[l.from[0]].push_back(l.from);
  for (size_t k = 0; k < 256; ++k)
    cyr_byte[k] = cyr_packed[k] != 0 ? CyrByte(cyr_packed[k] & 0x1FFFFF) : 0;
  auto make = [&](char32_t c, Folded cached) {
    FastOther f;
    if (cached.cls == kSpace) {
      f.kind = kFastSpace;
      f.cp = cached.cp;
    } else if (cached.cls == kSep && cached.cp >= 0x80 &&
               !multi_first_other.contains(cached.cp)) {
      f.kind = kFastSep;
      f.cp = cached.cp;
    } else if (cached.cls == kDot) {
      f.kind = kFastDot;
      f.dots = 1;
      f.cp = '.';
    } else if (cached.cls == kNoCache) {
      UnitBuf tmp;
      uint32_t flags = 0;
      PushSlow(c, 0, 1, &tmp, &flags);
      bool dots = flags == 0 && !tmp.empty() && tmp.size() <= 3;
      for (size_t q = 0; q < tmp.size() && dots; ++q)
        dots = tmp[q].cls() == kDot && tmp[q].cp() == '.' && tmp[q].fl() == 0;
      if (dots) {
        f.kind = kFastDot;
        f.dots = static_cast<uint8_t>(tmp.size());
        f.cp = '.';
      }
    }
    return f;
  };
  for (char32_t c = 0x80; c < 0x100; ++c)
    fast_latin1[c - 0x80] = make(c, latin1_cache[c - 0x80]);
  for (char32_t c = 0x2000; c < 0x2070; ++c) {
    fast_punct[c - 0x2000] = make(c, punct_cache[c - 0x2000]);
    fast_punct[c - 0x2000].pictographic = punct_pictographic[c - 0x2000];
  }
}

// Units of the characters the fast path accepts, read from byte i on, as
// Decode would produce them (code point and class).
class Normalizer::Impl::FastReader {
 public:
  FastReader(const Impl& im, const uint8_t* p, size_t n, size_t i)
      : im_(&im), p_(p), n_(n), i_(i) {}
  // 1: a unit; 0: end of the text; -1: a character the fast path rejects.
  int Next(char32_t* cp, uint8_t* cls) {
    using namespace internal;
    if (dots_ > 0) {
      --dots_;
      *cp = '.';
      *cls = kDot;
      return 1;
    }
    if (i_ >= n_) return 0;
    const uint8_t c = p_[i_];
    if (c < 0x80) {
      if ((im_->fast_ascii[c] & ~kFastMulti) == kFastBail) return -1;
      *cp = im_->ascii[c].cp;
      *cls = im_->ascii[c].cls;
      ++i_;
      return 1;
    }
    const FastChar f = im_->DecodeFastChar(p_, n_, i_);
    if (f.kind == kFastBail) return -1;
    i_ += f.len;
    *cp = f.cp;
    if (f.kind == kCyrChar) *cls = kCyr;
    else if (f.kind == kFastSpace) *cls = kSpace;
    else if (f.kind == kFastDot) {
      *cls = kDot;
      dots_ = f.dots - 1;
    } else *cls = kSep;
    return 1;
  }

 private:
  const Impl* im_;
  const uint8_t* p_;
  size_t n_, i_;
  int dots_ = 0;
};

// True when a multi-character look-alike may start at p[i] (an ASCII byte).
bool Normalizer::Impl::FastCompositeAt(const uint8_t* p, size_t n,
                                       size_t i) const {
  for (const std::u32string& from : multi_ascii_sources[p[i]]) {
    FastReader r(*this, p, n, i);
    bool match = true;
    for (size_t t = 0; t < from.size() && match; ++t) {
      char32_t cp;
      uint8_t cls;
      const int got = r.Next(&cp, &cls);
      if (got < 0) return true;  // unknown: assume the worst
      match = got == 1 && cp == from[t];
    }
    if (match) return true;
  }
  return false;
}

// True when the chunk starting at byte cs may start with a bare domain
// (MarkChunkLinks step 4: ScanHost from the first non-leading-punctuation
// unit finds 2+ labels and a TLD). Conservative on unknown characters.
bool Normalizer::Impl::FastMaybeHost(const uint8_t* p, size_t n,
                                     size_t cs) const {
  using namespace internal;
  FastReader r(*this, p, n, cs);
  char32_t cp = 0;
  uint8_t cls = 0;
  int got;
  while ((got = r.Next(&cp, &cls)) == 1 && IsLeadingPunct(cp)) {
  }
  if (got < 0) return true;
  if (got == 0) return false;
  auto label_unit = [](char32_t c, uint8_t k) {
    return k == kLatin || k == kDigit || k == kCyr || c == '-';
  };
  int labels = 0;
  char32_t last[9];
  size_t last_len = 0;
  for (;;) {
    // A label: the current unit and the following label units.
    if (!(cls == kLatin || cls == kDigit || cls == kCyr)) break;  // '-' never starts one
    size_t len = 0;
    while (got == 1 && label_unit(cp, cls)) {
      if (len < 9) last[len] = cp;
      ++len;
      got = r.Next(&cp, &cls);
    }
    if (got < 0) return true;
    ++labels;
    last_len = len;
    if (got == 1 && cp == '.') {
      FastReader ahead = r;
      char32_t c2;
      uint8_t k2;
      const int g2 = ahead.Next(&c2, &k2);
      if (g2 < 0) return true;
      if (g2 == 1 && (k2 == kLatin || k2 == kDigit || k2 == kCyr)) {
        r = ahead;
        cp = c2;
        cls = k2;
        got = 1;
        continue;
      }
    }
    break;
  }
  if (labels < 2 || last_len > 8) return false;
  const std::u32string_view tld(last, last_len);
  for (std::u32string_view t : kTlds)
    if (tld == t) return true;
  return false;
}

// Join's gap kind between two words, from the bytes [b, e) between them.
uint32_t Normalizer::Impl::FastGapKind(const uint8_t* p, size_t n, size_t b,
                                       size_t e) const {
  using namespace internal;
  FastReader r(*this, p, e, b);
  char32_t cp;
  uint8_t cls;
  GapKind gap;
  int units = 0;
  while (r.Next(&cp, &cls) == 1) {
    if (++units > 8 || !gap.Add(cls, cp)) return 0;
  }
  return gap.Code();
}

// True when the unit at byte i is a letter or digit (core for the dot rules).
bool Normalizer::Impl::FastNextIsCore(const uint8_t* p, size_t n,
                                      size_t i) const {
  using namespace internal;
  if (i >= n) return false;
  const uint8_t c = p[i];
  if (c < 0x80) {
    const uint8_t k = fast_ascii[c] & ~kFastMulti;
    return k == kFastLatin || k == kFastDigit;
  }
  return DecodeFastChar(p, n, i).kind == kCyrChar;
}

bool Normalizer::Impl::FastRun(std::string_view text, internal::Scratch& sc,
                               NormalizedText* out) const {
  using namespace internal;
  const uint8_t* const p = reinterpret_cast<const uint8_t*>(text.data());
  const size_t n = text.size();
  ViewWriter tw(&out->text, &sc.text_buf), xw(&out->translit, &sc.translit_buf);
  tw.Reserve(n + 64);  // at most one view byte per input byte + 2 boundaries
  EncodeCursor cur;
  uint64_t letter_case = 0;
  uint32_t pictographs = 0;
  bool stretched = false;
  // The previous word (split letters, dot masks).
  bool prev_single = false;
  uint32_t prev_pair_kind = 0;  // gap kind between the two previous singles
  size_t prev_we = SIZE_MAX;
  uint32_t prev_units = 0;
  bool prev_last_letter = false;
  // The chunk (run of non-space characters) and the current run of dots.
  size_t chunk_start = 0;
  bool chunk_checked = false;
  size_t dot_run_start = SIZE_MAX, dot_run_end = SIZE_MAX;
  uint32_t dot_run_units = 0;

  // A word of Cyrillic letters only (kCyrWord) or digits only (kDigitWord)
  // is written as it is read; any other word (kOtherWord) gets its units
  // built from its bytes and goes through EncodeGroup at its end.
  enum : uint8_t { kOtherWord, kCyrWord, kDigitWord };
  // Encodes the kOtherWord word [wb, we) with the general encoder.
  auto encode_other = [&](size_t wb, size_t we, size_t mark, uint32_t ncyr,
                          uint32_t ndig) {
    tw.Truncate(mark);
    sc.units.clear();
    sc.units.reserve(we - wb);
    for (size_t k = wb; k < we;) {
      const uint8_t c = p[k];
      if (c < 0x80) {
        sc.units.PushUnchecked(Unit{ascii_packed[c] & ~kTriggerBit,
                                    static_cast<uint32_t>(k),
                                    static_cast<uint32_t>(k + 1)});
        ++k;
      } else {
        const uint32_t idx = ((c & 3) << 6) | (p[k + 1] & 0x3F);
        sc.units.PushUnchecked(Unit{cyr_packed[idx], static_cast<uint32_t>(k),
                                    static_cast<uint32_t>(k + 2)});
        k += 2;
      }
    }
    const uint32_t units = static_cast<uint32_t>(sc.units.size());
    const Word w{0, units, ncyr, ndig, ncyr == 0 && ndig == 0, false};
    EncodeGroup(sc.units.data(), &w, Group{0, 1}, tw, xw, cur, out);
    tw.Reserve(n - we + 64);
  };
  // Dots (ndots units) at [i, next): false when they may start a link or
  // mask a letter.
  auto on_dots = [&](size_t i, size_t next, uint32_t ndots) {
    if (dot_run_end == i) {
      dot_run_units += ndots;
    } else {
      dot_run_start = i;
      dot_run_units = ndots;
    }
    dot_run_end = next;
    if (i >= 3 && (p[i - 1] | 0x20) == 'w' && (p[i - 2] | 0x20) == 'w' &&
        (p[i - 3] | 0x20) == 'w')
      return false;  // "www."
    if (!FastNextIsCore(p, n, next)) return true;
    // A dot run right after a word of 1-2 units ending with a letter, before
    // a letter or digit: a dot mask (на..уй).
    if (dot_run_units >= 2 && dot_run_start == prev_we && prev_units <= 2 &&
        prev_last_letter)
      return false;
    // A host dot: the chunk may start with a bare domain.
    if (!chunk_checked) {
      chunk_checked = true;
      if (FastMaybeHost(p, n, chunk_start)) return false;
    }
    return true;
  };

  // Reads the character at `at`: its first byte `c`, its fast class `k`
  // (ASCII; kFastBail otherwise), and for a Cyrillic letter `cyr` and its
  // table index `idx`. False when a multi-character look-alike starts there
  // (the general path must read it).
  auto peek = [&](size_t at, uint8_t& c, uint8_t& k, uint32_t& idx, bool& cyr) {
    c = p[at];
    k = kFastBail;
    cyr = false;
    if (c < 0x80) {
      k = fast_ascii[c];
      if (k & kFastMulti) {
        if (FastCompositeAt(p, n, at)) return false;
        k &= ~kFastMulti;
      }
    } else if (at + 1 < n && CyrIndex(p + at, &idx)) {
      cyr = cyr_byte[idx] != 0;
    }
    return true;
  };

  size_t i = 0;
  while (i < n) {
    // Is p[i] a letter or digit (the start of a word)?
    uint8_t c, k;
    uint32_t idx = 0;
    bool cyr;
    if (!peek(i, c, k, idx, cyr)) return false;
    if (cyr || k == kFastLatin || k == kFastDigit) {
      // A word: [wb, i) once the loop below stops.
      const size_t wb = i;
      const size_t mark = tw.size();
      tw.Boundary(cur.prev_end, static_cast<uint32_t>(wb));
      uint8_t mode = cyr ? kCyrWord : k == kFastDigit ? kDigitWord : kOtherWord;
      const uint8_t first_cls = cyr ? kCyr : k == kFastDigit ? kDigit : kLatin;
      const uint8_t first_byte = c;
      uint32_t ncyr = 0, nother = 0, ndig = 0;
      bool word_stretched = false, last_letter = false;
      for (;;) {
        if (cyr) {
          uint32_t count = 0;
          if (mode == kCyrWord) {
            i = tw.CyrUtf8(p, i, n, cyr_byte.data(), cyr_case.data(), &letter_case,
                           &count, &word_stretched);
          } else {
            mode = kOtherWord;
            const size_t i0 = i;
            for (;;) {
              letter_case += cyr_case[idx];
              i += 2;
              if (i + 1 >= n || !CyrIndex(p + i, &idx)) break;
              if (cyr_byte[idx] == 0) break;
            }
            count = static_cast<uint32_t>((i - i0) / 2);
          }
          ncyr += count;
          last_letter = true;
          // A Cyrillic run usually ends the word (at a space or a comma):
          // a separator ends it here, without another pass through this
          // dispatch.
          if (i >= n) break;
          if (!peek(i, c, k, idx, cyr)) return false;
          if (!cyr && k != kFastLatin && k != kFastDigit) break;
          continue;
        } else if (k == kFastLatin) {
          letter_case += ascii_case[c];
          ++nother;
          mode = kOtherWord;
          last_letter = true;
          ++i;
        } else if (k == kFastDigit) {
          ++ndig;
          ++nother;
          if (mode == kDigitWord) {
            tw.Raw(c, static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1));
          } else {
            mode = kOtherWord;
          }
          last_letter = false;
          ++i;
        } else {
          break;
        }
        // The next character: does the word go on?
        if (i >= n) break;
        if (!peek(i, c, k, idx, cyr)) return false;
      }
      const size_t we = i;
      if (mode == kOtherWord) {
        encode_other(wb, we, mark, ncyr, ndig);
      } else {
        cur.prev_end = static_cast<uint32_t>(we);
        stretched |= word_stretched;
      }
      // Split letters: three single-character words with the same gaps.
      const uint32_t units = ncyr + nother;
      const bool single =
          units == 1 && (first_cls != kDigit || !single_ascii[first_byte].empty());
      if (single && prev_single) {
        const uint32_t kind = FastGapKind(p, n, prev_we, wb);
        if (kind != 0 && kind == prev_pair_kind) return false;
        prev_pair_kind = kind;
      } else {
        prev_pair_kind = 0;
      }
      prev_single = single;
      prev_we = we;
      prev_units = units;
      prev_last_letter = last_letter;
      if (i >= n) break;
      // p[i] is not a letter or digit; k and c describe it.
    }
    // One character that is not part of a word.
    if (c < 0x80) {
      switch (k) {
        case kFastSpace:
          chunk_start = i + 1;
          chunk_checked = false;
          ++i;
          continue;
        case kFastSep:
          ++i;
          continue;
        case kFastColon:
          if (i + 1 < n && p[i + 1] == '/') return false;  // scheme://
          ++i;
          continue;
        case kFastDot:
          if (!on_dots(i, i + 1, 1)) return false;
          ++i;
          continue;
        default:
          return false;
      }
    }
    const FastChar f = DecodeFastChar(p, n, i);
    if (f.kind == kFastBail || f.kind == kCyrChar) return false;
    pictographs += f.pictographic;
    if (f.kind == kFastSpace) {
      chunk_start = i + f.len;
      chunk_checked = false;
    } else if (f.kind == kFastDot) {
      if (!on_dots(i, i + f.len, f.dots)) return false;
    }
    i += f.len;
  }
  tw.Reserve(1);
  tw.Boundary(cur.prev_end, static_cast<uint32_t>(n));
  tw.Finish();
  if (cur.any_translit) {
    xw.Reserve(1);
    xw.Boundary(cur.xprev_end, static_cast<uint32_t>(n));
    xw.Finish();
  }
  if (stretched) out->flags |= kInputStretched;
  out->upper_letters += static_cast<uint32_t>(letter_case);
  out->lower_letters += static_cast<uint32_t>(letter_case >> 32);
  out->pictographs += pictographs;
  return true;
}

void Normalizer::Impl::Run(std::string_view text, NormalizedText* out) const {
  out->Clear();
  if (text.size() >= UINT32_MAX) {
    text = text.substr(0, UINT32_MAX - 1);
    out->flags |= kInputTruncated;
  }
  internal::Scratch& sc = internal::ThreadScratch();
  if (!sc.force_general) {
    if (FastRun(text, sc, out)) {
      ++sc.fast_runs;
      if (text.size() > internal::kKeepUnits) {
        sc.units.Release();
        sc.text_buf.Release();
        sc.translit_buf.Release();
      }
      return;
    }
    ++sc.fast_fallbacks;
    out->Clear();
  }
  sc.units.clear();
  sc.triggers.clear();
  sc.words.clear();
  sc.groups.clear();
  Decode(text, &sc.units, &sc.triggers, out);
  if (!sc.triggers.empty()) MarkLinks(sc.units, sc.triggers, &out->links);
  Tokenize(sc.units, &sc.words);
  if ((out->flags & kInputConfusables) &&
      !DemoteExoticInLatin(text, sc.units, sc.words))
    out->flags &= ~uint32_t{kInputConfusables};
  Join(sc.units, sc.words, &sc.groups, &out->flags);
  Encode(text, sc, out);
  if (sc.units.capacity() > internal::kKeepUnits) {
    sc.units.Release();
    sc.text_buf.Release();
    sc.translit_buf.Release();
    sc.triggers = {};
    sc.words = {};
    sc.groups = {};
  }
}

// ---------------------------------------------------------------------------

Normalizer::Normalizer(ConfusableTable table)
    : impl_(std::make_unique<Impl>(std::move(table))) {}
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;
Normalizer::~Normalizer() = default;

void Normalizer::Normalize(std::string_view text, NormalizedText* out) const {
  impl_->Run(text, out);
}

std::string Normalizer::NormalizeForm(std::string_view form) const {
  NormalizedText out;
  impl_->Run(form, &out);
  std::string_view v = out.text.bytes;
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return std::string(v);
}

const ConfusableTable& Normalizer::table() const { return impl_->table; }

void NormalizedText::Clear() {
  text.Clear();
  translit.Clear();
  links.clear();
  flags = 0;
  mixed_script_words = 0;
  first_mixed_word = {};
  upper_letters = lower_letters = pictographs = 0;
}

std::string ViewToUtf8(std::string_view bytes) {
  // Cyrillic letters (0xE0..0xFF) become two bytes, every other byte one;
  // the size is known before writing, so the string is filled in place.
  size_t n = bytes.size();
  for (char ch : bytes) n += static_cast<uint8_t>(ch) >= 0xE0;
  std::string out(n, '\0');
  char* w = out.data();
  for (char ch : bytes) {
    const uint8_t b = static_cast<uint8_t>(ch);
    if (b >= 0xE0) {  // а..я = U+0430..U+044F: D0 B0..D0 BF, D1 80..D1 8F
      const unsigned cp = 0x430 + (b - 0xE0);
      *w++ = static_cast<char>(0xC0 | (cp >> 6));
      *w++ = static_cast<char>(0x80 | (cp & 0x3F));
    } else if (b == ' ' || b == '*' || b == '_' || (b >= '0' && b <= '9') ||
               (b >= 'a' && b <= 'z') || b == '{' || b == '|' || b == '}') {
      *w++ = static_cast<char>(b);
    } else {
      *w++ = '?';
    }
  }
  return out;
}

uint8_t EncodeCompact(char32_t cp) {
  if (cp == ' ' || cp == '*' || cp == '_' || cp == '{' || cp == '|' ||
      cp == '}' || (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))
    return static_cast<uint8_t>(cp);
  if (cp >= 'A' && cp <= 'Z') return static_cast<uint8_t>(cp + 32);
  if (cp >= 0x400 && cp < 0x500) {
    const Folded f = internal::Static().cyr[cp - 0x400];
    if (f.cls == internal::kCyr) return internal::CyrByte(f.cp);
  }
  return 0;
}

namespace internal {

void SetForceGeneralPathForTesting(bool force) {
  ThreadScratch().force_general = force;
}

FastPathCounts FastPathCountsForTesting() {
  const Scratch& sc = ThreadScratch();
  return {sc.fast_runs, sc.fast_fallbacks};
}

bool FoldForTable(std::string_view utf8, std::u32string* out) {
  out->clear();
  const StaticTables& st = Static();
  const uint8_t* p = reinterpret_cast<const uint8_t*>(utf8.data());
  size_t i = 0;
  while (i < utf8.size()) {
    char32_t cp;
    bool bad;
    const size_t len = DecodeUtf8(p + i, utf8.size() - i, &cp, &bad);
    if (bad) return false;
    i += len;
    if (u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
    icu::UnicodeString src(static_cast<UChar32>(cp)), dst;
    UErrorCode ec = U_ZERO_ERROR;
    st.nfkc_cf->normalize(src, dst, ec);
    if (U_FAILURE(ec)) return false;
    for (int32_t k = 0; k < dst.length();) {
      const UChar32 r = dst.char32At(k);
      k += U16_LENGTH(r);
      const Folded f = FoldOne(static_cast<char32_t>(r), st);
      if (f.cls == kIgnore) continue;
      if (f.cls == kCombine) {
        if (!out->empty() && f.cp == 0x306 && out->back() == 0x438)
          out->back() = 0x439;
        continue;
      }
      out->push_back(f.cp);
    }
  }
  return true;
}

}  // namespace internal
}  // namespace rumod
