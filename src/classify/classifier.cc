#include "classify/classifier.h"

#include "classify/links.h"
#include "util/bits.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rumod::internal {
namespace {

constexpr char kBoundary = ' ';
constexpr char kMask = '*';

// Bound on raw hits per comment (16 bytes each). A 1 MiB comment of
// obscene words stays well below it; reaching it stops the scan and marks
// the verdict kInputTruncated.
constexpr size_t kMaxRawHits = 1 << 20;

// Hyperscan match callback: appends a raw hit with offsets `base` + those
// of the scanned buffer (a SOM rescan may scan a window of the view).
struct HitSink {
  std::vector<RawHit>* hits;
  uint32_t base = 0;
  // Engine::Rep::patterns.size(): an id at or above it (the never-matching
  // filler 0xFFFFFFFF, or a database that does not belong to the pattern
  // table, as in a crafted engine file whose checksum was redone) is
  // ignored.
  uint32_t patterns = 0;
};

int OnMatch(unsigned id, unsigned long long from, unsigned long long to,
            unsigned /*flags*/, void* ctx) {
  auto* sink = static_cast<HitSink*>(ctx);
  if (id >= sink->patterns) return 0;
  RawHit h;
  h.rule = id;  // pattern index for now; mapped to the rule below
  h.from = sink->base + static_cast<uint32_t>(from);
  h.to = sink->base + static_cast<uint32_t>(to);
  sink->hits->push_back(h);
  // Bound the work on pathological inputs: far more hits than any real
  // comment has means the rest adds nothing to the verdict.
  return sink->hits->size() >= kMaxRawHits ? 1 : 0;
}

// Offset of the first byte '0'..'9' of `s` at or after `i`, or s.size().
// Sixteen bytes per step with SSE2 (a byte x is a digit exactly when
// x - '0' <= 9 unsigned, i.e. min(x - '0', 9) == x - '0'); elsewhere eight
// per step with the "has a byte less than n" word test, whose lowest
// flagged byte is exact.
size_t NextAsciiDigit(std::string_view s, size_t i) {
#if defined(__SSE2__)
  // Bit j set when byte j of the 16 at `at` is a digit.
  auto digit_bits = [&s](size_t at) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
    x = _mm_sub_epi8(x, _mm_set1_epi8('0'));
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x)));
  };
  for (; i + 16 <= s.size(); i += 16)
    if (const unsigned m = digit_bits(i)) return i + std::countr_zero(m);
  if (i < s.size() && s.size() >= 16) {  // the tail: the last 16 bytes, from i on
    const size_t last = s.size() - 16;
    const unsigned m = digit_bits(last) & (~0u << (i - last));
    return m ? last + std::countr_zero(m) : s.size();
  }
#else
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  static_assert(std::endian::native == std::endian::little);
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    x ^= kOnes * 0x30;
    const uint64_t m = (x - kOnes * 10) & ~x & kHigh;
    if (m) return i + (std::countr_zero(m) >> 3);
  }
#endif
  for (; i < s.size(); ++i)
    if (s[i] >= '0' && s[i] <= '9') return i;
  return s.size();
}

// Scans `digit_db` over the windows of view `v` within rep.digit_window
// bytes of a digit (overlapping or touching windows merged; every match of a
// digit pattern lies inside one of them, see Engine::Rep::digit_window),
// recording the windows in s.digit_windows.
void ScanDigitWindows(const Engine::Rep& rep, const NormalizedView& v, HitSink* sink,
                      Scratch::Rep& s) {
  s.digit_windows.clear();
  const std::string_view bytes = v.bytes;
  const size_t len = bytes.size();
  size_t d = NextAsciiDigit(bytes, 0);
  if (d == len) return;
  const size_t w = rep.digit_window;
  if (w == RegexShape::kUnbounded || w >= len) {
    s.digit_windows.push_back({0, static_cast<uint32_t>(len)});
  } else {
    // One past the run of digits that starts at `k` (a number is read as a
    // run, not digit by digit).
    auto run_end = [&](size_t k) {
      while (++k < len && bytes[k] >= '0' && bytes[k] <= '9') {}
      return k;
    };
    while (d < len) {
      const size_t b = d > w ? d - w : 0;
      size_t after = run_end(d);
      size_t e = after + w;
      size_t next = NextAsciiDigit(bytes, after);
      while (next < len && next <= e + w) {  // its window starts by `e`: merge
        after = run_end(next);
        e = after + w;
        next = NextAsciiDigit(bytes, after);
      }
      s.digit_windows.push_back({static_cast<uint32_t>(b), static_cast<uint32_t>(std::min(e, len))});
      d = next;
    }
  }
  for (const auto& [b, e] : s.digit_windows) {
    sink->base = b;
    hs_scan(rep.digit_db, bytes.data() + b, e - b, 0, s.hs, OnMatch, sink);
  }
  sink->base = 0;
}

// One Hyperscan scan of a view; raw hits get view index `view`.
void ScanView(const Engine::Rep& rep, const NormalizedView& v, uint8_t view,
              Scratch::Rep& s) {
  if (v.bytes.empty()) return;
  const size_t first = s.raw.size();
  const unsigned len = static_cast<unsigned>(v.bytes.size());
  HitSink sink{&s.raw, 0, static_cast<uint32_t>(rep.patterns.size())};
  hs_scan(rep.db, v.bytes.data(), len, 0, s.hs, OnMatch, &sink);
  // Patterns that need a digit (amounts, phone numbers) only near digits.
  if (rep.digit_db) ScanDigitWindows(rep, v, &sink, s);
  // `db` has no start-of-match tracking, so a regex hit (rare) has no start
  // yet. A regex whose matches have a fixed number of spaces and begin and
  // end with one gets its start by counting spaces back from the end. The hits of
  // any other regex are dropped and found again, with their leftmost starts,
  // by that regex's own SOM database, scanned only over the bytes those hits
  // can span: up to the last end, and from the first end minus the regex's
  // longest match when that is bounded. Both databases report one hit per
  // (pattern, end offset), so the hits are the same.
  if (!rep.som_dbs.empty()) {
    s.som_rescans.clear();
    if (s.som_slot.size() != rep.som_dbs.size()) s.som_slot.assign(rep.som_dbs.size(), 0);
    size_t kept = first;
    for (size_t i = first; i < s.raw.size(); ++i) {
      RawHit h = s.raw[i];
      const int32_t k = rep.som_index[h.rule];
      if (k < 0) {
        s.raw[kept++] = h;
        continue;
      }
      const RegexShape& shape = rep.regex_shapes[k];
      if (shape.fixed_spaces > 0) {
        int spaces = shape.fixed_spaces;
        uint32_t b = h.to;
        while (b > 0) {
          --b;
          if (v.bytes[b] == kBoundary && --spaces == 0) break;
        }
        h.from = b;
        s.raw[kept++] = h;
        continue;
      }
      // som_slot[k]: 1 + the index of regex k in som_rescans, 0 if absent
      // (cleared below), so a flood of hits costs O(1) each.
      uint32_t& slot = s.som_slot[k];
      if (slot == 0) {
        s.som_rescans.push_back({h.rule, h.to, h.to});
        slot = static_cast<uint32_t>(s.som_rescans.size());
      } else {
        SomRescan& r = s.som_rescans[slot - 1];
        r.min_to = std::min(r.min_to, h.to);
        r.max_to = std::max(r.max_to, h.to);
      }
    }
    s.raw.resize(kept);
    for (const SomRescan& r : s.som_rescans) {
      const int32_t k = rep.som_index[r.pattern];
      s.som_slot[k] = 0;
      const RegexShape& shape = rep.regex_shapes[k];
      uint32_t from = 0, to = len;
      if (shape.known && !shape.anchored) {
        to = r.max_to;
        if (shape.max_width != RegexShape::kUnbounded && r.min_to > shape.max_width)
          from = r.min_to - shape.max_width;
        // In digit_db (so digit_windows are this view's): inside the digit
        // window of its first hit.
        if (shape.always_digit) {
          for (const auto& [b, e] : s.digit_windows)
            if (b < r.min_to && r.min_to <= e) from = std::max(from, b);
        }
      }
      sink.base = from;
      hs_scan(rep.som_dbs[k], v.bytes.data() + from, to - from, 0, s.hs, OnMatch, &sink);
    }
  }
  // Hyperscan's order of reports at one offset (and of delayed SOM reports)
  // depends on how the database was built; a fixed order (end, pattern)
  // keeps the verdict independent of it. Reports mostly come in that order
  // already: checking is cheaper than sorting.
  auto by_end = [](const RawHit& a, const RawHit& b) {
    return a.to != b.to ? a.to < b.to : a.rule < b.rule;
  };
  if (!std::is_sorted(s.raw.begin() + first, s.raw.end(), by_end))
    std::sort(s.raw.begin() + first, s.raw.end(), by_end);
  for (size_t i = first; i < s.raw.size(); ++i) {
    RawHit& h = s.raw[i];
    const CompiledPattern& p = rep.patterns[h.rule];
    if (p.type == PatternType::kLiteral) {
      // A report ending before its literal could have started comes only
      // from a database that is not this engine's: clamped to the view's
      // start rather than given a wrapped offset.
      const uint32_t size = static_cast<uint32_t>(p.expr.size());
      h.from = h.to >= size ? h.to - size : 0;
    }
    h.rule = p.rule;
    h.view = view;
  }
}

struct MaskItem {
  char c;      // letter byte, or kMask for a run
  uint8_t k;   // run length for masks
};

bool MaskRec(const std::vector<MaskItem>& items, size_t i,
             std::string_view t, size_t j, int real, int absorbed,
             bool used_mask, bool whole, int min_real) {
  if (j == t.size()) {
    if (whole) {  // trailing mask runs absorb nothing
      while (i < items.size() && items[i].c == kMask) {
        used_mask = true;
        ++i;
      }
      if (i != items.size()) return false;
    }
    return used_mask && real >= min_real && absorbed <= real + 1;
  }
  if (i == items.size()) return false;
  const MaskItem& it = items[i];
  if (it.c == kMask) {
    size_t max_abs = std::min<size_t>(it.k + 1, t.size() - j);
    for (size_t m = 0; m <= max_abs; ++m)
      if (MaskRec(items, i + 1, t, j + m, real, absorbed + static_cast<int>(m),
                  true, whole, min_real))
        return true;
    return false;
  }
  if (it.c != t[j]) return false;
  return MaskRec(items, i + 1, t, j + 1, real + 1, absorbed, used_mask, whole,
                 min_real);
}

}  // namespace

float SeverityWeight(int severity) {
  switch (severity) {
    case 1: return 0.35f;
    case 2: return 0.6f;
    default: return 0.85f;
  }
}

void DeriveRuleFacts(Engine::Rep* rep) {
  rep->facts.clear();
  rep->facts.reserve(rep->entries.size());
  for (const Entry& e : rep->entries)
    rep->facts.push_back({e.weight >= 0 ? e.weight : SeverityWeight(e.severity), e.category,
                          e.also, e.trait, e.aim, e.tag_only});
}

void DeriveMaskIndex(Engine::Rep* rep) {
  for (auto& v : rep->mask_by_first) v.clear();
  rep->mask_anchored.clear();
  rep->mask_anywhere.clear();
  for (uint32_t k = 0; k < rep->mask_targets.size(); ++k) {
    const MaskTarget& t = rep->mask_targets[k];
    if (t.bytes.empty()) continue;
    if (t.anchor == MaskAnchor::kAnywhere) {
      rep->mask_anywhere.push_back(k);
    } else {
      rep->mask_anchored.push_back(k);
      rep->mask_by_first[static_cast<uint8_t>(t.bytes[0])].push_back(k);
    }
  }
}

namespace {

// The alignment items of a masked word: letters, and runs of '*' (k <= 8).
void MaskItems(std::string_view word, std::vector<MaskItem>* out) {
  std::vector<MaskItem>& items = *out;
  items.clear();
  for (size_t i = 0; i < word.size();) {
    if (word[i] == kMask) {
      size_t j = i;
      while (j < word.size() && word[j] == kMask) ++j;
      items.push_back({kMask, static_cast<uint8_t>(std::min<size_t>(j - i, 8))});
      i = j;
    } else {
      items.push_back({word[i], 0});
      ++i;
    }
  }
}

// MaskMatches() on the items of the word (MaskItems).
bool MaskItemsMatch(const std::vector<MaskItem>& items, std::string_view target,
                    MaskAnchor anchor, int min_real) {
  const bool whole = anchor == MaskAnchor::kWholeWord;
  if (target.empty()) return false;
  if (anchor != MaskAnchor::kAnywhere)
    return MaskRec(items, 0, target, 0, 0, 0, false, whole, 2);
  for (size_t start = 0; start < items.size(); ++start) {
    // An alignment that starts at the word's first letter needs only two
    // agreeing letters whatever the masks are.
    if (start == 0) {
      if (MaskRec(items, 0, target, 0, 0, 0, false, false, 2)) return true;
      continue;
    }
    // Inside the word, a mask that opens the target stands for at most as
    // many letters as it has symbols (not one more, as elsewhere): "на*уй"
    // and "на**уй" hide х, but "деб*ил" must not read as деб-[ху]-ил.
    if (items[start].c == kMask) {
      const size_t k = std::min<size_t>(items[start].k, target.size());
      for (size_t m = 0; m <= k; ++m)
        if (MaskRec(items, start + 1, target, m, 0, static_cast<int>(m), true, false, min_real))
          return true;
      continue;
    }
    if (MaskRec(items, start, target, 0, 0, 0, false, false, min_real)) return true;
  }
  return false;
}

}  // namespace

bool MaskMatches(std::string_view word, std::string_view target, MaskAnchor anchor,
                 int min_real) {
  if (word.size() > 64 || target.empty()) return false;
  std::vector<MaskItem> items;
  MaskItems(word, &items);
  return MaskItemsMatch(items, target, anchor, min_real);
}

namespace {

// Letters that the normalizer produced from ASCII symbols or digits
// (бл@ть, н@х@й, п1зда) are masks too: writers use @ as often for a hidden
// letter as for "а". Returns true and fills `out` when the word has any.
bool SymbolsAsMasks(std::string_view text, const NormalizedView& v, size_t b,
                    size_t e, std::string* out) {
  bool any = false;
  out->assign(v.bytes, b, e - b);
  for (size_t i = b; i < e; ++i) {
    uint32_t o = v.begin[i];
    if (o >= text.size() || v.end[i] != o + 1) continue;  // one ASCII byte
    unsigned char c = text[o];
    bool symbol = c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (symbol && static_cast<unsigned char>(v.bytes[i]) >= 0xE0) {
      (*out)[i - b] = kMask;
      any = true;
    }
  }
  return any;
}

// True when `target` reads the whole masked `word` (view bytes, kMask for
// '*') with every mask symbol standing for exactly one letter.
bool ReadsWholeWordExactly(std::string_view word, std::string_view target) {
  if (target.size() != word.size()) return false;
  for (size_t k = 0; k < target.size(); ++k)
    if (word[k] != kMask && word[k] != target[k]) return false;
  return true;
}

void FindMaskHits(const Engine::Rep& rep, std::string_view text, Scratch::Rep& s) {
  const NormalizedView& v = s.norm.text;
  const std::string& b = v.bytes;
  if (rep.mask_targets.empty()) return;
  const bool symbols = s.norm.flags & kInputConfusables;
  if (!symbols && b.find(kMask) == std::string::npos) return;
  std::string masked;
  std::vector<MaskItem> items;
  size_t i = 0;
  while (i < b.size()) {
    if (b[i] == kBoundary) {
      ++i;
      continue;
    }
    size_t j = i;
    bool has_mask = false;
    while (j < b.size() && b[j] != kBoundary) has_mask |= b[j++] == kMask;
    std::string_view word;
    if (symbols && SymbolsAsMasks(text, v, i, j, &masked)) {
      word = masked;
    } else if (has_mask) {
      word = std::string_view(b.data() + i, j - i);
    }
    int min_real = 2;
    for (size_t k = i; k < j && has_mask; ++k) {
      uint32_t o = v.begin[k];
      if (b[k] == kMask && o < text.size() &&
          (text[o] == '.' || (static_cast<unsigned char>(text[o]) == 0xE2 &&
                              text.substr(o, 3) == "\xE2\x80\xA6")))
        min_real = 3;  // a dot run or an ellipsis: maybe just punctuation
    }
    if (!word.empty() && word.size() <= 64) {  // MaskMatches: longer never match
      MaskItems(word, &items);  // once per word, not per target
      // Masks that may hide a name-calling or tag word: '*' (not a dot run)
      // and 3+ real letters.
      const bool plain_masks = min_real == 2 &&
                               std::count(word.begin(), word.end(), kMask) + 3 <=
                                   static_cast<std::ptrdiff_t>(word.size());
      uint32_t last_rule = UINT32_MAX;
      auto try_target = [&](uint32_t index) {
        const MaskTarget& t = rep.mask_targets[index];
        if (t.rule == last_rule) return;  // one hit per rule
        const RuleFacts& f = rep.facts[t.rule];
        const bool obscene = f.category == Category::kProfanity || f.also == Category::kProfanity;
        if (obscene) {
          if (!MaskItemsMatch(items, t.bytes, t.anchor, min_real)) return;
          s.raw.push_back({t.rule, static_cast<uint32_t>(i), static_cast<uint32_t>(j), 0});
        } else {
          // Name-calling and tag words (whole words, see BuildPatterns) only
          // read exactly, one letter per mask symbol, from a real first
          // letter ("д*бил", "и**от"; not "д***к", "@Родина" or the ellipsis
          // of "не...человек"). Name-calling read so is an insult only when
          // aimed at a person (RawHit::needs_aim): a masked innocent word
          // may spell one ("Га*ина Петровна", "с*ки").
          if (!plain_masks || word[0] == kMask || !ReadsWholeWordExactly(word, t.bytes)) return;
          s.raw.push_back(
              {t.rule, static_cast<uint32_t>(i), static_cast<uint32_t>(j), 0, !f.tag_only});
        }
        last_rule = t.rule;
      };
      const std::vector<uint32_t>& anchored =
          items[0].c == kMask ? rep.mask_anchored
                              : rep.mask_by_first[static_cast<uint8_t>(items[0].c)];
      for (uint32_t index : anchored) try_target(index);
      for (uint32_t index : rep.mask_anywhere) try_target(index);
    }
    i = j;
  }
}

void IndexBoundaries(const NormalizedView& v, std::vector<uint32_t>* out) {
  const char* p = v.bytes.data();
  const size_t n = v.bytes.size();
  // Positions are written through a raw pointer; `room` keeps space for
  // `extra` more past the `k` written. It grows with the boundaries found,
  // not with the view (a 10 MB word has two).
  size_t k = 0;
  uint32_t* o = out->data();
  auto room = [&](size_t extra) {
    if (k + extra > out->size()) {
      out->resize(std::max(k + extra, 2 * out->size()));
      o = out->data();
    }
  };
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time. A block of prose holds two or three
  // boundaries: the first four positions are written unconditionally (a
  // fixed trip count, no mispredicted loop exit; the surplus is overwritten
  // by the next block) and only a block with more takes the loop.
  const __m128i spaces = _mm_set1_epi8(kBoundary);
  for (; i + 16 <= n; i += 16) {
    room(16);
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, spaces)));
    const unsigned count = BitCount16(m);
    for (int j = 0; j < 4; ++j) {
      o[k + j] = static_cast<uint32_t>(i + std::countr_zero(m | 0x10000u));
      m &= m - 1;
    }
    for (size_t j = k + 4; m != 0; m &= m - 1)
      o[j++] = static_cast<uint32_t>(i + std::countr_zero(m));
    k += count;
  }
#else
  // Eight bytes at a time with the "has a zero byte" word test.
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
  constexpr uint64_t kSpaces = 0x2020202020202020ull;
  for (; i + 8 <= n; i += 8) {
    room(8);
    uint64_t x;
    std::memcpy(&x, p + i, 8);
    const uint64_t t = x ^ kSpaces;  // zero bytes: boundaries
    uint64_t m = ~(((t & kLow7) + kLow7) | t | kLow7);  // 0x80 in each zero byte
    while (m != 0) {
      o[k++] = static_cast<uint32_t>(i + (std::countr_zero(m) >> 3));
      m &= m - 1;
    }
  }
#endif
  room(n - i);
  for (; i < n; ++i)
    if (p[i] == kBoundary) o[k++] = static_cast<uint32_t>(i);
  out->resize(k);
}

// WordIndex beyond its walk: a binary search.
__attribute__((noinline)) uint32_t WordIndexFar(const std::vector<uint32_t>& bounds,
                                                uint32_t pos) {
  auto it = std::upper_bound(bounds.begin(), bounds.end(), pos);
  const size_t k = static_cast<size_t>(it - bounds.begin());
  return k == 0 ? 0 : static_cast<uint32_t>(k - 1);
}

// Index of the word holding view byte `pos`: the last boundary at or before
// it (0 when none). `hint` is the word of a nearby hit: hits come sorted by
// end and span a few words, so a short walk from it finds the word without
// the mispredicted branches of a binary search; a far one falls back to it.
inline uint32_t WordIndex(const std::vector<uint32_t>& bounds, uint32_t pos, uint32_t hint) {
  const size_t n = bounds.size();
  if (n == 0) return 0;
  size_t k = std::min<size_t>(hint, n - 1);
  for (int step = 0; step < 8; ++step) {
    if (bounds[k] > pos) {
      if (k == 0) return 0;
      --k;
    } else if (k + 1 < n && bounds[k + 1] <= pos) {
      ++k;
    } else {
      return static_cast<uint32_t>(k);
    }
  }
  return WordIndexFar(bounds, pos);
}

// Sentence/comma flags of the text view's boundaries, read from the
// original separator characters they replaced: bit 1 a sentence break
// (. ! ? ; newline, and the view's first and last boundary), bit 2 a clause
// break (, ! : and a dash before a space). Computed on first use and cached
// in the scratch: the rules read only the boundaries near a few hits, and
// reading every separator of a long comment cost more than the rules did.
class BoundaryFlags {
 public:
  // `cache` is reused across comments; cleared to "not computed".
  BoundaryFlags(std::string_view text, const NormalizedView& v,
                const std::vector<uint32_t>& bounds, std::vector<uint8_t>* cache)
      : text_(text), v_(v), bounds_(bounds), cache_(*cache) {
    cache_.assign(bounds.size(), kUnknown);
  }
  size_t size() const { return cache_.size(); }
  uint8_t operator[](size_t k) {
    if (cache_[k] == kUnknown) cache_[k] = Compute(k);
    return cache_[k];
  }

 private:
  static constexpr uint8_t kUnknown = 0x80;
  uint8_t Compute(size_t k) const {
    uint8_t f = (k == 0 || k + 1 == bounds_.size()) ? 1 : 0;
    const uint32_t q = bounds_[k];
    const uint32_t b = v_.begin[q], e = std::min<uint32_t>(v_.end[q], text_.size());
    if (e - b == 1 && text_[b] == ' ') return f;  // a plain space
    for (uint32_t i = b; i < e; ++i) {
      char c = text_[i];
      // A dot glued between two letters or digits ("75.000", "т.р", "5.5")
      // is an abbreviation or a number, not the end of a sentence.
      bool glued = c == '.' && e - b == 1 && b > 0 && e < text_.size() &&
                   text_[b - 1] != ' ' && text_[e] != ' ' && text_[e] != '\n';
      if ((c == '.' && !glued) || c == '!' || c == '?' || c == '\n' || c == ';') f |= 1;
      if (c == ',' || c == '!' || c == ':') f |= 2;
      if (c == '-' && i + 1 < e && text_[i + 1] == ' ') f |= 2;
    }
    return f;
  }
  std::string_view text_;
  const NormalizedView& v_;
  const std::vector<uint32_t>& bounds_;
  std::vector<uint8_t>& cache_;
};

// Any sentence break before one of words from..to.
bool AnyBreak(BoundaryFlags& flags, uint32_t from, uint32_t to) {
  for (uint32_t k = from; k <= to && k < flags.size(); ++k)
    if (flags[k] & 1) return true;
  return false;
}

// Any sentence or clause boundary (comma, colon, dash) before one of words
// from..to.
bool AnyBoundary(BoundaryFlags& flags, uint32_t from, uint32_t to) {
  for (uint32_t k = from; k <= to && k < flags.size(); ++k)
    if (flags[k] & 3) return true;
  return false;
}

constexpr uint32_t kCueWindow = 4;  // words between a cue and the hit
constexpr uint32_t kNegationAfter = 3;  // words after a combo a negation still blocks it

// A reply: the comment opens with VK mention markup ([id123|Имя], ...). The
// mention addresses the person like a vocative does.
bool IsReply(std::string_view text, const std::vector<Span>& links) {
  size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  if (i >= text.size() || text[i] != '[') return false;
  for (const Span& l : links)
    if (l.begin == i) return true;
  return false;
}

// The main-view word that holds original byte `orig` (the word of the last
// main-view byte that starts at or before it).
uint32_t MainViewWord(const Scratch::Rep& s, uint32_t orig) {
  const std::vector<uint32_t>& begin = s.norm.text.begin;
  const size_t p = std::upper_bound(begin.begin(), begin.end(), orig) - begin.begin();
  return WordIndexFar(s.bounds[0], static_cast<uint32_t>(p > 0 ? p - 1 : 0));
}

// `cues` are the cue hits of both views sorted by main-view word index.
bool IsAimed(const Hit& h, const std::vector<Hit>& cues, BoundaryFlags& flags,
             bool cue_only, bool reply) {
  if (flags.size() == 0) return false;
  // In a reply, name-calling in the first sentence is aimed at the person
  // the mention names ("[id1|Иван], фейк отупелый").
  if (reply && !cue_only && !AnyBreak(flags, 1, h.w1)) return true;
  // Only cues within the window can count: binary search, then a bounded walk.
  uint32_t from = h.w1 > kCueWindow ? h.w1 - kCueWindow : 0;
  auto it = std::lower_bound(cues.begin(), cues.end(), from,
                             [](const Hit& c, uint32_t w) { return c.w2 < w; });
  for (; it != cues.end() && it->w1 <= h.w2 + kCueWindow; ++it) {
    const Hit& c = *it;
    if (c.w2 < h.w1) {
      if (h.w1 - c.w2 <= kCueWindow && !AnyBreak(flags, c.w2 + 1, h.w1))
        return true;
    } else if (c.w1 > h.w2) {
      if (c.w1 - h.w2 <= kCueWindow && !AnyBreak(flags, h.w2 + 1, c.w1))
        return true;
    }
  }
  if (cue_only) return false;
  // Vocative: the name-calling stands apart at a sentence edge
  // ("Дебил, ..." / "..., дебил." / "Дебил!").
  uint32_t before = h.w1, after = h.w2 + 1;
  if (after >= flags.size()) return false;
  const uint8_t fb = flags[before], fa = flags[after];
  bool starts = fb & 1, ends = fa & 1;
  bool comma_before = fb & 2, comma_after = fa & 2;
  if (starts && (comma_after || ends)) return true;
  if (comma_before && ends) return true;
  return false;
}

// Picks, for the positive terms of `c` from index `k` on, distinct hits
// within the window; `lo`/`hi` track the word range used so far. `cand` is
// sorted by first word, so every term after the first is searched only
// among the hits within the window (linear overall, not quadratic).
bool PickTerms(const Engine::Rep& rep, const Combo& c, size_t k,
               const std::vector<const Hit*>& cand, std::vector<const Hit*>* picked,
               uint32_t lo, uint32_t hi, BoundaryFlags& flags) {
  if (k == c.required.size()) return true;
  uint64_t bit = uint64_t{1} << c.required[k];
  auto first = cand.begin(), last = cand.end();
  if (!picked->empty()) {
    // Slack of 8 words for multi-word hits (phrases) that start earlier.
    uint32_t from = hi > c.window + 8 ? hi - c.window - 8 : 0;
    first = std::lower_bound(cand.begin(), cand.end(), from,
                             [](const Hit* h, uint32_t w) { return h->w1 < w; });
  }
  for (auto it = first; it != last; ++it) {
    const Hit* h = *it;
    if (!picked->empty() && h->w1 > lo + c.window) break;
    if (!(rep.rule_tags[h->rule] & bit)) continue;
    bool clash = false;
    for (const Hit* p : *picked) clash |= !(h->w2 < p->w1 || p->w2 < h->w1);
    if (clash) continue;
    if (c.ordered && !picked->empty() && h->w1 <= picked->back()->w2) continue;
    uint32_t nlo = picked->empty() ? h->w1 : std::min(lo, h->w1);
    uint32_t nhi = picked->empty() ? h->w2 : std::max(hi, h->w2);
    if (nhi - nlo > c.window) continue;
    if (nhi > nlo && AnyBreak(flags, nlo + 1, nhi)) continue;
    picked->push_back(h);
    if (PickTerms(rep, c, k + 1, cand, picked, nlo, nhi, flags)) return true;
    picked->pop_back();
  }
  return false;
}

// The tags that combos with every positive tag in `tags` read (their
// positive and negated terms); 0 when no combo can fire. Reads only the
// combo masks listed under the tags present.
uint64_t ComboReadTags(const Engine::Rep& rep, uint64_t tags) {
  uint64_t reads = 0;
  for (uint64_t m = tags; m; m &= m - 1)
    for (const Engine::Rep::ComboMasks& c : rep.combo_masks_by_low_tag[std::countr_zero(m)])
      if ((c.positive & tags) == c.positive) reads |= c.reads;
  return reads;
}

// Evaluates combo rules over the tagged hits of the text view and appends
// one hit per combo that fires.
void EvaluateCombos(const Engine::Rep& rep, Scratch::Rep& s, BoundaryFlags& flags,
                    Explanation* explain) {
  std::vector<Hit>* hits = &s.hits;
  std::vector<const Hit*>& cand = s.combo_cand;
  cand.clear();
  uint64_t present = 0;  // tag bits of the candidates
  for (const Hit& h : *hits)
    if (!h.suppressed && h.view == 0 && rep.rule_tags[h.rule]) {
      cand.push_back(&h);
      present |= rep.rule_tags[h.rule];
    }
  if (cand.empty()) return;
  // Stable by first word: insertion sort for the usual handful (no
  // temporary buffer), std::stable_sort for hit-dense comments.
  if (cand.size() <= 32) {
    for (size_t i = 1; i < cand.size(); ++i) {
      const Hit* x = cand[i];
      size_t j = i;
      for (; j > 0 && cand[j - 1]->w1 > x->w1; --j) cand[j] = cand[j - 1];
      cand[j] = x;
    }
  } else {
    std::stable_sort(cand.begin(), cand.end(),
                     [](const Hit* a, const Hit* b) { return a->w1 < b->w1; });
  }
  std::vector<Hit>& fired = s.combo_fired;
  std::vector<const Hit*>& picked = s.combo_picked;
  fired.clear();
  for (const Combo& c : rep.combos) {
    // A term whose tag no candidate carries: the combo cannot fire.
    if ((c.positive & present) != c.positive) continue;
    picked.clear();
    if (!PickTerms(rep, c, 0, cand, &picked, 0, 0, flags)) continue;
    uint32_t lo = UINT32_MAX, hi = 0, b = UINT32_MAX, e = 0;
    uint16_t traits = 0;
    const uint64_t positive = c.positive;
    for (const Hit* p : picked) {
      lo = std::min(lo, p->w1);
      hi = std::max(hi, p->w2);
      b = std::min(b, p->b);
      e = std::max(e, p->e);
      const RuleFacts& pe = rep.facts[p->rule];
      if (pe.trait) traits |= 1u << static_cast<int>(*pe.trait);
    }
    // Other groups named alongside ("евреи и цыгане — воры") share the rule's
    // verdict: same tag, same sentence, within the window of the match; one
    // outside the match's words only in the same clause (no comma or dash
    // between: "расстрелять хореографов, что с девочками ..." is about the
    // first group only).
    for (const Hit* h : cand) {
      const RuleFacts& he = rep.facts[h->rule];
      if (!he.trait || !(rep.rule_tags[h->rule] & positive)) continue;
      uint32_t a = std::min(h->w1, lo), z = std::max(h->w2, hi);
      if (z - a > 2 * c.window || (z > a && AnyBreak(flags, a + 1, z))) continue;
      if ((h->w1 > hi && AnyBoundary(flags, hi + 1, h->w1)) ||
          (h->w2 < lo && AnyBoundary(flags, h->w2 + 1, lo)))
        continue;
      traits |= 1u << static_cast<int>(*he.trait);
    }
    if (c.forbidden) {
      // A negation blocks the rule from `window` words before its first term
      // to a few words after its last one, in the same clause ("бить их не
      // нужно"; but not "гнать их надо, нельзя ждать").
      uint32_t from = lo > c.window ? lo - c.window : 0;
      bool blocked = false;
      for (const Hit* h : cand) {
        if (!(rep.rule_tags[h->rule] & c.forbidden)) continue;
        if (h->w2 < from || h->w1 > hi + kNegationAfter) continue;
        if (h->w1 > hi && AnyBoundary(flags, hi + 1, h->w1)) continue;
        uint32_t a = std::min(h->w1, lo), z = std::max(h->w2, hi);
        if (z > a && AnyBreak(flags, a + 1, z)) continue;
        blocked = true;
        break;
      }
      if (blocked) {
        if (explain) explain->suppressed.emplace_back(rep.entries[c.rule].id, "negated");
        continue;
      }
    }
    Hit h;
    h.rule = c.rule;
    h.b = b;
    h.e = e;
    h.w1 = lo;
    h.w2 = hi;
    h.view = 0;
    h.trait_bits = traits;
    fired.push_back(h);
  }
  hits->insert(hits->end(), fired.begin(), fired.end());
}

}  // namespace

void ClassifyText(const Engine::Rep& rep, std::string_view text,
                  Scratch::Rep& s, Verdict* out, const ClassifyOptions& options,
                  Explanation* explain) {
  out->Clear();
  uint32_t extra_flags = 0;
  if (options.max_bytes && text.size() > options.max_bytes) {
    // Cut at a code point boundary: back off over at most three UTF-8
    // continuation bytes so a cut inside "😀" does not read as invalid UTF-8.
    size_t cut = options.max_bytes;
    for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80; ++k)
      --cut;
    text = text.substr(0, cut);
    extra_flags |= kInputTruncated;
  }
  if (text.size() > UINT32_MAX / 2) text = text.substr(0, UINT32_MAX / 2);
  rep.normalizer.Normalize(text, &s.norm);
  out->input_flags = s.norm.flags | extra_flags;
  out->mixed_script_words = s.norm.mixed_script_words;
  s.raw.clear();
  ScanView(rep, s.norm.text, 0, s);
  ScanView(rep, s.norm.translit, 1, s);
  FindMaskHits(rep, text, s);
  if (s.raw.size() >= kMaxRawHits) out->input_flags |= kInputTruncated;
  // Spam signals computed in code (links, @handles, mixed script, emoji and
  // capital floods; docs/spam.md): folded into the spam score below.
  SpamSignals spam;
  spam.domains = &rep.domains;
  ComputeSpamSignals(text, s.norm, options, &spam);
  if (s.raw.empty() && spam.size == 0) return;

  // Tag-only entries (common words: job, money, group nouns) are context
  // for combos and score nothing themselves. Their hits are dropped before
  // any work unless a combo that can have all its positive tags (over the
  // raw hits of the main view: a superset of what combos read) reads one of
  // their tags; `explain` keeps them all to list what suppressed them.
  uint64_t raw_tags = 0;
  bool any_scoring = false;  // a hit of an entry that scores by itself
  for (const RawHit& r : s.raw) {
    if (rep.roles[r.rule] != RuleRole::kEntry) continue;
    if (r.view == 0) raw_tags |= rep.rule_tags[r.rule];
    any_scoring |= !rep.facts[r.rule].tag_only;
  }
  const uint64_t read_tags = explain ? ~uint64_t{0} : ComboReadTags(rep, raw_tags);
  const bool keep_tag_only = read_tags != 0;
  // Only addressee cues / exceptions (ты, он, этот...) or idle context:
  // nothing to score.
  if (spam.size == 0 && !any_scoring && !keep_tag_only) return;

  const NormalizedView* views[2] = {&s.norm.text, &s.norm.translit};
  IndexBoundaries(s.norm.text, &s.bounds[0]);
  IndexBoundaries(s.norm.translit, &s.bounds[1]);
  s.hits.clear();
  std::vector<Hit>& cues = s.cues;
  std::vector<Hit>& exceptions = s.exceptions;
  cues.clear();
  exceptions.clear();
  uint32_t last_word = 0;  // w2 of the previous main-view hit
  for (const RawHit& r : s.raw) {
    if (rep.roles[r.rule] == RuleRole::kEntry && rep.facts[r.rule].tag_only &&
        !(rep.rule_tags[r.rule] & read_tags))
      continue;
    const std::string& vb = views[r.view]->bytes;
    uint32_t b = r.from, e = std::min<uint32_t>(r.to, vb.size());
    while (b < e && vb[b] == kBoundary) ++b;
    while (e > b && vb[e - 1] == kBoundary) --e;
    if (b >= e) continue;
    Hit h;
    h.rule = r.rule;
    h.b = b;
    h.e = e;
    h.view = r.view;
    h.needs_aim = r.needs_aim;
    if (r.view == 0) {
      h.w2 = WordIndex(s.bounds[0], e - 1, last_word);
      h.w1 = WordIndex(s.bounds[0], b, h.w2);
      last_word = h.w2;
    } else {
      // A translit-view hit gets the word indices of its word in the main
      // view (the same original bytes), so cues and sentence breaks apply
      // to it as to any hit ("ты kozel", "ты pсих").
      h.w2 = MainViewWord(s, s.norm.translit.end[e - 1] - 1);
      h.w1 = MainViewWord(s, s.norm.translit.begin[b]);
    }
    switch (rep.roles[r.rule]) {
      case RuleRole::kCue: cues.push_back(h); break;
      case RuleRole::kException: exceptions.push_back(h); break;
      case RuleRole::kEntry: s.hits.push_back(h); break;
      case RuleRole::kCombo: break;  // never produced by a pattern
    }
  }
  if (s.hits.empty() && spam.size == 0) return;
  // Sorted by (view, start) so each hit looks only at nearby exceptions;
  // exceptions sit inside one word, so none longer than kMaxWord matters.
  constexpr uint32_t kMaxWord = 256;
  auto by_pos = [](const Hit& a, const Hit& b) {
    return a.view != b.view ? a.view < b.view : a.b < b.b;
  };
  std::sort(exceptions.begin(), exceptions.end(), by_pos);
  // Cues of both views, by main-view word ("da ty kozel": ty is a cue of
  // the translit view).
  std::sort(cues.begin(), cues.end(), [](const Hit& a, const Hit& b) { return a.w1 < b.w1; });
  for (Hit& h : s.hits) {
    Category cat = rep.facts[h.rule].category;
    Hit key;
    key.view = h.view;
    key.b = h.b > kMaxWord ? h.b - kMaxWord : 0;
    for (auto it = std::lower_bound(exceptions.begin(), exceptions.end(), key, by_pos);
         it != exceptions.end() && it->view == h.view && it->b < h.e; ++it) {
      const Hit& x = *it;
      if (rep.facts[x.rule].category != cat) continue;
      if (x.b < h.e && h.b < x.e) {
        h.suppressed = true;
        h.suppressed_by = x.rule;
        break;
      }
    }
    if (h.suppressed && explain)
      explain->suppressed.emplace_back(rep.entries[h.rule].id,
                                       rep.entries[h.suppressed_by].id);
  }

  bool need_aim = false;
  uint64_t present = 0;  // tag bits of the hits combos read (EvaluateCombos)
  for (const Hit& h : s.hits) {
    const RuleFacts& e = rep.facts[h.rule];
    if (h.suppressed) continue;
    if (h.view == 0) present |= rep.rule_tags[h.rule];
    if (!e.tag_only && (e.category == Category::kInsult || e.also == Category::kInsult))
      need_aim = true;
  }
  // Tags are common words (job, money, group nouns): most comments with a
  // tagged hit have no combo whose every term is present, and skip the
  // combo pass.
  const bool combos = ComboReadTags(rep, present) != 0;
  BoundaryFlags flags(text, s.norm.text, s.bounds[0], &s.bound_flags);
  if (combos) {
    size_t before = s.hits.size();
    EvaluateCombos(rep, s, flags, explain);
    for (size_t i = before; i < s.hits.size() && !need_aim; ++i) {
      const RuleFacts& e = rep.facts[s.hits[i].rule];
      need_aim = e.category == Category::kInsult || e.also == Category::kInsult;
    }
  }

  const bool reply = need_aim && IsReply(text, s.norm.links);
  std::array<float, kNumCategories> keep{};  // product of (1 - w)
  keep.fill(1.f);
  // Spam hits on the same words are one piece of evidence: when the only
  // spam evidence of a comment is one short phrase read by several rules
  // ("пишите в лс": write_dm, write_bare, in_dm), they do not add up into a
  // label by themselves; the phrase weighs as its strongest rule.
  const Hit* spam_only = nullptr;  // the strongest hit of that phrase
  if (spam.size == 0) {
    auto is_spam = [&](const Hit& h) {
      const RuleFacts& e = rep.facts[h.rule];
      return !h.suppressed && !e.tag_only && e.category == Category::kSpam;
    };
    auto weight = [&](const Hit& h) {
      return rep.facts[h.rule].weight;
    };
    int n = 0;
    for (const Hit& h : s.hits) {
      if (!is_spam(h)) continue;
      ++n;
      if (!spam_only || weight(h) > weight(*spam_only) ||
          (weight(h) == weight(*spam_only) && h.w2 - h.w1 > spam_only->w2 - spam_only->w1))
        spam_only = &h;
    }
    // The phrase: at most 4 words; every other hit reads a part of it that
    // starts or ends with it ("пишите" and "в лс" in "пишите в лс"), not a
    // word in its middle (a pay word between a job and a sum is evidence
    // of its own).
    bool phrase = n >= 2 && spam_only->view == 0 && spam_only->w2 - spam_only->w1 < 4;
    for (const Hit& h : s.hits) {
      if (!phrase) break;
      if (!is_spam(h) || &h == spam_only) continue;
      phrase = h.view == 0 && h.w1 >= spam_only->w1 && h.w2 <= spam_only->w2 &&
               (h.w1 == spam_only->w1 || h.w2 == spam_only->w2);
    }
    if (!phrase) spam_only = nullptr;
  }
  for (size_t hi = 0; hi < s.hits.size(); ++hi) {
    const Hit& h = s.hits[hi];
    if (h.suppressed) continue;
    const RuleFacts& e = rep.facts[h.rule];
    if (e.tag_only) continue;  // context only: scores nothing by itself
    if (spam_only && e.category == Category::kSpam && &h != spam_only) {
      if (explain)
        explain->suppressed.emplace_back(rep.entries[h.rule].id, rep.entries[spam_only->rule].id);
      continue;
    }
    bool aimed = need_aim && IsAimed(h, cues, flags, e.aim == Aim::kAddressee, reply);
    Category cats[2] = {e.category, e.also.value_or(e.category)};
    int ncat = e.also ? 2 : 1;
    if (s.scored.size() < rep.roles.size() * 2) s.scored.assign(rep.roles.size() * 2, 0.f);
    for (int k = 0; k < ncat; ++k) {
      Category c = cats[k];
      float w = e.weight;
      if (c == Category::kInsult) {
        if ((e.aim != Aim::kBoost || h.needs_aim) && !aimed) {
          if (explain)
            explain->suppressed.emplace_back(rep.entries[h.rule].id, "not aimed at a person");
          continue;
        }
        if (aimed) w = std::min(1.f, w + kAimBonus);
      }
      uint16_t traits = e.trait ? uint16_t(1u << static_cast<int>(*e.trait)) : h.trait_bits;
      constexpr uint16_t kOtherBit = 1u << static_cast<int>(Trait::kOther);
      if (c == Category::kDiscrimination && traits == kOtherBit) w = 0;
      // A rule scores once per comment (its best hit): ten mentions of
      // "доход" in a news digest are one signal, not ten.
      uint32_t slot = h.rule * 2 + static_cast<uint32_t>(k);
      float& best = s.scored[slot];
      if (best == 0) s.scored_touched.push_back(slot);
      if (w > best) {
        keep[static_cast<int>(c)] *= (1.f - w) / (1.f - std::min(best, 0.999f));
        best = w;
      }
      Match m;
      m.rule_id = rep.entries[h.rule].id;
      m.category = c;
      Span sp = views[h.view]->Original(h.b, h.e);
      m.begin = sp.begin;
      m.end = sp.end;
      m.form = ViewToUtf8(std::string_view(views[h.view]->bytes).substr(h.b, h.e - h.b));
      m.view = h.view == 0 ? "text" : "translit";
      m.weight = w;
      m.aimed = aimed && c == Category::kInsult;
      // One match per trait (a rule about two groups names both).
      bool first = true;
      for (int t = 0; t < kNumTraits; ++t) {
        if (!(traits & (1u << t))) continue;
        if (!first) out->matches.push_back(m);
        m.trait = static_cast<Trait>(t);
        first = false;
      }
      out->matches.push_back(std::move(m));
    }
  }
  for (uint32_t slot : s.scored_touched) s.scored[slot] = 0;
  s.scored_touched.clear();
  for (int i = 0; i < spam.size; ++i) {
    const SpamSignal& g = spam.items[i];
    keep[static_cast<int>(Category::kSpam)] *= (1.f - g.weight);
    Match m;
    m.rule_id = g.id;
    m.category = Category::kSpam;
    m.begin = g.begin;
    m.end = g.end;
    m.form.assign(text.substr(g.begin, g.end - g.begin));
    m.view = "text";
    m.weight = g.weight;
    out->matches.push_back(std::move(m));
  }
  std::sort(out->matches.begin(), out->matches.end(),
            [](const Match& a, const Match& b) {
              if (a.begin != b.begin) return a.begin < b.begin;
              if (a.end != b.end) return a.end < b.end;
              if (a.rule_id != b.rule_id) return a.rule_id < b.rule_id;
              if (a.category != b.category) return a.category < b.category;
              return a.trait < b.trait;
            });
  // Duplicates of one hit go; a combo's one match per trait stays.
  out->matches.erase(
      std::unique(out->matches.begin(), out->matches.end(),
                  [](const Match& a, const Match& b) {
                    return a.begin == b.begin && a.end == b.end &&
                           a.rule_id == b.rule_id && a.category == b.category &&
                           a.trait == b.trait;
                  }),
      out->matches.end());
  // One word, one match per rule: overlapping matches of one rule (a regex
  // whose alternatives end at different places) keep the first. They sit
  // next to each other in this order; the look-back is bounded (linear).
  {
    size_t kept = 0;
    for (size_t i = 0; i < out->matches.size(); ++i) {
      const Match& m = out->matches[i];
      bool dup = false;
      for (size_t j = kept, n = 0; j-- > 0 && n < 8 && !dup; ++n) {
        const Match& k = out->matches[j];
        dup = k.rule_id == m.rule_id && k.category == m.category && k.trait == m.trait &&
              k.end > m.begin;
      }
      if (dup) continue;
      if (kept != i) out->matches[kept] = std::move(out->matches[i]);
      ++kept;
    }
    out->matches.resize(kept);
  }
  for (int c = 0; c < kNumCategories; ++c) {
    out->scores[c] = 1.f - keep[c];
    if (out->scores[c] >= kDecisionThreshold)
      out->labels.push_back(static_cast<Category>(c));
  }
  // A compound slur carries the trait of what it denotes, not its root's:
  // in "пидорашка" (a national slur built on пидор-) the root's match inside
  // the longer one-word slur match names no trait of its own.
  // One sweep in (begin, end) order: a container that starts earlier is one
  // of the one-word traited matches seen so far, and only the two longest
  // reaching ones with different traits matter; a container with the same
  // start comes later in the same group (larger end). Linear in the matches
  // (a 1 MB comment of slurs has ~10^5 of them).
  struct Reach {
    uint32_t end = 0;
    Trait trait{};
    bool set = false;
  } best, other;  // farthest end; farthest end with a trait other than best's
  auto contains_other_trait = [&](const Match& m) {
    if (best.set && best.trait != *m.trait && best.end >= m.end) return true;
    return other.set && other.trait != *m.trait && other.end >= m.end;
  };
  auto one_word_traited = [](const Match& o) {
    return o.trait && o.form.find(' ') == std::string::npos;
  };
  for (size_t g = 0; g < out->matches.size();) {
    size_t g_end = g;
    while (g_end < out->matches.size() && out->matches[g_end].begin == out->matches[g].begin)
      ++g_end;
    for (size_t i = g; i < g_end; ++i) {
      Match& m = out->matches[i];
      if (!m.trait) continue;
      bool inside = contains_other_trait(m);
      for (size_t j = i + 1; j < g_end && !inside; ++j) {
        const Match& o = out->matches[j];
        inside = one_word_traited(o) && o.trait != m.trait && o.end > m.end;
      }
      if (inside) m.trait.reset();
    }
    for (size_t i = g; i < g_end; ++i) {
      const Match& o = out->matches[i];
      if (!one_word_traited(o)) continue;
      if (!best.set || o.end > best.end) {
        if (best.set && best.trait != *o.trait) other = best;
        best = {o.end, *o.trait, true};
      } else if (*o.trait != best.trait && (!other.set || o.end > other.end)) {
        other = {o.end, *o.trait, true};
      }
    }
    g = g_end;
  }
  uint32_t trait_bits = 0;
  for (const Match& m : out->matches) {
    if (!m.trait) continue;
    bool decided = out->Has(m.category) &&
                   (m.category == Category::kDiscrimination ||
                    m.category == Category::kHate || m.category == Category::kInsult);
    if (decided || *m.trait == Trait::kOther)
      trait_bits |= 1u << static_cast<int>(*m.trait);
  }
  for (int t = 0; t < kNumTraits; ++t)
    if (trait_bits & (1u << t)) out->traits.push_back(static_cast<Trait>(t));
}

}  // namespace rumod::internal
