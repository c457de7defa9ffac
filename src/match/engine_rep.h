// Internal representation of a compiled Engine and of a Scratch.
#ifndef RUMOD_MATCH_ENGINE_REP_H_
#define RUMOD_MATCH_ENGINE_REP_H_

#include <hs/hs.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "classify/links.h"
#include "dictionary/regex_info.h"
#include "rumod/dictionary.h"
#include "rumod/engine.h"
#include "rumod/normalizer.h"

namespace rumod::internal {

enum class PatternType : uint8_t { kLiteral = 0, kRegex = 1 };

// One Hyperscan expression; its Hyperscan id is its index in
// Engine::Rep::patterns.
struct CompiledPattern {
  std::string expr;       // compact-alphabet bytes (literal) or regex source
  uint32_t rule = 0;      // index into Engine::Rep::rules
  PatternType type = PatternType::kLiteral;
  // Spans of hits exclude boundary bytes (' ') at their edges.
};

// What a rule index means beyond the dictionary entries.
enum class RuleRole : uint8_t {
  kEntry = 0,      // an ordinary dictionary entry (category hit)
  kException = 1,  // an `except` entry
  kCue = 2,        // built-in addressee cue (ты, вы, тебя ...)
  kCombo = 3,      // a combo entry: evaluated over tagged hits, no pattern
};

// A combo rule resolved to tag bits.
struct Combo {
  uint32_t rule = 0;
  std::vector<uint8_t> required;  // tag ids of the positive terms, in order
  uint64_t positive = 0;          // tag bits of `required`
  uint64_t forbidden = 0;         // tag bits of the negated terms
  uint32_t window = 5;            // words
  bool ordered = false;
};

// What the classifier reads of an entry for each hit, packed: an Entry
// spans several cache lines (strings, vectors) and is read per hit, so the
// hot fields live here, copied from Engine::Rep::entries (DeriveRuleFacts).
struct RuleFacts {
  float weight = 0;  // Entry::weight, or the entry's severity weight when unset
  Category category = Category::kProfanity;
  std::optional<Category> also;
  std::optional<Trait> trait;
  Aim aim = Aim::kBoost;
  bool tag_only = false;
};

// A profanity form masks may hide (х*й, п**дец): matched against words that
// contain '*' with masks as wildcards (see classifier.cc).
enum class MaskAnchor : uint8_t {
  kAnywhere = 0,   // a root: anywhere inside the word
  kWholeWord = 1,  // a lemma/word form: must cover the whole word
  kWordStart = 2,  // an at=start root (with or without a prefix)
};
struct MaskTarget {
  std::string bytes;  // normalized form
  uint32_t rule = 0;
  MaskAnchor anchor = MaskAnchor::kAnywhere;
};

// Built-in addressee cues, appended after the dictionary entries as rules.
// Closed-class words: second/third person pronouns and "эй".
const std::vector<std::string>& AddresseeCues();

}  // namespace rumod::internal

namespace rumod {

struct Engine::Rep {
  std::vector<Entry> entries;  // rules [0, entries.size())
  std::vector<internal::RuleRole> roles;  // per rule (entries + cues)
  std::vector<std::string> cue_words;     // rules [entries.size(), ...)
  Normalizer normalizer;
  internal::DomainTable domains;  // domains.tsv: link kinds of spam signals
  std::vector<internal::CompiledPattern> patterns;
  std::vector<internal::MaskTarget> mask_targets;
  // Derived (DeriveMaskIndex): indices into mask_targets, ascending. A
  // whole-word or word-start target can only read a masked word whose first
  // letter is its own, or that starts with a mask; anywhere targets may
  // read any.
  std::array<std::vector<uint32_t>, 256> mask_by_first;
  std::vector<uint32_t> mask_anchored;  // every whole-word / word-start target
  std::vector<uint32_t> mask_anywhere;
  // Derived (not serialized): tag bits per rule and the resolved combos.
  std::vector<uint64_t> rule_tags;
  std::vector<internal::Combo> combos;
  // Derived: the hot fields of entries[i] (DeriveRuleFacts).
  std::vector<internal::RuleFacts> facts;
  // Derived: the distinct (positive, positive | forbidden) tag masks of the
  // combos, grouped by the lowest positive tag bit (64 lists), so "which
  // tags can a combo read with these tags present" reads only the lists of
  // the tags present (ComboReadTags in classifier.cc).
  struct ComboMasks {
    uint64_t positive = 0;
    uint64_t reads = 0;
    bool operator==(const ComboMasks&) const = default;
  };
  std::vector<std::vector<ComboMasks>> combo_masks_by_low_tag;
  // All patterns, without start-of-match tracking (SOM slows the whole
  // database down); literal hits get their start from their length.
  hs_database_t* db = nullptr;
  // One database per regex pattern, with HS_FLAG_SOM_LEFTMOST: scanned only
  // over views where `db` reported a hit of that regex, to recover the
  // starts of its hits. som_index[pattern] indexes som_dbs (-1: a literal).
  std::vector<hs_database_t*> som_dbs;
  std::vector<int32_t> som_index;
  // Derived (not serialized), parallel to som_dbs: each regex's width and
  // space facts. A regex whose matches have a fixed number of ' ' bytes and
  // begin with one needs no SOM scan at all (its start is that many spaces
  // back); a bounded one is rescanned only over the bytes its hits can span.
  std::vector<internal::RegexShape> regex_shapes;
  // Derived: every match of a `digit_db` pattern lies within this many bytes
  // of one of its digits (the longest run of non-digit bytes any of them can
  // match), so `digit_db` is scanned only over the windows of a view within
  // that distance of a digit; RegexShape::kUnbounded: the whole view.
  uint32_t digit_window = internal::RegexShape::kUnbounded;
  bool db_has_som = false;  // `db` itself tracks SOM (always false now)
  // The patterns that can only match a text with an ASCII digit (literals
  // with a digit, regexes per RegexAlwaysHasDigit: money amounts, phone
  // numbers), kept out of `db` and scanned only over views that contain a
  // digit (most comments have none). Null when no pattern needs a digit.
  hs_database_t* digit_db = nullptr;
  uint64_t content_hash = 0;

  explicit Rep(Normalizer n) : normalizer(std::move(n)) {}
  ~Rep() {
    if (db) hs_free_database(db);
    if (digit_db) hs_free_database(digit_db);
    for (hs_database_t* d : som_dbs) hs_free_database(d);
  }
  size_t rule_count() const { return roles.size(); }
};

}  // namespace rumod

namespace rumod::internal {

// Expands dictionary entries into Hyperscan patterns and mask targets
// (inflection via hunspell-ru). Errors name file:line and the entry id.
absl::Status BuildPatterns(const CompileOptions& options, Engine::Rep* rep);
// Compiles rep->patterns into rep->db and rep->digit_db (the patterns that
// need a digit) and each regex into rep->som_dbs.
// Errors name the offending rule.
absl::Status CompileDatabase(Engine::Rep* rep);
// Resolves tags and combo rules (rep->rule_tags, rep->combos). Errors: a
// combo term naming a tag no entry carries; more than 64 distinct tags.
absl::Status BuildCombos(Engine::Rep* rep);
// Fills rep->facts from rep->entries (classifier.cc: the weight of an
// entry without `weight=` is its severity weight there).
void DeriveRuleFacts(Engine::Rep* rep);
// Fills rep->mask_by_first, mask_anchored and mask_anywhere from
// rep->mask_targets.
void DeriveMaskIndex(Engine::Rep* rep);
// Grows `*scratch` (allocating it when null) for rep->db, rep->digit_db and
// rep->som_dbs.
// Fails only on allocation failure.
bool AllocScratch(const Engine::Rep& rep, hs_scratch_t** scratch);
// Fills rep->regex_shapes from the regex patterns (in som_index order) and
// rep->digit_window.
void DeriveRegexShapes(Engine::Rep* rep);

}  // namespace rumod::internal

#endif  // RUMOD_MATCH_ENGINE_REP_H_
