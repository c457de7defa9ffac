#include "classify/links.h"

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>

#include "rumod/verdict.h"

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
constexpr float kWMixedFlood = 0.55f;  // 5+ mixed-script words, >= 1/3 of words
constexpr float kWMixedMany = 0.4f;    // 3+ mixed-script words, >= 1/4 of words
constexpr float kWMixedSome = 0.15f;   // 2+ mixed-script words
constexpr float kWEmojiSome = 0.2f;    // 4+ pictographic emoji
constexpr float kWEmojiMany = 0.35f;   // 8+
constexpr float kWCaps = 0.2f;         // 20+ letters, >= 70% capitals

// Official sites: never spam (CATEGORIES.md: "a citizen's on-topic link to
// ... an official site"). A page adds its own (the administration's site,
// municipal .рф domains) with ClassifyOptions::allowed_domains. A .рф domain
// is NOT allowlisted as such: it counts as an ordinary link (kWOther), which
// is never spam on its own.
const char* const kAllowed[] = {
    "gov.ru",         "gosuslugi.ru",  "госуслуги.рф", "kremlin.ru",
    "government.ru",  "mos.ru",        "gov.spb.ru",   "nalog.ru",
    "мвд.рф",         "мчс.рф",        "cikrf.ru",     "izbirkom.ru",
    "rospotrebnadzor.ru", "zakupki.gov.ru", "pfr.gov.ru", "sfr.gov.ru",
    "edu.ru",         "pos.gosuslugi.ru",
};

// URL shorteners (t.co excluded: Twitter rewrites every link with it).
const char* const kShorteners[] = {
    "vk.cc",    "clck.ru",   "bit.ly",   "tinyurl.com", "goo.gl",  "cutt.ly",
    "is.gd",    "u.to",      "urlz.fr",  "rebrand.ly",  "shorturl.at", "tiny.cc",
    "ow.ly",    "rb.gy",     "s.id",     "v.gd",        "qps.ru",  "bit.do",
    "t.ly",     "lnk.to",    "linktr.ee", "taplink.cc", "taplink.ws", "goo.su",
};

// Messenger invites and chats.
const char* const kMessengers[] = {
    "t.me",        "telegram.me",  "telegram.dog", "wa.me",   "chat.whatsapp.com",
    "api.whatsapp.com", "whatsapp.com", "viber.me", "invite.viber.com", "vk.me",
    "discord.gg",  "discord.com",  "icq.im",
};

const char* const kSocial[] = {"vk.com", "vk.ru", "m.vk.com", "ok.ru", "vkvideo.ru",
                               "dzen.ru", "rutube.ru"};

const UIDNA* Idna() {
  static const UIDNA* idna = [] {
    UErrorCode err = U_ZERO_ERROR;
    UIDNA* p = uidna_openUTS46(UIDNA_NONTRANSITIONAL_TO_UNICODE, &err);
    return U_SUCCESS(err) ? p : nullptr;
  }();
  return idna;
}

bool IsAsciiAlnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// Lower-cases, decodes punycode and strips "*.", ".", "www." and a final '.'.
std::string CanonicalHost(std::string_view h) {
  while (!h.empty() && (h.front() == '*' || h.front() == '.')) h.remove_prefix(1);
  while (!h.empty() && h.back() == '.') h.remove_suffix(1);
  std::string out;
  bool ascii = true;
  for (unsigned char c : h) ascii &= c < 0x80;
  if (ascii) {
    out.assign(h);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  } else {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(h.data(), static_cast<int32_t>(h.size())));
    u.foldCase();
    u.toUTF8String(out);
  }
  if (out.find("xn--") != std::string::npos && Idna()) {
    char buf[512];
    UErrorCode err = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    int32_t n = uidna_nameToUnicodeUTF8(Idna(), out.data(), static_cast<int32_t>(out.size()),
                                        buf, sizeof buf, &info, &err);
    if (U_SUCCESS(err) && n > 0 && n <= static_cast<int32_t>(sizeof buf))
      out.assign(buf, n);  // on errors (bad punycode) keep the ASCII form
  }
  if (out.rfind("www.", 0) == 0) out.erase(0, 4);
  return out;
}

template <size_t N>
bool InList(std::string_view host, const char* const (&list)[N]) {
  for (const char* p : list)
    if (HostMatches(host, p)) return true;
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

const std::vector<std::string_view>& BuiltinAllowedDomains() {
  static const std::vector<std::string_view> v(std::begin(kAllowed), std::end(kAllowed));
  return v;
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
  if (rest.find('.') == std::string_view::npos) return "";
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
  if (pattern.empty() || host.size() < pattern.size()) return false;
  if (host.compare(host.size() - pattern.size(), pattern.size(), pattern) != 0) return false;
  return host.size() == pattern.size() || host[host.size() - pattern.size() - 1] == '.';
}

LinkKind ClassifyLink(std::string_view link, const std::vector<std::string>& allowed) {
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
  if (InList(host, kAllowed)) return LinkKind::kAllowed;
  bool email = link.find('@') != std::string_view::npos &&
               link.find("://") == std::string_view::npos;
  if (email) return LinkKind::kEmail;
  if (InList(host, kMessengers)) return LinkKind::kMessenger;
  if (InList(host, kShorteners)) return LinkKind::kShortener;
  if (InList(host, kSocial)) return LinkKind::kSocial;
  return LinkKind::kOther;
}

void ComputeSpamSignals(std::string_view text, const NormalizedText& norm,
                        const ClassifyOptions& options, SpamSignals* out) {
  out->size = 0;
  // --- Links: each kind counts once (the first span of the kind is shown).
  if (!norm.links.empty()) {
    bool seen[8] = {};
    int counted = 0;
    for (const Span& l : norm.links) {
      if (l.end > text.size() || l.begin >= l.end) continue;
      LinkKind k = ClassifyLink(text.substr(l.begin, l.end - l.begin), options.allowed_domains);
      if (k != LinkKind::kAllowed && k != LinkKind::kMention) ++counted;
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
    if (counted >= 3) out->Add("spam.link.many", kWManyLinks, 0, 0);
  }

  // --- One pass over the original bytes: @handles, emoji, capitals.
  int emoji = 0, upper = 0, lower = 0;
  bool handle = false;
  size_t i = 0;
  // Precheck: without '@' (no handle) and with valid UTF-8 the normalizer's
  // counts are exactly this pass's.
  if (!(norm.flags & kInputInvalidUtf8) &&
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
    char32_t cp = Decode(text, &i);
    if (cp >= 0x0410 && cp <= 0x042F) ++upper;
    else if (cp >= 0x0430 && cp <= 0x044F) ++lower;
    else if (cp == 0x0401) ++upper;
    else if (cp == 0x0451) ++lower;
    else if (cp >= 0x2000 && u_hasBinaryProperty(static_cast<UChar32>(cp),
                                                  UCHAR_EXTENDED_PICTOGRAPHIC))
      ++emoji;
  }
  if (emoji >= 8) out->Add("spam.emoji_flood", kWEmojiMany, 0, 0);
  else if (emoji >= 4) out->Add("spam.emoji_flood", kWEmojiSome, 0, 0);
  if (upper + lower >= 20 && upper * 10 >= (upper + lower) * 7)
    out->Add("spam.caps_flood", kWCaps, 0, 0);

  // --- Mixed-script words (Latin/Greek look-alikes inside Cyrillic words).
  uint32_t mixed = norm.mixed_script_words;
  if (mixed >= 2) {
    uint32_t words = 0;
    const std::string& b = norm.text.bytes;
    for (size_t k = 1; k < b.size(); ++k) words += b[k] == ' ' && b[k - 1] != ' ';
    // Deliberate obfuscation of a whole message (a third of its words) is a
    // mailing's trick to pass filters: spam on its own.
    if (mixed >= 5 && mixed * 3 >= words) out->Add("spam.mixed_script", kWMixedFlood, 0, 0);
    else if (mixed >= 3 && mixed * 4 >= words) out->Add("spam.mixed_script", kWMixedMany, 0, 0);
    else out->Add("spam.mixed_script", kWMixedSome, 0, 0);
  }
}

}  // namespace rumod::internal
