#include "classify/links.h"

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "rumod/verdict.h"

#include "absl/container/flat_hash_map.h"
#include "util/strings.h"
#include "util/utf8.h"

namespace rumod::internal {
namespace {

// Weights of the signals (docs/spam.md). A comment is spam at score >= 0.5,
// so every weight below 0.5 needs a second signal.
constexpr float kWShortener = 0.45f;   // hides the target: a mailing habit
constexpr float kWMessenger = 0.45f;   // t.me / wa.me invite: "come to my chat"
constexpr float kWOther = 0.25f;       // a plain web link: clean on its own
constexpr float kWSocial = 0.15f;      // vk.com/ok.ru post: citizens share them
constexpr float kWCommunity = 0.15f;   // [club1|...] markup
constexpr float kWEmail = 0.25f;
constexpr float kWManyLinks = 0.2f;    // 3+ links that are not allowlisted
constexpr float kWHandle = 0.3f;       // @handle inside the text
constexpr float kWHandleLead = 0.1f;   // @handle opening the comment: a reply
constexpr float kWHandleBot = 0.45f;   // @something_bot
constexpr float kWMixedFlood = 0.45f;  // 5+ mixed-script words, >= 1/3 of words:
                                       // obfuscation alone; promotion content labels
constexpr float kWMixedMany = 0.4f;    // 3+ mixed-script words, >= 1/4 of words
constexpr float kWMixedSome = 0.15f;   // 2+ mixed-script words
constexpr float kWEmojiSome = 0.2f;    // 4+ pictographic emoji
constexpr float kWEmojiMany = 0.35f;   // 8+
constexpr float kWCaps = 0.2f;         // 20+ letters, >= 70% capitals

const UIDNA* Idna() {
  static const UIDNA* idna = [] {
    UErrorCode err = U_ZERO_ERROR;
    UIDNA* p = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                   UIDNA_NONTRANSITIONAL_TO_ASCII |
                                   UIDNA_NONTRANSITIONAL_TO_UNICODE,
                               &err);
    return U_SUCCESS(err) ? p : nullptr;
  }();
  return idna;
}

const DomainTable kNoDomains;

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// The full stops that browsers read as '.' in a host (UTS #46 maps them):
// U+3002 ideographic, U+FF0E fullwidth, U+FF61 halfwidth ideographic.
constexpr std::string_view kWideDots[] = {"\xE3\x80\x82", "\xEF\xBC\x8E", "\xEF\xBD\xA1"};

bool HasDot(std::string_view h) {
  if (h.find('.') != std::string_view::npos) return true;
  for (std::string_view d : kWideDots)
    if (h.find(d) != std::string_view::npos) return true;
  return false;
}

// UTS #46 processing of a host, as browsers do (fullwidth letters and
// digits, ideographic full stops, case, punycode labels decoded): the
// Unicode form, or false on an IDNA error (bad punycode, a disallowed
// character, an empty or too long label, a label starting or ending with
// '-').
bool Uts46ToUnicode(std::string_view h, std::string* out, uint32_t* errors = nullptr) {
  if (Idna() == nullptr || h.size() > 1024) return false;
  std::string buf(h.size() * 3 + 16, '\0');
  UErrorCode err = U_ZERO_ERROR;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  int32_t n = uidna_nameToUnicodeUTF8(Idna(), h.data(), static_cast<int32_t>(h.size()),
                                      buf.data(), static_cast<int32_t>(buf.size()), &info,
                                      &err);
  if (errors) *errors = info.errors;
  if (U_FAILURE(err) || info.errors != 0 || n <= 0) return false;
  buf.resize(n);
  *out = std::move(buf);
  return true;
}

// Lower-cases, maps with UTS #46 (fullwidth, ideographic dots, punycode) and
// strips "*.", ".", "www." and a final '.'.
std::string CanonicalHost(std::string_view h) {
  while (!h.empty() && (h.front() == '*' || h.front() == '.')) h.remove_prefix(1);
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  std::string out;
  bool ascii = true;
  for (unsigned char c : h) ascii &= c < 0x80;
  if (ascii && h.find("xn--") == std::string_view::npos &&
      h.find("XN--") == std::string_view::npos) {
    out.assign(h);  // the common case: no ICU
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else if (!Uts46ToUnicode(h, &out)) {
    // Not a valid IDNA name (a lookalike trick, bad punycode): compare its
    // case-folded text with the ideographic dots read as '.'.
    std::string t(h);
    for (std::string_view d : kWideDots)
      for (size_t p; (p = t.find(d)) != std::string::npos;) t.replace(p, d.size(), 1, '.');
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(t.data(), static_cast<int32_t>(t.size())));
    u.foldCase();
    out.clear();
    u.toUTF8String(out);
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  if (out.rfind("www.", 0) == 0) out.erase(0, 4);
  return out;
}

// `pattern` is canonical already (DomainTable stores canonical hosts).
bool HostUnder(std::string_view host, std::string_view pattern) {
  if (pattern.empty() || host.size() < pattern.size()) return false;
  if (host.compare(host.size() - pattern.size(), pattern.size(), pattern) != 0) return false;
  return host.size() == pattern.size() || host[host.size() - pattern.size() - 1] == '.';
}

bool InList(std::string_view host, const std::vector<std::string>& list) {
  for (const std::string& p : list)
    if (HostUnder(host, p)) return true;
  return false;
}

// UTF-8 decode of one code point at `i` (invalid bytes -> U+FFFD, 1 byte).
char32_t Decode(std::string_view s, size_t* i) {
  unsigned char c = s[*i];
  if (c < 0x80) {
    ++*i;
    return c;
  }
  int n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || *i + n > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t cp = c & (0x7F >> n);
  for (int k = 1; k < n; ++k) {
    unsigned char cc = s[*i + k];
    if ((cc >> 6) != 2) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += n;
  return cp;
}

bool InLinks(const std::vector<Span>& links, size_t pos) {
  for (const Span& l : links)
    if (pos >= l.begin && pos < l.end) return true;
  return false;
}

}  // namespace

namespace {

// A line of a data file quoted in an error message: control characters and
// invalid UTF-8 escaped (\x00), at most 80 bytes.
std::string Quote(std::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size() && out.size() < 80) {
    unsigned char c = s[i];
    size_t j = i;
    char32_t cp = Decode(s, &j);
    if (c < 0x20 || c == 0x7F || (cp == 0xFFFD && j == i + 1)) {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    out.append(s.substr(i, j - i));
    i = j;
  }
  if (i < s.size()) out += "...";
  return out;
}

// Why `line` (a domain of domains.tsv, comment and white space removed) is
// not a host name, or "" when it is one; `host` gets its canonical form.
std::string CheckDomain(std::string_view line, std::string* host) {
  if (line.size() > 253) return "is longer than 253 bytes";
  std::string_view d = line;
  if (d.rfind("*.", 0) == 0) d.remove_prefix(2);
  if (!d.empty() && d.back() == '.') d.remove_suffix(1);  // a fully qualified name
  // Code point by code point: letters, marks and digits of any script,
  // '-', and the full stops (ASCII, ideographic, fullwidth). No '*' but a
  // leading "*.", no white space, no invisible or format characters, no
  // symbols or emoji, valid UTF-8.
  for (size_t i = 0; i < d.size();) {
    size_t at = i;
    unsigned char c = d[i];
    char32_t cp = Decode(d, &i);
    if (cp == 0xFFFD && !(i - at == 3 && static_cast<unsigned char>(d[at]) == 0xEF))
      return "is not valid UTF-8";
    if (c < 0x80) {
      if (!IsAsciiAlnum(c) && c != '.' && c != '-')
        return "contains '" + Quote(std::string_view(d).substr(at, 1)) +
               "', which cannot be in a host name";
      continue;
    }
    if (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61) continue;
    int8_t cat = u_charType(static_cast<UChar32>(cp));
    bool ok = u_isalpha(static_cast<UChar32>(cp)) || cat == U_NON_SPACING_MARK ||
              cat == U_COMBINING_SPACING_MARK || cat == U_DECIMAL_DIGIT_NUMBER;
    if (!ok || u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
      return "contains U+" + [&] {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04X", static_cast<unsigned>(cp));
        return std::string(buf);
      }() + ", which cannot be in a host name";
  }
  uint32_t errors = 0;
  std::string u;
  if (!Uts46ToUnicode(d, &u, &errors)) {
    if (errors & (UIDNA_ERROR_EMPTY_LABEL)) return "has an empty label (\"..\", a leading '.')";
    if (errors & (UIDNA_ERROR_LEADING_HYPHEN | UIDNA_ERROR_TRAILING_HYPHEN))
      return "has a label that starts or ends with '-'";
    if (errors & (UIDNA_ERROR_LABEL_TOO_LONG | UIDNA_ERROR_DOMAIN_NAME_TOO_LONG))
      return "has a label longer than 63 bytes";
    if (errors & (UIDNA_ERROR_PUNYCODE | UIDNA_ERROR_INVALID_ACE_LABEL))
      return "has invalid punycode";
    return "is not a valid IDNA host name (UTS #46)";
  }
  *host = CanonicalHost(u);
  if (host->find('.') == std::string::npos) return "has fewer than two labels";
  std::string_view tld = std::string_view(*host).substr(host->rfind('.') + 1);
  bool digits = true;
  for (char c : tld) digits &= c >= '0' && c <= '9';
  if (digits) return "is an IP address, not a domain";
  return "";
}

const char* kSectionName[] = {"[allowed]", "[messenger]", "[shortener]", "[social]"};

}  // namespace

absl::StatusOr<DomainTable> DomainTable::Parse(std::string_view tsv,
                                               std::string_view source_name) {
  DomainTable t;
  t.source = std::string(tsv);
  if (tsv.rfind("\xEF\xBB\xBF", 0) == 0) tsv.remove_prefix(3);  // a UTF-8 BOM
  std::vector<std::string>* list = nullptr;
  int section = -1;
  // Per section, in the order ClassifyLink checks them: (host, line).
  std::vector<std::pair<std::string, int>> entries[4];
  absl::flat_hash_map<std::string, int> seen;  // canonical host → line
  int line_no = 0;
  auto error = [&](std::string_view msg) {
    std::string m(source_name);
    m += ':';
    m += std::to_string(line_no);
    m += ": ";
    m += msg;
    return absl::InvalidArgumentError(absl::string_view(m.data(), m.size()));
  };
  size_t pos = 0;
  while (pos <= tsv.size()) {
    size_t nl = tsv.find('\n', pos);
    if (nl == std::string_view::npos) nl = tsv.size();
    std::string_view line = tsv.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    // A '#' at the start or after white space starts a comment.
    for (size_t i = 0; i < line.size(); ++i)
      if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
        line = line.substr(0, i);
        break;
      }
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!line.empty() && space(line.front())) line.remove_prefix(1);
    while (!line.empty() && space(line.back())) line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line == "[allowed]") list = &t.allowed, section = 0;
      else if (line == "[messenger]") list = &t.messengers, section = 1;
      else if (line == "[shortener]") list = &t.shorteners, section = 2;
      else if (line == "[social]") list = &t.social, section = 3;
      else return error("unknown section " + Quote(line));
      continue;
    }
    if (list == nullptr) return error("domain before the first [section] header");
    for (char c : line)
      if (space(c)) return error("one domain per line");
    std::string host;
    if (std::string why = CheckDomain(line, &host); !why.empty())
      return error("'" + Quote(line) + "' is not a domain name: it " + why);
    if (auto it = seen.find(host); it != seen.end())
      return error("'" + Quote(line) + "' is listed twice (first at line " +
                   std::to_string(it->second) + ")");
    // Shadowed: covered by a domain of a list that is checked first, so it
    // could never match ("evil.gov.ru" under [shortener] with "gov.ru"
    // [allowed]).
    for (int s = 0; s < 4; ++s)
      for (const auto& [h, l] : entries[s])
        if (s < section && HostUnder(host, h))
          return error(Cat("'", Quote(line), "' can never match: ", kSectionName[s], " '", h,
                           "' (line ", std::to_string(l), ") covers it and is checked first"));
    seen.emplace(host, line_no);
    entries[section].emplace_back(host, line_no);
    list->push_back(std::move(host));
  }
  // A later line of an earlier-checked list may shadow an earlier line of a
  // later-checked list.
  for (int s = 0; s < 4; ++s)
    for (int later = s + 1; later < 4; ++later)
      for (const auto& [h, l] : entries[later])
        for (const auto& [hs, ls] : entries[s])
          if (ls > l && HostUnder(h, hs)) {
            line_no = l;
            return error("'" + h + "' can never match: " + kSectionName[s] + " '" + hs +
                         "' (line " + std::to_string(ls) + ") covers it and is checked first");
          }
  return t;
}

std::string LinkHost(std::string_view link) {
  if (link.empty() || link.front() == '[') return "";  // VK markup
  size_t at = link.find('@');
  size_t scheme = link.find("://");
  std::string_view rest = link;
  if (scheme != std::string_view::npos && scheme <= 10) {
    rest = link.substr(scheme + 3);
  } else if (at != std::string_view::npos) {
    rest = link.substr(at + 1);  // e-mail
  }
  size_t end = rest.find_first_of("/?#\\ \t\n");
  rest = rest.substr(0, end);
  if (size_t a = rest.rfind('@'); a != std::string_view::npos) rest = rest.substr(a + 1);
  if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    bool port = colon + 1 < rest.size();
    for (size_t i = colon + 1; i < rest.size(); ++i) port &= rest[i] >= '0' && rest[i] <= '9';
    if (port) rest = rest.substr(0, colon);
  }
  if (!HasDot(rest)) return "";
  return CanonicalHost(rest);
}

bool HostMatches(std::string_view host, std::string_view pattern) {
  std::string p;
  // Canonical already (most built-in entries): ASCII lower case, no "*."/"."
  // prefix, no punycode. Anything else is canonicalized first.
  bool simple = !pattern.empty() && pattern.front() != '*' && pattern.front() != '.' &&
                pattern.find("xn--") == std::string_view::npos;
  for (unsigned char c : pattern) simple &= c < 0x80 && !(c >= 'A' && c <= 'Z');
  if (!simple) {
    p = CanonicalHost(pattern);
    pattern = p;
  }
  return HostUnder(host, pattern);
}

LinkKind ClassifyLink(std::string_view link, const std::vector<std::string>& allowed,
                      const DomainTable& domains) {
  if (!link.empty() && link.front() == '[') {
    return link.rfind("[id", 0) == 0 ? LinkKind::kMention : LinkKind::kCommunity;
  }
  // Scheme-only messenger links (tg://, viber://, whatsapp://).
  if (link.rfind("tg:", 0) == 0 || link.rfind("viber:", 0) == 0 ||
      link.rfind("whatsapp:", 0) == 0)
    return LinkKind::kMessenger;
  std::string host = LinkHost(link);
  if (host.empty()) return LinkKind::kOther;
  for (const std::string& a : allowed)
    if (HostMatches(host, a)) return LinkKind::kAllowed;
  if (InList(host, domains.allowed)) return LinkKind::kAllowed;
  bool email = link.find('@') != std::string_view::npos &&
               link.find("://") == std::string_view::npos;
  if (email) return LinkKind::kEmail;
  if (InList(host, domains.messengers)) return LinkKind::kMessenger;
  if (InList(host, domains.shorteners)) return LinkKind::kShortener;
  if (InList(host, domains.social)) return LinkKind::kSocial;
  return LinkKind::kOther;
}

void ComputeSpamSignals(std::string_view text, const NormalizedText& norm,
                        const ClassifyOptions& options, SpamSignals* out) {
  out->size = 0;
  // --- Links: each kind counts once (the first span of the kind is shown).
  if (!norm.links.empty()) {
    bool seen[8] = {};
    int counted = 0;
    uint32_t counted_b = 0, counted_e = 0;  // first and last counted link
    for (const Span& l : norm.links) {
      if (l.end > text.size() || l.begin >= l.end) continue;
      LinkKind k = ClassifyLink(text.substr(l.begin, l.end - l.begin), options.allowed_domains,
                                out->domains ? *out->domains : kNoDomains);
      if (k != LinkKind::kAllowed && k != LinkKind::kMention) {
        if (counted++ == 0) counted_b = l.begin;
        counted_e = l.end;
      }
      if (seen[static_cast<int>(k)]) continue;
      seen[static_cast<int>(k)] = true;
      switch (k) {
        case LinkKind::kAllowed:
        case LinkKind::kMention: break;
        case LinkKind::kCommunity: out->Add("spam.link.community", kWCommunity, l.begin, l.end); break;
        case LinkKind::kSocial: out->Add("spam.link.social", kWSocial, l.begin, l.end); break;
        case LinkKind::kShortener: out->Add("spam.link.shortener", kWShortener, l.begin, l.end); break;
        case LinkKind::kMessenger: out->Add("spam.link.messenger", kWMessenger, l.begin, l.end); break;
        case LinkKind::kEmail: out->Add("spam.link.email", kWEmail, l.begin, l.end); break;
        case LinkKind::kOther: out->Add("spam.link.other", kWOther, l.begin, l.end); break;
      }
    }
    if (counted >= 3) out->Add("spam.link.many", kWManyLinks, counted_b, counted_e);
  }

  // --- One pass over the original bytes: @handles, emoji, capitals.
  int emoji = 0, upper = 0, lower = 0;
  uint32_t emoji_b = 0, emoji_e = 0;  // the first pictographic emoji
  bool handle = false;
  size_t i = 0;
  // Precheck: without '@' (no handle) and with valid UTF-8 the normalizer's
  // counts are exactly this pass's; an emoji flood (rare) still takes the
  // pass, which finds its first emoji's span.
  if (!(norm.flags & kInputInvalidUtf8) && norm.pictographs < 4 &&
      std::memchr(text.data(), '@', text.size()) == nullptr) {
    emoji = static_cast<int>(norm.pictographs);
    upper = static_cast<int>(norm.upper_letters);
    lower = static_cast<int>(norm.lower_letters);
    i = text.size();
  }
  while (i < text.size()) {
    unsigned char c = text[i];
    if (c == '@' && !handle) {
      size_t j = i + 1;
      while (j < text.size() && (IsAsciiAlnum(text[j]) || text[j] == '_')) ++j;
      bool word_start = i == 0 || !(IsAsciiAlnum(text[i - 1]) || text[i - 1] == '_' ||
                                    static_cast<unsigned char>(text[i - 1]) >= 0x80);
      if (word_start && j - i - 1 >= 4 && !InLinks(norm.links, i)) {
        std::string_view name = text.substr(i + 1, j - i - 1);
        // A reply: the handle opens the comment or follows "RT".
        size_t k = i;
        while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
        bool lead = k == 0 || (k >= 2 && text.substr(k - 2, 2) == "RT");
        bool bot = name.size() >= 3 &&
                   (std::equal(name.end() - 3, name.end(), "bot",
                               [](char a, char b) { return std::tolower(a) == b; }));
        float w = bot ? kWHandleBot : lead ? kWHandleLead : kWHandle;
        out->Add(bot ? "spam.handle.bot" : "spam.handle", w, static_cast<uint32_t>(i),
                 static_cast<uint32_t>(j));
        handle = !lead || bot;  // a reply handle does not stop the search
      }
      i = j;
      continue;
    }
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') ++upper;
      else if (c >= 'a' && c <= 'z') ++lower;
      ++i;
      continue;
    }
    const size_t at = i;
    char32_t cp = Decode(text, &i);
    if (cp >= 0x0410 && cp <= 0x042F) ++upper;
    else if (cp >= 0x0430 && cp <= 0x044F) ++lower;
    else if (cp == 0x0401) ++upper;
    else if (cp == 0x0451) ++lower;
    else if (cp >= 0x2000 && u_hasBinaryProperty(static_cast<UChar32>(cp),
                                                  UCHAR_EXTENDED_PICTOGRAPHIC)) {
      if (emoji++ == 0) emoji_b = static_cast<uint32_t>(at), emoji_e = static_cast<uint32_t>(i);
    }
  }
  // Floods report their first instance (emoji) or the whole text (capitals).
  if (emoji >= 8) out->Add("spam.emoji_flood", kWEmojiMany, emoji_b, emoji_e);
  else if (emoji >= 4) out->Add("spam.emoji_flood", kWEmojiSome, emoji_b, emoji_e);
  if (upper + lower >= 20 && upper * 10 >= (upper + lower) * 7)
    out->Add("spam.caps_flood", kWCaps, 0, static_cast<uint32_t>(text.size()));

  // --- Mixed-script words (Latin/Greek look-alikes inside Cyrillic words).
  uint32_t mixed = norm.mixed_script_words;
  if (mixed >= 2) {
    uint32_t words = 0;
    const std::string& b = norm.text.bytes;
    for (size_t k = 1; k < b.size(); ++k) words += b[k] == ' ' && b[k - 1] != ' ';
    // Deliberate obfuscation of a whole message (a third of its words) is a
    // mailing's trick to pass filters: spam on its own.
    const Span first = norm.first_mixed_word;
    if (mixed >= 5 && mixed * 3 >= words)
      out->Add("spam.mixed_script", kWMixedFlood, first.begin, first.end);
    else if (mixed >= 3 && mixed * 4 >= words)
      out->Add("spam.mixed_script", kWMixedMany, first.begin, first.end);
    else
      out->Add("spam.mixed_script", kWMixedSome, first.begin, first.end);
  }
}

}  // namespace rumod::internal
