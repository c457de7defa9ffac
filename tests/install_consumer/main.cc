// Classifies one comment with the embedded default engine; exit 0 when the
// verdict is the expected one.
#include <iostream>

#include "rumod/engine.h"

int main() {
  auto engine = rumod::Engine::Default();
  if (!engine.ok()) {
    std::cerr << engine.status() << "\n";
    return 1;
  }
  auto scratch = (*engine)->NewScratch();
  rumod::Verdict v = (*engine)->Classify("ну ты и дебил", *scratch);
  std::cout << (v.Has(rumod::Category::kInsult) ? "insult" : "clean") << "\n";
  return v.Has(rumod::Category::kInsult) ? 0 : 1;
}
