#include "dictionary/regex_info.h"

#include <algorithm>
#include <bitset>
#include <cctype>
#include <cstddef>
#include <string>

namespace rumod::internal {
namespace {

constexpr uint32_t kInf = RegexShape::kUnbounded;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

uint32_t Add(uint32_t a, uint32_t b) { return a == kInf || b == kInf || a > kInf - b ? kInf : a + b; }
uint32_t Mul(uint32_t a, uint32_t n) {  // n == kInf: unbounded repeats
  if (a == 0) return 0;
  if (n == kInf || a == kInf) return kInf;
  return static_cast<uint64_t>(a) * n >= kInf ? kInf : a * n;
}

// Facts about a piece of a regex (an atom, a sequence or an alternation).
struct Facts {
  bool digit = false;        // every match contains a digit
  uint32_t min_w = 0, max_w = 0;
  uint32_t min_sp = 0, max_sp = 0;  // ' ' bytes in a match (kInf: unbounded)
  bool space_first = true;   // every non-empty match begins with ' '
  bool space_last = true;    // every non-empty match ends with ' '
  // Runs of non-digit bytes (upper bounds): `nd_ok` when some match has no
  // digit at all, `nd_w` the longest such match; the longest run at the
  // start (`nd_pre`), at the end (`nd_suf`) and anywhere (`nd_in`).
  bool nd_ok = true;
  uint32_t nd_w = 0, nd_pre = 0, nd_suf = 0, nd_in = 0;
};

// Non-digit runs of a sequence `a` then `b`.
void ConcatRuns(const Facts& a, const Facts& b, Facts* out) {
  const uint32_t in = std::max({a.nd_in, b.nd_in, Add(a.nd_suf, b.nd_pre)});
  const uint32_t pre = a.nd_ok ? std::max(a.nd_pre, Add(a.nd_w, b.nd_pre)) : a.nd_pre;
  const uint32_t suf = b.nd_ok ? std::max(b.nd_suf, Add(b.nd_w, a.nd_suf)) : b.nd_suf;
  out->nd_ok = a.nd_ok && b.nd_ok;
  out->nd_w = Add(a.nd_w, b.nd_w);
  out->nd_pre = pre;
  out->nd_suf = suf;
  out->nd_in = std::max({in, pre, suf});
}

Facts Byte(std::bitset<256> set) {
  Facts f;
  f.min_w = f.max_w = 1;
  bool only_digits = set.any();
  for (int c = 0; c < 256; ++c)
    if (set[c] && !IsDigit(static_cast<char>(c))) only_digits = false;
  f.digit = only_digits;
  const bool space = set[' '];
  f.min_sp = space && set.count() == 1 ? 1 : 0;
  f.max_sp = space ? 1 : 0;
  f.space_first = f.space_last = space && set.count() == 1;
  f.nd_ok = !only_digits;
  f.nd_w = f.nd_pre = f.nd_suf = f.nd_in = only_digits ? 0 : 1;
  return f;
}

std::bitset<256> Range(int lo, int hi) {
  std::bitset<256> s;
  for (int c = lo; c <= hi; ++c) s.set(c);
  return s;
}

std::bitset<256> One(unsigned char c) {
  std::bitset<256> s;
  s.set(c);
  return s;
}

// Recursive-descent reader: alt := seq ('|' seq)* ; seq := (atom quant?)* .
// `ok_` turns false on syntax it does not know.
class Reader {
 public:
  explicit Reader(std::string_view re) : re_(re) {}

  RegexShape Run() {
    Facts f = Alt();
    RegexShape shape;
    if (!ok_ || i_ != re_.size()) return shape;
    shape.known = true;
    shape.always_digit = f.digit;
    shape.max_width = f.max_w;
    shape.anchored = anchored_;
    shape.max_nondigit_run = f.nd_in;
    if (f.min_sp == f.max_sp && f.min_sp > 0 && f.space_first && f.space_last && f.min_w > 0)
      shape.fixed_spaces = static_cast<int>(f.min_sp);
    return shape;
  }

 private:
  Facts Alt() {
    Facts all = Seq();
    while (ok_ && i_ < re_.size() && re_[i_] == '|') {
      ++i_;
      Facts f = Seq();
      all.digit = all.digit && f.digit;
      all.min_w = std::min(all.min_w, f.min_w);
      all.max_w = std::max(all.max_w, f.max_w);
      all.min_sp = std::min(all.min_sp, f.min_sp);
      all.max_sp = std::max(all.max_sp, f.max_sp);
      all.space_first = all.space_first && f.space_first;
      all.space_last = all.space_last && f.space_last;
      if (f.nd_ok) all.nd_w = all.nd_ok ? std::max(all.nd_w, f.nd_w) : f.nd_w;
      all.nd_ok = all.nd_ok || f.nd_ok;
      all.nd_pre = std::max(all.nd_pre, f.nd_pre);
      all.nd_suf = std::max(all.nd_suf, f.nd_suf);
      all.nd_in = std::max(all.nd_in, f.nd_in);
    }
    return all;
  }

  Facts Seq() {
    Facts seq;
    bool first_decided = false;  // a piece that is never empty came first
    while (ok_ && i_ < re_.size() && re_[i_] != '|' && re_[i_] != ')') {
      Facts f = Atom();
      if (!ok_) return seq;
      Quantify(&f);
      if (!ok_) return seq;
      seq.digit = seq.digit || f.digit;
      // The match ends inside this piece unless it is empty; then earlier.
      if (f.min_w > 0) seq.space_last = f.space_last;
      else if (f.max_w > 0) seq.space_last = seq.space_last && f.space_last;
      if (!first_decided) {
        // The match begins inside this piece unless the piece is empty.
        if (f.max_w > 0) seq.space_first = seq.space_first && f.space_first;
        if (f.min_w > 0) first_decided = true;
      }
      seq.min_w = Add(seq.min_w, f.min_w);
      seq.max_w = Add(seq.max_w, f.max_w);
      seq.min_sp = Add(seq.min_sp, f.min_sp);
      seq.max_sp = Add(seq.max_sp, f.max_sp);
      ConcatRuns(seq, f, &seq);
    }
    return seq;
  }

  // Applies an optional quantifier to `f`.
  void Quantify(Facts* f) {
    if (i_ >= re_.size()) return;
    uint32_t lo = 1, hi = 1;
    char c = re_[i_];
    if (c == '?') {
      lo = 0;
      ++i_;
    } else if (c == '*') {
      lo = 0;
      hi = kInf;
      ++i_;
    } else if (c == '+') {
      hi = kInf;
      ++i_;
    } else if (c == '{') {
      size_t close = re_.find('}', i_);
      if (close == std::string_view::npos) {
        ok_ = false;
        return;
      }
      std::string_view body = re_.substr(i_ + 1, close - i_ - 1);
      size_t k = 0;
      auto number = [&](uint32_t* v) {
        if (k >= body.size() || !IsDigit(body[k])) return false;
        *v = 0;
        while (k < body.size() && IsDigit(body[k]))
          *v = std::min<uint32_t>(*v * 10 + (body[k++] - '0'), 100000);
        return true;
      };
      if (!number(&lo)) {
        ok_ = false;
        return;
      }
      hi = lo;
      if (k < body.size() && body[k] == ',') {
        ++k;
        hi = kInf;
        if (k < body.size() && !number(&hi)) {
          ok_ = false;
          return;
        }
      }
      if (k != body.size() || hi < lo) {
        ok_ = false;
        return;
      }
      i_ = close + 1;
    } else {
      return;
    }
    if (i_ < re_.size() && re_[i_] == '?') ++i_;  // lazy
    f->digit = f->digit && lo > 0;
    // Runs of `hi` copies (upper bounds): copies without a digit chain up.
    if (hi == 0) {
      f->nd_ok = true;
      f->nd_w = f->nd_pre = f->nd_suf = f->nd_in = 0;
    } else if (f->nd_ok) {
      const uint32_t more = hi == kInf ? kInf : hi - 1;
      const uint32_t chain = Mul(f->nd_w, more);  // 0 when no-digit copies are empty
      const uint32_t middle = Mul(f->nd_w, hi == kInf ? kInf : (hi >= 2 ? hi - 2 : 0));
      // A run across copies: the end of one copy, whole copies without a
      // digit, the start of another.
      const uint32_t across = hi >= 2 ? Add(Add(f->nd_suf, f->nd_pre), middle) : 0u;
      f->nd_pre = Add(f->nd_pre, chain);
      f->nd_suf = Add(f->nd_suf, chain);
      f->nd_in = std::max({f->nd_in, f->nd_pre, f->nd_suf, across});
      f->nd_w = Mul(f->nd_w, hi);
    } else {
      if (hi >= 2) f->nd_in = std::max(f->nd_in, Add(f->nd_suf, f->nd_pre));
      if (lo == 0) {
        f->nd_ok = true;
        f->nd_w = 0;
      }
    }
    f->min_w = Mul(f->min_w, lo);
    f->max_w = Mul(f->max_w, hi);
    f->min_sp = Mul(f->min_sp, lo);
    f->max_sp = Mul(f->max_sp, hi);
  }

  // \xHH at i_ (after the backslash has been seen at i_ - 1 ... i_ is on 'x').
  bool Hex(unsigned char* out) {
    if (i_ + 3 > re_.size() || !std::isxdigit(static_cast<unsigned char>(re_[i_ + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(re_[i_ + 2])))
      return false;
    *out = static_cast<unsigned char>(std::stoi(std::string(re_.substr(i_ + 1, 2)), nullptr, 16));
    i_ += 3;
    return true;
  }

  // The byte set of an escape after '\' (i_ on the escaped char); false on
  // escapes this reader does not know (\b, back references ...).
  bool Escape(std::bitset<256>* set) {
    if (i_ >= re_.size()) return false;
    char d = re_[i_];
    if (d == 'x') {
      unsigned char b;
      if (!Hex(&b)) return false;
      *set = One(b);
      return true;
    }
    ++i_;
    if (d == 'd') {
      *set = Range('0', '9');
    } else if (d == 's') {
      *set = One(' ') | One('\t') | One('\n') | One('\v') | One('\f') | One('\r');
    } else if (d == 'w') {
      *set = Range('0', '9') | Range('a', 'z') | Range('A', 'Z') | One('_');
    } else if (std::isalnum(static_cast<unsigned char>(d))) {
      return false;
    } else {
      *set = One(static_cast<unsigned char>(d));
    }
    return true;
  }

  Facts Atom() {
    char c = re_[i_];
    if (c == '(') {
      ++i_;
      if (re_.substr(i_, 2) == "?:") i_ += 2;
      else if (i_ < re_.size() && re_[i_] == '?') {
        ok_ = false;  // lookaround and other group kinds: unknown
        return {};
      }
      Facts f = Alt();
      if (i_ >= re_.size() || re_[i_] != ')') {
        ok_ = false;
        return {};
      }
      ++i_;
      return f;
    }
    if (c == '[') return Class();
    if (c == '\\') {
      ++i_;
      std::bitset<256> set;
      if (!Escape(&set)) {
        ok_ = false;
        return {};
      }
      return Byte(set);
    }
    if (c == '^' || c == '$') {
      ++i_;
      anchored_ = true;
      return {};  // zero width
    }
    if (c == '.') {
      ++i_;
      return Byte(std::bitset<256>().set());  // HS_FLAG_DOTALL
    }
    if (c == '?' || c == '*' || c == '+' || c == '{' || c == ')') {
      ok_ = false;  // a quantifier with nothing to repeat
      return {};
    }
    ++i_;
    return Byte(One(static_cast<unsigned char>(c)));
  }

  // [...], [^...]: members are bytes, ranges lo-hi, and escapes.
  Facts Class() {
    ++i_;  // '['
    bool negated = i_ < re_.size() && re_[i_] == '^';
    if (negated) ++i_;
    std::bitset<256> set;
    bool first = true;
    auto member = [&](std::bitset<256>* m, int* single) -> bool {
      *single = -1;
      if (re_[i_] == '\\') {
        ++i_;
        if (!Escape(m)) return false;
        if (m->count() == 1)
          for (int b = 0; b < 256; ++b)
            if ((*m)[b]) *single = b;
        return true;
      }
      *single = static_cast<unsigned char>(re_[i_++]);
      *m = One(static_cast<unsigned char>(*single));
      return true;
    };
    while (i_ < re_.size() && (re_[i_] != ']' || first)) {
      first = false;
      std::bitset<256> m;
      int lo;
      if (!member(&m, &lo)) {
        ok_ = false;
        return {};
      }
      if (lo >= 0 && i_ + 1 < re_.size() && re_[i_] == '-' && re_[i_ + 1] != ']') {
        ++i_;
        std::bitset<256> m2;
        int hi;
        if (!member(&m2, &hi) || hi < lo) {
          ok_ = false;
          return {};
        }
        m = Range(lo, hi);
      }
      set |= m;
    }
    if (i_ >= re_.size()) {
      ok_ = false;
      return {};
    }
    ++i_;  // ']'
    if (negated) set.flip();
    if (set.none()) {
      ok_ = false;
      return {};
    }
    return Byte(set);
  }

  std::string_view re_;
  size_t i_ = 0;
  bool ok_ = true;
  bool anchored_ = false;
};

}  // namespace

RegexShape AnalyzeRegex(std::string_view re) {
  if (re.empty()) return {};
  return Reader(re).Run();
}

bool RegexAlwaysHasDigit(std::string_view re) { return AnalyzeRegex(re).always_digit; }

uint32_t LongestNondigitRun(std::string_view bytes) {
  uint32_t best = 0, run = 0;
  for (char c : bytes) {
    run = IsDigit(c) ? 0 : run + 1;
    best = std::max(best, run);
  }
  return best;
}

}  // namespace rumod::internal
