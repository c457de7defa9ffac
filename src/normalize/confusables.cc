// ConfusableTable: parser of dictionaries/ru/confusables.tsv.
//
// Format (documented in the data file itself and docs/normalization.md):
//   - one entry per line, fields separated by TAB;
//   - a line whose first character is '#' is a comment, blank lines are
//     ignored, a field starting with '#' ends the entry (trailing comment);
//   - "[lookalike]", "[translit]", "[exotic]", "[symbol]", "[mask]" start a
//     section;
//   - a field may be written as code points: "U+0023" or "U+007C U+002D".
#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unicode/uchar.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "normalize/internal.h"
#include "rumod/normalizer.h"

namespace rumod {
namespace {

enum class Section { kNone, kLookalike, kTranslit, kExotic, kSymbol, kMask };

// Debian's abseil has its own absl::string_view, so messages are built with
// std::string here instead of absl::StrCat.
inline void CatOne(std::string* s, std::string_view v) { s->append(v); }
inline void CatOne(std::string* s, const char* v) { s->append(v); }
inline void CatOne(std::string* s, int v) { s->append(std::to_string(v)); }
template <typename... T>
std::string Cat(const T&... parts) {
  std::string s;
  (CatOne(&s, parts), ...);
  return s;
}

// Splits on `sep`, keeping empty pieces.
std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t b = 0;
  while (true) {
    size_t e = s.find(sep, b);
    if (e == std::string_view::npos) {
      out.push_back(s.substr(b));
      return out;
    }
    out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
}

// Decodes a field: literal UTF-8, or space-separated "U+XXXX" tokens.
bool DecodeField(std::string_view field, std::string* utf8) {
  utf8->clear();
  if (field.size() < 3 || field[0] != 'U' || field[1] != '+') {
    utf8->assign(field);
    return true;
  }
  for (std::string_view tok : Split(field, ' ')) {
    if (tok.empty()) continue;
    if (tok.size() < 3 || tok.size() > 8 || tok[0] != 'U' || tok[1] != '+')
      return false;
    char32_t cp = 0;
    for (char c : tok.substr(2)) {
      int v;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
      else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else return false;
      cp = cp * 16 + v;
    }
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    internal::AppendUtf8(cp, utf8);
  }
  return true;
}

bool IsAsciiLetter(char32_t c) { return c >= 'a' && c <= 'z'; }
bool IsVisibleSymbol(char32_t c) {
  return c > ' ' && c != 0x7F && !(c >= 'a' && c <= 'z') &&
         !(c >= '0' && c <= '9') && !internal::IsBasicCyrillic(c);
}

}  // namespace

ConfusableTable::ConfusableTable(std::unique_ptr<Rep> rep)
    : rep_(std::move(rep)) {}
ConfusableTable::ConfusableTable(ConfusableTable&&) noexcept = default;
ConfusableTable& ConfusableTable::operator=(ConfusableTable&&) noexcept =
    default;
ConfusableTable::ConfusableTable(const ConfusableTable& other)
    : rep_(std::make_unique<Rep>(*other.rep_)) {}
ConfusableTable& ConfusableTable::operator=(const ConfusableTable& other) {
  if (this != &other) rep_ = std::make_unique<Rep>(*other.rep_);
  return *this;
}
ConfusableTable::~ConfusableTable() = default;
const std::string& ConfusableTable::source() const { return rep_->source; }

absl::StatusOr<ConfusableTable> ConfusableTable::Parse(
    std::string_view tsv, std::string_view source_name) {
  auto rep = std::make_unique<Rep>();
  rep->source = std::string(tsv);
  Section section = Section::kNone;
  int line_no = 0;
  auto error = [&](std::string_view msg) {
    const std::string m = Cat(source_name, ":", line_no, ": ", msg);
    return absl::InvalidArgumentError(absl::string_view(m.data(), m.size()));
  };
  std::string utf8;
  std::u32string from, to;
  absl::flat_hash_map<char32_t, int> single_use;  // cp → line (symbol/mask)
  absl::flat_hash_map<char32_t, int> exotic_line;  // [exotic] cp → line

  if (tsv.substr(0, 3) == "\xEF\xBB\xBF") tsv.remove_prefix(3);  // a UTF-8 BOM
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
      line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    if (line[0] == '[') {
      if (line == "[lookalike]") section = Section::kLookalike;
      else if (line == "[translit]") section = Section::kTranslit;
      else if (line == "[exotic]") section = Section::kExotic;
      else if (line == "[symbol]") section = Section::kSymbol;
      else if (line == "[mask]") section = Section::kMask;
      else return error(Cat("unknown section ", line));
      continue;
    }
    std::vector<std::string_view> fields;
    for (std::string_view f : Split(line, '\t')) {
      if (!f.empty() && f[0] == '#') break;  // trailing comment
      fields.push_back(f);
    }
    while (!fields.empty() && fields.back().empty()) fields.pop_back();
    if (section == Section::kNone)
      return error("entry before the first [section] header");
    for (std::string_view f : fields)
      if (f.empty()) return error("empty field");

    // Source field: decode and fold.
    if (!DecodeField(fields[0], &utf8))
      return error(Cat("bad code point notation '", fields[0], "'"));
    if (section == Section::kExotic) {
      // [exotic] sources are taken as written (not folded): the normalizer
      // looks them up before folding (and again after NFKC_Casefold).
      if (fields.size() != 2)
        return error("an [exotic] entry is: letter TAB cyrillic");
      const std::u32string raw = internal::Utf8ToU32(utf8);
      if (raw.size() != 1 || raw[0] == 0xFFFD)
        return error("an [exotic] source must be exactly one code point");
      const char32_t c = raw[0];
      if (c < 0x100 || (c >= 0x400 && c < 0x500) || (c >= 0x2000 && c < 0x2070))
        return error(Cat("'", fields[0],
                         "' cannot be [exotic]: ASCII, Latin-1, U+0400..U+04FF "
                         "and U+2000..U+206F are reserved"));
      // Only letters (general category L*): a combining mark, a space, a
      // format character or a digit mapped to a letter would join or break
      // words ("до́ма" → "доама").
      if (!u_isalpha(static_cast<UChar32>(c)))
        return error(Cat("'", fields[0],
                         "' cannot be [exotic]: only letters (general category L*); "
                         "marks, spaces, format characters and digits are not"));
      {
        const std::u32string target = internal::Utf8ToU32(
            DecodeField(fields[1], &utf8) ? utf8 : std::string());
        if (target.size() != 1 || !((target[0] >= 0x430 && target[0] <= 0x44F) ||
                                    (target[0] >= 0x410 && target[0] <= 0x42F)))
          return error(Cat("target '", fields[1], "' must be one Cyrillic letter а..я (not ё)"));
      }
      if (!DecodeField(fields[1], &utf8) || !internal::FoldForTable(utf8, &to) ||
          to.size() != 1 || !internal::IsBasicCyrillic(to[0]))
        return error(Cat("target '", fields[1], "' must be one Cyrillic letter а..я"));
      // Upper and lower case of one letter must read as the same letter.
      for (UChar32 v : {u_tolower(static_cast<UChar32>(c)), u_toupper(static_cast<UChar32>(c)),
                        u_totitle(static_cast<UChar32>(c)),
                        u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT)}) {
        if (static_cast<char32_t>(v) == c) continue;
        auto it = rep->exotic.find(static_cast<char32_t>(v));
        if (it != rep->exotic.end() && it->second != to[0])
          return error(Cat("'", fields[0], "' and its other case (line ",
                           exotic_line[static_cast<char32_t>(v)],
                           ") map to different letters"));
      }
      if (auto it = exotic_line.find(c); it != exotic_line.end())
        return error(Cat("duplicate source '", fields[0], "' (first at line ",
                         it->second, ")"));
      if (auto it = single_use.find(c); it != single_use.end())
        return error(Cat("'", fields[0], "' is already a symbol/mask (line ",
                         it->second, ")"));
      for (const Rep::Lookalike& l : rep->lookalikes)
        if (l.from.size() == 1 && l.from[0] == c)
          return error(Cat("'", fields[0], "' is already a look-alike (line ",
                           l.line, ")"));
      rep->exotic[c] = to[0];
      exotic_line[c] = line_no;
      continue;
    }
    if (!internal::FoldForTable(utf8, &from))
      return error("source is not valid UTF-8");
    if (from.empty())
      return error(Cat("source '", fields[0],
                                "' is empty after folding (invisible?)"));
    for (char32_t c : from)
      if (c == ' ' || c == '\t' || c == '\n')
        return error("source contains white space");

    switch (section) {
      case Section::kLookalike: {
        if (fields.size() != 2)
          return error("a [lookalike] entry is: source TAB cyrillic");
        if (from.size() > 8) return error("source longer than 8 code points");
        for (char32_t c : from)
          if (internal::IsBasicCyrillic(c))
            return error(Cat("source '", fields[0],
                                      "' already contains a Cyrillic letter"));
        if (!DecodeField(fields[1], &utf8) ||
            !internal::FoldForTable(utf8, &to))
          return error("bad target");
        if (to.empty() || to.size() > 4)
          return error("target must be 1..4 Cyrillic letters");
        for (char32_t c : to)
          if (!internal::IsBasicCyrillic(c))
            return error(Cat("target '", fields[1],
                                      "' must be Cyrillic letters а..я"));
        for (const Rep::Lookalike& l : rep->lookalikes)
          if (l.from == from)
            return error(Cat("duplicate source '", fields[0],
                                      "' (first at line ", l.line, ")"));
        if (from.size() == 1) {
          if (auto it = exotic_line.find(from[0]); it != exotic_line.end())
            return error(Cat("'", fields[0], "' is already [exotic] (line ",
                             it->second, ")"));
          if (auto it = single_use.find(from[0]); it != single_use.end())
            return error(Cat("'", fields[0],
                                      "' is already a symbol/mask (line ",
                                      it->second, ")"));
        }
        rep->lookalikes.push_back({from, to, line_no});
        break;
      }
      case Section::kTranslit: {
        if (fields.size() != 2 && fields.size() != 3)
          return error(
              "a [translit] entry is: latin TAB cyrillic [TAB after_vowel]");
        bool after_vowel = false;
        if (fields.size() == 3) {
          if (fields[2] != "after_vowel")
            return error(Cat("unknown context '", fields[2],
                                      "' (only after_vowel)"));
          after_vowel = true;
        }
        if (from.size() > 4) return error("source longer than 4 letters");
        std::string ascii;
        for (char32_t c : from) {
          if (!IsAsciiLetter(c))
            return error(Cat("translit source '", fields[0],
                                      "' must be Latin letters a-z"));
          ascii.push_back(static_cast<char>(c));
        }
        if (!DecodeField(fields[1], &utf8) ||
            !internal::FoldForTable(utf8, &to))
          return error("bad target");
        if (to.empty() || to.size() > 2)
          return error("target must be 1..2 Cyrillic letters");
        for (char32_t c : to)
          if (!internal::IsBasicCyrillic(c))
            return error(Cat("target '", fields[1],
                                      "' must be Cyrillic letters а..я"));
        for (const Rep::Translit& t : rep->translit)
          if (t.from == ascii && t.after_vowel == after_vowel)
            return error(Cat("duplicate source '", fields[0],
                                      "' (first at line ", t.line, ")"));
        rep->translit.push_back({ascii, to, after_vowel, line_no});
        break;
      }
      case Section::kSymbol:
      case Section::kMask: {
        const bool symbol = section == Section::kSymbol;
        if (fields.size() != (symbol ? 2u : 1u))
          return error(symbol ? "a [symbol] entry is: symbol TAB tag_name"
                              : "a [mask] entry is: one symbol");
        if (from.size() != 1)
          return error("source must be exactly one code point");
        char32_t c = from[0];
        if (!IsVisibleSymbol(c) || c == '.' || c == '-' || c == '_' ||
            c == '[' || c == ']')
          return error(Cat("'", fields[0],
                                    "' cannot be a symbol or mask (letters, "
                                    "digits, white space, . - _ [ ] are "
                                    "reserved)"));
        if (auto it = exotic_line.find(c); it != exotic_line.end())
          return error(Cat("'", fields[0], "' is already [exotic] (line ",
                           it->second, ")"));
        if (auto it = single_use.find(c); it != single_use.end())
          return error(Cat("duplicate source '", fields[0],
                                    "' (first at line ", it->second, ")"));
        for (const Rep::Lookalike& l : rep->lookalikes)
          if (l.from.size() == 1 && l.from[0] == c)
            return error(Cat("'", fields[0],
                                      "' is already a look-alike (line ",
                                      l.line, ")"));
        single_use[c] = line_no;
        if (symbol) {
          std::string_view tag = fields[1];
          if (tag.size() > 32) return error("tag longer than 32 characters");
          for (char t : tag)
            if (!(t >= 'a' && t <= 'z') && t != '_')
              return error(Cat("tag '", tag,
                                        "' must be [a-z_]+ (no braces)"));
          rep->symbols[c] = std::string(tag);
        } else {
          rep->masks.push_back(c);
        }
        break;
      }
      case Section::kExotic:  // handled above
      case Section::kNone:
        break;
    }
  }

  // Index look-alikes by first code point, longest first (greedy match).
  std::stable_sort(rep->lookalikes.begin(), rep->lookalikes.end(),
                   [](const Rep::Lookalike& a, const Rep::Lookalike& b) {
                     if (a.from[0] != b.from[0]) return a.from[0] < b.from[0];
                     return a.from.size() > b.from.size();
                   });
  for (uint32_t i = 0; i < rep->lookalikes.size();) {
    uint32_t j = i;
    while (j < rep->lookalikes.size() &&
           rep->lookalikes[j].from[0] == rep->lookalikes[i].from[0])
      ++j;
    rep->lookalike_index[rep->lookalikes[i].from[0]] = {i, j};
    i = j;
  }
  // Index translit rules: by first letter, longest first, context first.
  std::stable_sort(rep->translit.begin(), rep->translit.end(),
                   [](const Rep::Translit& a, const Rep::Translit& b) {
                     if (a.from[0] != b.from[0]) return a.from[0] < b.from[0];
                     if (a.from.size() != b.from.size())
                       return a.from.size() > b.from.size();
                     return a.after_vowel > b.after_vowel;
                   });
  for (uint16_t i = 0; i < rep->translit.size();) {
    uint16_t j = i;
    while (j < rep->translit.size() &&
           rep->translit[j].from[0] == rep->translit[i].from[0])
      ++j;
    rep->translit_index[rep->translit[i].from[0] - 'a'] = {i, j};
    i = j;
  }
  return ConfusableTable(std::move(rep));
}

}  // namespace rumod
