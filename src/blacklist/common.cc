// Vocabulary of the blacklist: action names, legal basis, VK reason codes,
// masked excerpts, ViolationInput::FromVerdict.
#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "rumod/blacklist.h"

namespace rumod {

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kKeep: return "keep";
    case Action::kReview: return "review";
    case Action::kDelete: return "delete";
    case Action::kBan: return "ban";
  }
  return "keep";
}

std::optional<Action> ParseAction(std::string_view name) {
  for (Action a : {Action::kKeep, Action::kReview, Action::kDelete, Action::kBan})
    if (ActionName(a) == name) return a;
  return std::nullopt;
}

std::string_view LegalBasis(Category c) {
  switch (c) {
    case Category::kSpam:
      return "п. 8 Порядка: спам-рассылки";
    case Category::kProfanity:
      return "п. 8 Порядка: нецензурные выражения";
    case Category::kInsult:
      return "п. 8 Порядка: оскорбительные выражения";
    case Category::kHate:
      return "п. 8 Порядка: выражения, направленные на возбуждение ненависти "
             "либо вражды";
    case Category::kDiscrimination:
      return "п. 8 Порядка: выражения, порочащие гражданина или категории "
             "граждан по признакам пола, возраста, расовой или национальной "
             "принадлежности, языка, отношения к религии, профессии, места "
             "жительства и работы, а также в связи с их политическими "
             "убеждениями";
  }
  return "";
}

int VkBanReason(Category c) {
  switch (c) {
    case Category::kSpam: return 1;
    case Category::kInsult: return 2;
    case Category::kProfanity: return 3;
    case Category::kHate:
    case Category::kDiscrimination: return 0;
  }
  return 0;
}

Category PrimaryCategory(std::span<const Category> categories) {
  static constexpr Category kOrder[] = {Category::kHate, Category::kDiscrimination,
                                        Category::kProfanity, Category::kInsult,
                                        Category::kSpam};
  for (Category c : kOrder)
    if (std::find(categories.begin(), categories.end(), c) != categories.end())
      return c;
  return categories.empty() ? Category::kSpam : categories.front();
}

namespace {

// Length of the UTF-8 sequence at s[i], or 0 if invalid.
size_t Utf8Len(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t min;
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) { n = 2; min = 0x80; }
  else if ((b & 0xF0) == 0xE0) { n = 3; min = 0x800; }
  else if ((b & 0xF8) == 0xF0) { n = 4; min = 0x10000; }
  else return 0;
  if (i + n > s.size()) return 0;
  uint32_t cp = b & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string MaskedExcerpt(std::string_view text,
                          std::span<const std::pair<uint32_t, uint32_t>> spans,
                          int max_chars) {
  // Per byte: masked unless first code point of a span.
  std::vector<uint8_t> mask(text.size(), 0);
  for (auto [b, e] : spans) {
    if (b >= e || b >= text.size()) continue;
    e = std::min<uint32_t>(e, static_cast<uint32_t>(text.size()));
    size_t first_len = Utf8Len(text, b);
    if (first_len == 0) first_len = 1;
    for (size_t i = b + first_len; i < e; ++i) mask[i] = 1;
  }
  // Digit runs of 5+ (phone numbers, card numbers): keep the first digit.
  for (size_t i = 0; i < text.size();) {
    if (!IsDigit(text[i])) { ++i; continue; }
    size_t j = i;
    while (j < text.size() && (IsDigit(text[j]) || text[j] == '-' ||
                               (text[j] == ' ' && j + 1 < text.size() &&
                                IsDigit(text[j + 1]))))
      ++j;
    size_t digits = 0;
    for (size_t k = i; k < j; ++k) digits += IsDigit(text[k]);
    if (digits >= 5)
      for (size_t k = i + 1; k < j; ++k)
        if (IsDigit(text[k])) mask[k] = 1;
    i = j;
  }
  std::string out;
  out.reserve(std::min<size_t>(text.size(), max_chars * 4 + 4));
  int chars = 0;
  bool last_space = false;
  for (size_t i = 0; i < text.size();) {
    if (chars >= max_chars) {
      out += "…";
      break;
    }
    size_t n = Utf8Len(text, i);
    bool masked = mask[i];
    if (n == 0) {
      out += masked ? "*" : "\xEF\xBF\xBD";
      n = 1;
    } else if (text[i] == '\n' || text[i] == '\r' || text[i] == '\t') {
      if (!last_space) out += ' ';
      last_space = true;
      i += n;
      ++chars;
      continue;
    } else if (masked) {
      out += '*';
    } else {
      out.append(text.substr(i, n));
    }
    last_space = false;
    i += n;
    ++chars;
  }
  return out;
}

ViolationInput ViolationInput::FromVerdict(CommentRef comment,
                                           std::string_view text,
                                           const Verdict& verdict) {
  ViolationInput in;
  in.comment = std::move(comment);
  in.text = std::string(text);
  in.categories = verdict.labels;
  in.scores = verdict.scores;
  for (const Match& m : verdict.matches) {
    if (std::find(in.rule_ids.begin(), in.rule_ids.end(), m.rule_id) ==
        in.rule_ids.end())
      in.rule_ids.push_back(m.rule_id);
    // Mask obscene/insulting words; spam spans (links, phones) too.
    in.mask_spans.emplace_back(m.begin, m.end);
  }
  return in;
}

}  // namespace rumod
