// Helpers shared by the tests of the default dictionaries (the engine
// embedded at build time). Tests that use them link `rumod` (tests/CMakeLists
// looks for "DefaultEngine" in the test source).
#ifndef RUMOD_TESTS_DEFAULT_ENGINE_UTIL_H_
#define RUMOD_TESTS_DEFAULT_ENGINE_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "rumod/engine.h"

namespace rumod::testing_util {

// Classifies `text` with the embedded default engine (loaded once).
inline Verdict ClassifyWithDefaultEngine(const std::string& text) {
  static auto engine = Engine::Default();
  EXPECT_TRUE(engine.ok()) << engine.status();
  auto scratch = (*engine)->NewScratch();
  return (*engine)->Classify(text, *scratch);
}

inline bool HasLabel(const Verdict& v, Category c) {
  return std::find(v.labels.begin(), v.labels.end(), c) != v.labels.end();
}

// True when the default engine gives `text` the label `c`.
inline bool DefaultLabels(const std::string& text, Category c) {
  return HasLabel(ClassifyWithDefaultEngine(text), c);
}

inline bool HasTrait(const Verdict& v, Trait t) {
  return std::find(v.traits.begin(), v.traits.end(), t) != v.traits.end();
}

inline bool HasRule(const Verdict& v, const std::string& rule) {
  return std::any_of(v.matches.begin(), v.matches.end(),
                     [&](const Match& m) { return m.rule_id == rule; });
}

}  // namespace rumod::testing_util

#endif  // RUMOD_TESTS_DEFAULT_ENGINE_UTIL_H_
