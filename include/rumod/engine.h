// rumod/engine.h — compiled rules, classification and explanation.
//
//   absl::StatusOr<std::shared_ptr<const rumod::Engine>> engine =
//       rumod::Engine::Default();            // embedded default dictionaries
//   std::unique_ptr<rumod::Scratch> scratch = (*engine)->NewScratch();
//   rumod::Verdict v;
//   (*engine)->Classify("ну ты и дебил", *scratch, &v);
//   // v.labels == {kInsult}; v.matches[0].rule_id == "ins.debil"
//
// Compile once, scan many: an Engine is immutable and safe to share between
// threads (std::shared_ptr<const Engine>). Each thread needs its own Scratch
// (Hyperscan scratch + normalization buffers); a Scratch must not be used by
// two threads at once. Classify() does not lock and, once the Scratch and the
// Verdict have grown to the working size, does not allocate except for the
// strings of reported matches.
#ifndef RUMOD_ENGINE_H_
#define RUMOD_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rumod/dictionary.h"
#include "rumod/normalizer.h"
#include "rumod/verdict.h"

namespace rumod {

struct CompileOptions {
  // hunspell-ru files used to inflect lemma entries (Debian package
  // hunspell-ru). Lemmas missing there need `like=`; missing files are an
  // error only when a lemma entry needs them.
  std::string hunspell_aff = "/usr/share/hunspell/ru_RU.aff";
  std::string hunspell_dic = "/usr/share/hunspell/ru_RU.dic";
};

struct ClassifyOptions {
  // Inputs longer than this many bytes are classified on their first
  // max_bytes only (Verdict::input_flags gets kInputTruncated). 0 = no limit.
  // Default 1 MiB: comments on VK/OK are at most a few KiB.
  size_t max_bytes = 1 << 20;
  // Domains whose links are never a spam signal on this page, in addition to
  // the built-in official sites (gosuslugi.ru, *.gov.ru, mos.ru ...: see
  // docs/spam.md). A domain covers its subdomains; Unicode or punycode, any
  // case, optional leading "*." ("пригород.рф", "xn--...", "*.admin.ru").
  // Default: empty. Cost: checked only for comments that contain links.
  std::vector<std::string> allowed_domains;
};

class Engine;

// Per-thread working memory for Engine::Classify. Thread-compatible: one
// thread at a time. Created by Engine::NewScratch(); usable with any engine
// loaded from the same rules (it grows on demand for others).
class Scratch {
 public:
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  struct Rep;
  Rep& rep() { return *rep_; }

 private:
  friend class Engine;
  explicit Scratch(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Human-readable account of one classification (rumod explain).
struct Explanation {
  std::string text_view;      // main normalized view, UTF-8
  std::string translit_view;  // transliteration view, UTF-8 ("" if none)
  std::vector<Span> links;
  Verdict verdict;
  // Hits removed by exceptions: rule id of the hit and of the exception.
  std::vector<std::pair<std::string, std::string>> suppressed;
};

class Engine {
 public:
  // Compiles a parsed dictionary. Errors name file:line and the entry id
  // (e.g. a lemma unknown to hunspell-ru without like=, a bad regex).
  static absl::StatusOr<std::shared_ptr<const Engine>> Compile(
      const Dictionary& dict, const CompileOptions& options = {});
  // LoadDirectory + Compile.
  static absl::StatusOr<std::shared_ptr<const Engine>> CompileDirectory(
      std::string_view dir, const CompileOptions& options = {});
  // Loads a file written by Save(). A wrong magic, format version, platform
  // or checksum is InvalidArgument/FailedPrecondition, never UB.
  static absl::StatusOr<std::shared_ptr<const Engine>> Load(
      std::string_view path);
  static absl::StatusOr<std::shared_ptr<const Engine>> Deserialize(
      std::string_view bytes);
  // The engine built from dictionaries/ru at build time and embedded in the
  // library. The first call deserializes it (milliseconds); later calls
  // return the same engine.
  static absl::StatusOr<std::shared_ptr<const Engine>> Default();

  ~Engine();

  absl::StatusOr<std::string> Serialize() const;
  absl::Status Save(std::string_view path) const;

  std::unique_ptr<Scratch> NewScratch() const;

  // Classifies `text` (any bytes) into `*out` (cleared first).
  void Classify(std::string_view text, Scratch& scratch, Verdict* out,
                const ClassifyOptions& options = {}) const;
  Verdict Classify(std::string_view text, Scratch& scratch) const;

  Explanation Explain(std::string_view text) const;

  const Normalizer& normalizer() const;
  // Number of compiled rules (dictionary entries, exceptions included).
  size_t rule_count() const;
  // Number of Hyperscan patterns after inflection expansion.
  size_t pattern_count() const;
  // Dictionary::content_hash() of the sources.
  uint64_t content_hash() const;
  // All dictionary entries (id, category, kind, ...), in source order.
  const std::vector<Entry>& entries() const;

  struct Rep;
  const Rep& rep() const { return *rep_; }

 private:
  explicit Engine(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Library version, "MAJOR.MINOR.PATCH".
std::string_view Version();

}  // namespace rumod

#endif  // RUMOD_ENGINE_H_
