// Accuracy gates on the evaluation data in ../shared/data (read at run time,
// never copied into the project). Every test skips cleanly when the data is
// absent (a user's clone). The thresholds are regression gates at or just
// below the figures measured in docs/accuracy.md; raise them when accuracy
// improves.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "rumod/engine.h"

namespace rumod {
namespace {

const std::string kData = RUMOD_SHARED_DIR "/data";

struct Row {
  std::string text;
  std::set<std::string> labels;
  std::string lemma;
};

std::vector<Row> Load(const std::string& rel) {
  std::vector<Row> rows;
  std::ifstream f(kData + "/" + rel);
  std::string line;
  while (std::getline(f, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("text")) continue;
    Row r;
    r.text = j["text"];
    for (const auto& l : j["labels"]) r.labels.insert(l.get<std::string>());
    if (j.contains("raw") && j["raw"].contains("lemma") && j["raw"]["lemma"].is_string())
      r.lemma = j["raw"]["lemma"];
    rows.push_back(std::move(r));
  }
  return rows;
}

#define REQUIRE_DATA(rel)                                                   \
  if (!std::filesystem::exists(kData + "/" + (rel)))                        \
  GTEST_SKIP() << "evaluation data absent: " << (rel)

struct PR {
  double precision, recall;
};

PR Measure(const std::vector<Row>& rows, Category c) {
  auto engine = *Engine::Default();
  auto s = engine->NewScratch();
  size_t tp = 0, fp = 0, fn = 0;
  std::string name(CategoryName(c));
  for (const Row& r : rows) {
    bool gold = r.labels.count(name) > 0;
    bool pred = engine->Classify(r.text, *s).Has(c);
    tp += gold && pred;
    fp += !gold && pred;
    fn += gold && !pred;
  }
  return {tp + fp ? double(tp) / (tp + fp) : 0, tp + fn ? double(tp) / (tp + fn) : 0};
}

TEST(AccuracyTest, GoldProfanity) {
  REQUIRE_DATA("gold/dev.jsonl");
  PR pr = Measure(Load("gold/dev.jsonl"), Category::kProfanity);
  EXPECT_GE(pr.precision, 0.97);  // issue 2 target
  EXPECT_GE(pr.recall, 0.95);     // issue 2 target
}

TEST(AccuracyTest, GoldInsult) {
  REQUIRE_DATA("gold/dev.jsonl");
  PR pr = Measure(Load("gold/dev.jsonl"), Category::kInsult);
  EXPECT_GE(pr.precision, 0.85);  // issue 2 target
  EXPECT_GE(pr.recall, 0.75);     // issue 2 target (0.761 measured: 143/188)
}

TEST(AccuracyTest, GoldSpam) {
  REQUIRE_DATA("gold/dev.jsonl");
  PR pr = Measure(Load("gold/dev.jsonl"), Category::kSpam);
  EXPECT_GE(pr.precision, 0.95);  // issue 3 target
  EXPECT_GE(pr.recall, 0.90);     // issue 3 target
}

// Issue 3: tg_antispambot_spam recall >= 0.85 (every row is spam).
TEST(AccuracyTest, AntispambotSpamRecall) {
  REQUIRE_DATA("tg_antispambot_spam/data.jsonl");
  PR pr = Measure(Load("tg_antispambot_spam/data.jsonl"), Category::kSpam);
  EXPECT_GE(pr.recall, 0.85);
}

// Issue 3: citizens' discussion (kaggle_2ch_pikabu rows without a toxic
// label) is rarely spam; regression gate at 0.5% (29/9586 = 0.30% now).
TEST(AccuracyTest, DiscussionIsRarelySpam) {
  REQUIRE_DATA("kaggle_2ch_pikabu/data.jsonl");
  auto engine = *Engine::Default();
  auto s = engine->NewScratch();
  size_t n = 0, flagged = 0;
  for (const Row& r : Load("kaggle_2ch_pikabu/data.jsonl")) {
    if (!r.labels.empty()) continue;
    ++n;
    flagged += engine->Classify(r.text, *s).Has(Category::kSpam);
  }
  ASSERT_GT(n, 5000u);
  EXPECT_LE(double(flagged) / n, 0.005) << flagged << " of " << n;
}

TEST(AccuracyTest, DetoxNeutralRewritesAreRarelyProfanity) {
  REQUIRE_DATA("russe_detox_2022/data.jsonl");
  auto engine = *Engine::Default();
  auto s = engine->NewScratch();
  size_t n = 0, flagged = 0;
  for (const Row& r : Load("russe_detox_2022/data.jsonl")) {
    if (!r.labels.count("neutral_comment")) continue;
    ++n;
    flagged += engine->Classify(r.text, *s).Has(Category::kProfanity);
  }
  ASSERT_GT(n, 1000u);
  EXPECT_LE(double(flagged) / n, 0.0005) << flagged << " of " << n;
}

TEST(AccuracyTest, EveryNpmBadWordFormIsProfanityExceptSukaAndNakh) {
  REQUIRE_DATA("lexicons/russian_bad_words_npm.jsonl");
  auto engine = *Engine::Default();
  auto s = engine->NewScratch();
  std::vector<std::string> missed;
  for (const Row& r : Load("lexicons/russian_bad_words_npm.jsonl")) {
    if (r.lemma == "сука" || r.lemma == "нах") continue;  // not obscene (CATEGORIES.md)
    if (!engine->Classify(r.text, *s).Has(Category::kProfanity)) missed.push_back(r.text);
  }
  EXPECT_TRUE(missed.empty()) << missed.size() << " missed, first: " << missed.front();
}

}  // namespace
}  // namespace rumod
