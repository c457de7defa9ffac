#include "dictionary/regex_info.h"

#include <cctype>
#include <cstddef>
#include <string>

namespace rumod::internal {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Recursive-descent reader: alt := seq ('|' seq)* ; seq := (atom quant?)* .
// Each function returns whether what it read always contains a digit; `ok_`
// turns false on syntax it does not know (the caller then answers false).
class Reader {
 public:
  explicit Reader(std::string_view re) : re_(re) {}

  bool Run() {
    bool digit = Alt();
    return ok_ && i_ == re_.size() && digit;
  }

 private:
  bool Alt() {
    bool all = Seq();
    while (ok_ && i_ < re_.size() && re_[i_] == '|') {
      ++i_;
      all = Seq() && all;
    }
    return all;
  }

  bool Seq() {
    bool any = false;
    while (ok_ && i_ < re_.size() && re_[i_] != '|' && re_[i_] != ')') {
      bool digit = Atom();
      if (!ok_) return false;
      any = (Quantifier() && digit) || any;
    }
    return any;
  }

  // Reads an optional quantifier; true when the atom must occur at least once.
  bool Quantifier() {
    if (i_ >= re_.size()) return true;
    bool required = true;
    char c = re_[i_];
    if (c == '?' || c == '*') {
      required = false;
      ++i_;
    } else if (c == '+') {
      ++i_;
    } else if (c == '{') {
      size_t close = re_.find('}', i_);
      if (close == std::string_view::npos) {
        ok_ = false;
        return false;
      }
      std::string_view body = re_.substr(i_ + 1, close - i_ - 1);
      if (body.empty() || !IsDigit(body[0])) {
        ok_ = false;
        return false;
      }
      size_t min = 0, k = 0;
      while (k < body.size() && IsDigit(body[k])) min = min * 10 + (body[k++] - '0');
      required = min > 0;
      i_ = close + 1;
    } else {
      return true;
    }
    if (i_ < re_.size() && re_[i_] == '?') ++i_;  // lazy
    return required;
  }

  bool Atom() {
    char c = re_[i_];
    if (c == '(') {
      ++i_;
      if (re_.substr(i_, 2) == "?:") i_ += 2;
      else if (i_ < re_.size() && re_[i_] == '?') {
        ok_ = false;  // lookaround and other group kinds: unknown
        return false;
      }
      bool digit = Alt();
      if (i_ >= re_.size() || re_[i_] != ')') {
        ok_ = false;
        return false;
      }
      ++i_;
      return digit;
    }
    if (c == '[') return Class();
    if (c == '\\') {
      if (i_ + 1 >= re_.size()) {
        ok_ = false;
        return false;
      }
      char d = re_[i_ + 1];
      if (d == 'x') {
        if (i_ + 4 > re_.size() || !std::isxdigit(static_cast<unsigned char>(re_[i_ + 2])) ||
            !std::isxdigit(static_cast<unsigned char>(re_[i_ + 3]))) {
          ok_ = false;
          return false;
        }
        int v = std::stoi(std::string(re_.substr(i_ + 2, 2)), nullptr, 16);
        i_ += 4;
        return IsDigit(static_cast<char>(v));
      }
      i_ += 2;
      return d == 'd';
    }
    if (c == '^' || c == '$' || c == '.') {
      ++i_;
      return false;
    }
    if (c == '?' || c == '*' || c == '+' || c == '{') {
      ok_ = false;  // a quantifier with nothing to repeat
      return false;
    }
    ++i_;
    return IsDigit(c);
  }

  // [...]: a digit only when every member is a digit (no negation).
  bool Class() {
    ++i_;  // '['
    bool negated = i_ < re_.size() && re_[i_] == '^';
    if (negated) ++i_;
    bool all_digits = true, empty = true;
    bool first = true;
    while (i_ < re_.size() && (re_[i_] != ']' || first)) {
      first = false;
      char lo = re_[i_];
      if (lo == '\\') {
        if (i_ + 1 >= re_.size()) break;
        char d = re_[i_ + 1];
        i_ += 2;
        all_digits = all_digits && d == 'd';
        empty = false;
        continue;
      }
      ++i_;
      char hi = lo;
      if (i_ + 1 < re_.size() && re_[i_] == '-' && re_[i_ + 1] != ']') {
        hi = re_[i_ + 1];
        i_ += 2;
      }
      all_digits = all_digits && IsDigit(lo) && IsDigit(hi);
      empty = false;
    }
    if (i_ >= re_.size()) {
      ok_ = false;
      return false;
    }
    ++i_;  // ']'
    return !negated && !empty && all_digits;
  }

  std::string_view re_;
  size_t i_ = 0;
  bool ok_ = true;
};

}  // namespace

bool RegexAlwaysHasDigit(std::string_view re) { return Reader(re).Run(); }

}  // namespace rumod::internal
