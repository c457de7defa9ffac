// Per-comment spam signals computed in code rather than by dictionary
// patterns: links and their domains, contacts, @handles, mixed-script words,
// emoji and capital-letter floods (docs/spam.md "Signals in code").
//
// Each signal has a stable id ("spam.link.messenger", ...) and a weight; the
// classifier folds the weights into the `spam` score with the same noisy-OR
// as dictionary hits and reports each signal as a Match. A signal kind
// counts once per comment, so ten links of one kind weigh like one.
//
// Thread-safe: every function here is pure (the ICU IDNA instance is created
// once per process and is immutable). Cost on the hot path: the flood counts
// come from the normalizer (NormalizedText::upper_letters ...); a pass over
// the original bytes only when the text has an '@' or invalid UTF-8 (no
// allocation); links are
// parsed only when the normalizer found some; ICU is called only for hosts
// with "xn--" labels or non-ASCII letters.
#ifndef RUMOD_CLASSIFY_LINKS_H_
#define RUMOD_CLASSIFY_LINKS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "rumod/engine.h"
#include "rumod/normalizer.h"

namespace rumod::internal {

// What a link points to. The weights are in links.cc (kWeights) and
// docs/spam.md.
enum class LinkKind : uint8_t {
  kAllowed,    // allowlisted domain (built-in official sites + per-page list)
  kMention,    // VK reply markup [id123|Имя]
  kCommunity,  // VK community markup [club1|...], [public1|...]
  kSocial,     // vk.com, ok.ru and their short hosts: citizens share posts
  kShortener,  // vk.cc, clck.ru, bit.ly, tinyurl.com ...
  kMessenger,  // t.me, wa.me, chat.whatsapp.com, invite links
  kEmail,
  kOther,      // any other web link (news, video, a .рф site)
};

// The domain lists of dictionaries/ru/domains.tsv (format documented in the
// file and in docs/spam.md): official sites that are never a signal, URL
// shorteners, messenger invites, social networks. Hosts are stored
// canonical (lower case, Unicode, no "*."/"www." prefix: see LinkHost).
// Parsed by Engine::Compile from Dictionary::domains_tsv() and stored (as
// its source text) in engine files. Immutable once built.
struct DomainTable {
  std::string source;  // the TSV text given to Parse
  std::vector<std::string> allowed, shorteners, messengers, social;

  // Errors are InvalidArgument naming `source_name:line`.
  static absl::StatusOr<DomainTable> Parse(std::string_view tsv,
                                           std::string_view source_name);
};

// One signal: stable id, weight 0..1, original byte span (may be empty for
// whole-comment signals such as floods: then [0, 0)).
struct SpamSignal {
  const char* id = nullptr;
  float weight = 0;
  uint32_t begin = 0, end = 0;
};

// A fixed-capacity list (no allocation on the hot path).
struct SpamSignals {
  static constexpr int kMax = 12;
  std::array<SpamSignal, kMax> items;
  int size = 0;
  // Input: the engine's domain lists (nullptr: no lists, every web link is
  // an ordinary link). Set by the classifier before ComputeSpamSignals.
  const DomainTable* domains = nullptr;
  void Add(const char* id, float w, uint32_t b, uint32_t e) {
    if (size < kMax) items[size++] = {id, w, b, e};
  }
};

// Computes the signals of one comment. `text` is the (possibly truncated)
// original input, `norm` its normalization; links are classified with
// `out->domains`.
void ComputeSpamSignals(std::string_view text, const NormalizedText& norm,
                        const ClassifyOptions& options, SpamSignals* out);

// The host of a link (URL with or without scheme, bare domain, e-mail) in
// lower case, without "www." and a trailing dot, punycode labels decoded to
// Unicode (UTS #46): "https://XN--80AFNFOM2B.XN--P1AI/x" -> "пригород.рф".
// "" when there is no host (VK markup, garbage).
std::string LinkHost(std::string_view link);

// Does `host` equal `pattern` or lie under it? Patterns are domains
// ("gov.ru" covers gov.ru and mchs.gov.ru); a pattern may be given in
// punycode or Unicode and with a leading "*." or "." (same meaning).
bool HostMatches(std::string_view host, std::string_view pattern);

// Kind of one link span's text, given the page's extra allowed domains and
// the engine's domain lists.
LinkKind ClassifyLink(std::string_view link,
                      const std::vector<std::string>& allowed_domains,
                      const DomainTable& domains);

}  // namespace rumod::internal

#endif  // RUMOD_CLASSIFY_LINKS_H_
