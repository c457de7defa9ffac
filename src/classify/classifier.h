// Rules -> Verdict: exceptions, masks, addressee context, scores
// (docs/classify.md).
#ifndef RUMOD_CLASSIFY_CLASSIFIER_H_
#define RUMOD_CLASSIFY_CLASSIFIER_H_

#include <hs/hs.h>

#include <string_view>
#include <vector>

#include "match/engine_rep.h"
#include "rumod/engine.h"

namespace rumod::internal {

// A raw Hyperscan (or mask) hit in one view, in view byte offsets.
struct RawHit {
  uint32_t rule = 0;
  uint32_t from = 0;  // view byte offset, inclusive
  uint32_t to = 0;    // view byte offset, exclusive
  uint8_t view = 0;   // 0 = text, 1 = translit
  // A name-calling word read from a masked word (FindMaskHits): an insult
  // only when aimed at a person.
  bool needs_aim = false;
};

// A regex hit by the main scan of a view whose hits need their starts
// from the regex's SOM database: the range of their end offsets.
struct SomRescan {
  uint32_t pattern = 0;
  uint32_t min_to = 0, max_to = 0;
};

// A hit after trimming, with its word range in its view.
struct Hit {
  uint32_t rule = 0;
  uint32_t b = 0, e = 0;  // view bytes [b, e)
  uint32_t w1 = 0, w2 = 0;  // first and last word index in the view
  uint8_t view = 0;
  bool needs_aim = false;  // RawHit::needs_aim
  bool suppressed = false;
  uint32_t suppressed_by = 0;
  // Combo hits: traits (bit per rumod::Trait) of the groups the rule covers,
  // inherited from its terms and from further hits of its tags nearby.
  uint16_t trait_bits = 0;
};

// Score of one hit by severity 1..3 (docs/classify.md).
float SeverityWeight(int severity);
// Added to an insult hit aimed at a person (addressee cue or vocative).
inline constexpr float kAimBonus = 0.35f;
// A category is decided when its score reaches this value.
inline constexpr float kDecisionThreshold = 0.5f;

// Does the masked word match `target` with '*' runs as wildcards?
// `word` holds view bytes of one word (no boundaries). Exposed for tests.
// At least two letters of the target must agree with real letters of the
// word; when the alignment starts inside the word (a root target not at the
// word's first letter), at least `min_real` (3 when a mask came from a dot
// run, which is as often an ellipsis between two words as a hidden letter:
// "ох...игнор" must not read as "хуи").
bool MaskMatches(std::string_view word, std::string_view target, MaskAnchor anchor,
                 int min_real = 2);

}  // namespace rumod::internal

namespace rumod {

struct Scratch::Rep {
  hs_scratch_t* hs = nullptr;
  const void* sized_for = nullptr;  // the Engine::Rep `hs` was allocated for
  NormalizedText norm;
  std::vector<internal::RawHit> raw;
  std::vector<internal::Hit> hits;
  std::vector<uint32_t> bounds[2];   // positions of ' ' in each view
  std::vector<uint8_t> bound_flags;  // text view: BoundaryFlags cache (classifier.cc)
  // Weight already scored per (rule, primary/also side): a rule counts once
  // per comment, however often it matches. Reset through `scored_touched`.
  std::vector<float> scored;
  std::vector<uint32_t> scored_touched;
  std::vector<internal::Hit> cues, exceptions;  // addressee cues, exception hits
  // Combo evaluation buffers (kept here so tagged comments do not allocate).
  std::vector<const internal::Hit*> combo_cand, combo_picked;
  std::vector<internal::Hit> combo_fired;
  // Regexes hit in the current view that need a start-of-match rescan.
  std::vector<internal::SomRescan> som_rescans;
  std::vector<uint32_t> som_slot;  // per regex: 1 + index in som_rescans, or 0
  // The windows of the current view over which digit_db was scanned.
  std::vector<std::pair<uint32_t, uint32_t>> digit_windows;
  ~Rep() {
    if (hs) hs_free_scratch(hs);
  }
};

}  // namespace rumod

namespace rumod::internal {

// Classifies `text` with `rep` into `out`; fills `explain` when non-null.
void ClassifyText(const Engine::Rep& rep, std::string_view text,
                  Scratch::Rep& s, Verdict* out, const ClassifyOptions& options,
                  Explanation* explain);

}  // namespace rumod::internal

#endif  // RUMOD_CLASSIFY_CLASSIFIER_H_
