#include "rumod/verdict.h"

#include <array>

namespace rumod {
namespace {
constexpr std::array<std::string_view, kNumCategories> kCategoryNames = {
    "spam", "profanity", "insult", "hate", "discrimination"};
constexpr std::array<std::string_view, kNumTraits> kTraitNames = {
    "sex",        "age",       "race", "nationality", "language", "religion",
    "profession", "residence", "work", "politics",    "other"};
}  // namespace

std::string_view CategoryName(Category c) {
  return kCategoryNames[static_cast<int>(c)];
}
std::string_view TraitName(Trait t) { return kTraitNames[static_cast<int>(t)]; }

std::optional<Category> ParseCategory(std::string_view name) {
  for (int i = 0; i < kNumCategories; ++i)
    if (kCategoryNames[i] == name) return static_cast<Category>(i);
  return std::nullopt;
}
std::optional<Trait> ParseTrait(std::string_view name) {
  for (int i = 0; i < kNumTraits; ++i)
    if (kTraitNames[i] == name) return static_cast<Trait>(i);
  return std::nullopt;
}

void Verdict::Clear() {
  labels.clear();
  traits.clear();
  scores.fill(0.f);
  matches.clear();
  input_flags = 0;
  mixed_script_words = 0;
}

}  // namespace rumod
