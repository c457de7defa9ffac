// rumod/verdict.h — the result of classifying one comment.
//
//   rumod::Verdict v = engine->Classify(text, *scratch);
//   if (v.Has(rumod::Category::kProfanity)) { ... }
//   for (const rumod::Match& m : v.matches)
//     std::cout << m.rule_id << " " << text.substr(m.begin, m.end - m.begin);
//
// Labels and traits follow CATEGORIES.md (clause 8 of the municipal order on
// official pages). A Verdict is a plain value: copyable, movable, not
// synchronised (thread-compatible).
#ifndef RUMOD_VERDICT_H_
#define RUMOD_VERDICT_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rumod {

// The five clause 8 categories. The numeric values index Verdict::scores and
// are part of the serialized engine format: append only.
enum class Category : uint8_t {
  kSpam = 0,
  kProfanity = 1,
  kInsult = 2,
  kHate = 3,
  kDiscrimination = 4,
};
inline constexpr int kNumCategories = 5;

// Protected traits (CATEGORIES.md). `kOther` records a group outside the
// clause 8 list (e.g. sexual orientation) and never makes a comment
// `discrimination` by itself. Append only (serialized).
enum class Trait : uint8_t {
  kSex = 0,
  kAge,
  kRace,
  kNationality,
  kLanguage,
  kReligion,
  kProfession,
  kResidence,
  kWork,
  kPolitics,
  kOther,
};
inline constexpr int kNumTraits = 11;

// Spec names: "spam", "profanity", "insult", "hate", "discrimination".
std::string_view CategoryName(Category c);
// Spec names: "sex", "age", "race", "nationality", "language", "religion",
// "profession", "residence", "work", "politics", "other".
std::string_view TraitName(Trait t);
// Inverse of CategoryName / TraitName; nullopt for an unknown name.
std::optional<Category> ParseCategory(std::string_view name);
std::optional<Trait> ParseTrait(std::string_view name);

// One rule hit, located in the caller's ORIGINAL text.
struct Match {
  std::string rule_id;               // stable dictionary id, e.g. "prof.khuy"
  Category category = Category::kProfanity;
  std::optional<Trait> trait;        // for discrimination/hate rules
  uint32_t begin = 0;                // byte offset into the original text
  uint32_t end = 0;                  // one past the last byte (original text)
  std::string form;                  // the matched normalized form, UTF-8
  std::string view;                  // normalized view it was found in: "text" or "translit"
  float weight = 0;                  // contribution to the category score, 0..1
  bool aimed = false;                // insult cue: aimed at the addressee/person
};

// Flags describing the input (bitmask in Verdict::input_flags).
enum InputFlag : uint32_t {
  kInputInvalidUtf8 = 1u << 0,     // invalid bytes were replaced by U+FFFD
  kInputConfusables = 1u << 1,     // look-alike letters were mapped inside words
  kInputMasked = 1u << 2,          // masks (х*й) were seen inside words
  kInputSplitLetters = 1u << 3,    // spaced/dotted single letters were joined
  kInputStretched = 1u << 4,       // letter runs were collapsed
  kInputInvisible = 1u << 5,       // default-ignorable characters were removed
  kInputTruncated = 1u << 6,       // input longer than the engine limit; tail ignored
};

struct Verdict {
  // Categories whose decision is positive, in enum order. Empty == clean.
  std::vector<Category> labels;
  // Traits of the discrimination/hate matches that decided, in enum order.
  std::vector<Trait> traits;
  // Per-category score in [0, 1], indexed by Category. A category is in
  // `labels` iff its score >= the engine's threshold for it.
  std::array<float, kNumCategories> scores{};
  // Every rule hit that survived exceptions, ordered by (begin, end, rule_id).
  std::vector<Match> matches;
  // Bitmask of InputFlag.
  uint32_t input_flags = 0;
  // Number of words in which Latin/Greek/digit look-alikes were replaced
  // inside Cyrillic words (a spam signal on its own).
  uint32_t mixed_script_words = 0;

  bool Has(Category c) const {
    for (Category l : labels)
      if (l == c) return true;
    return false;
  }
  bool clean() const { return labels.empty(); }
  void Clear();
};

}  // namespace rumod

#endif  // RUMOD_VERDICT_H_
