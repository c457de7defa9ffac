// Tests of the escalation policy and its file format, and of the policy
// driving a real store through time (FakeClock).
#include "rumod/policy.h"
#include "temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "rumod/blacklist.h"
#include "absl/strings/str_cat.h"
#include "rumod/clock.h"

namespace rumod {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01
constexpr absl::Duration kDay = absl::Hours(24);

Verdict V(Category c, float score = 1.0f, int matches = 1) {
  Verdict v;
  v.labels = {c};
  v.scores[static_cast<int>(c)] = score;
  for (int i = 0; i < matches; ++i) {
    Match m;
    m.rule_id = absl::StrCat("r", i);
    m.category = c;
    v.matches.push_back(m);
  }
  return v;
}

Violation Past(Category c, absl::Duration ago, Action a = Action::kDelete) {
  Violation v;
  v.comment = {"vk", "1", "a", "x", kNow - ago};
  v.categories = {c};
  v.action = a;
  return v;
}

Ban PastBan(absl::Duration ago, absl::Duration term) {
  Ban b;
  b.start = kNow - ago;
  b.end = b.start + term;
  return b;
}

std::string Reasons(const Decision& d) {
  std::string s;
  for (const auto& r : d.reasons) s += r + " | ";
  return s;
}

// ------------------------------------------------- escalation per category

class EscalationTest : public ::testing::TestWithParam<Category> {};

TEST_P(EscalationTest, DeleteThenBanLadder) {
  const Category c = GetParam();
  Policy p;
  AuthorHistory h;
  // 1st violation: delete.
  Decision d = p.Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kDelete) << Reasons(d);
  EXPECT_EQ(d.basis, c);
  EXPECT_FALSE(d.ban_until.has_value());
  // 2nd within 30 days: ban 7 days.
  h.violations = {Past(c, 3 * kDay)};
  d = p.Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kBan) << Reasons(d);
  ASSERT_TRUE(d.ban_until.has_value());
  EXPECT_EQ(*d.ban_until, kNow + 7 * kDay);
  EXPECT_THAT(Reasons(d), HasSubstr("2nd violation within 30d"));
  // After a first ban: 30 days.
  h.bans = {PastBan(10 * kDay, 7 * kDay)};
  d = p.Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kBan);
  EXPECT_EQ(*d.ban_until, kNow + 30 * kDay);
  // After two bans: permanent (and it stays there).
  h.bans.push_back(PastBan(60 * kDay, 30 * kDay));
  d = p.Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kBan);
  EXPECT_FALSE(d.ban_until.has_value());
  h.bans.push_back(PastBan(100 * kDay, 30 * kDay));
  EXPECT_FALSE(p.Decide(V(c), h, kNow).ban_until.has_value());
}

TEST_P(EscalationTest, RepeatOutsideWindowIsFirstAgain) {
  const Category c = GetParam();
  AuthorHistory h;
  h.violations = {Past(c, 31 * kDay), Past(c, 45 * kDay)};
  Decision d = Policy().Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kDelete) << Reasons(d);
}

TEST_P(EscalationTest, ReviewsAndKeptCommentsAreNotStrikes) {
  const Category c = GetParam();
  AuthorHistory h;
  h.violations = {Past(c, kDay, Action::kReview), Past(c, kDay, Action::kKeep)};
  // Spam bursts count every spam comment; use an old-enough pair for spam.
  if (c == Category::kSpam) {
    h.violations = {Past(c, 2 * kDay, Action::kReview),
                    Past(c, 2 * kDay, Action::kKeep)};
  }
  EXPECT_EQ(Policy().Decide(V(c), h, kNow).action, Action::kDelete);
}

TEST_P(EscalationTest, SingleBorderlineMatchNeverBans) {
  const Category c = GetParam();
  PolicyOptions o;
  o.categories[static_cast<int>(Category::kInsult)].review_below = 0;
  Policy p = *Policy::Create(o);
  AuthorHistory h;
  h.violations = {Past(c, 2 * kDay), Past(c, 3 * kDay)};
  Decision d = p.Decide(V(c, 0.6f, 1), h, kNow);
  EXPECT_EQ(d.action, Action::kDelete) << Reasons(d);
  EXPECT_THAT(Reasons(d), HasSubstr("single borderline match"));
  // Two matches make it a strike even at a modest score.
  EXPECT_EQ(p.Decide(V(c, 0.6f, 2), h, kNow).action, Action::kBan);
}

TEST_P(EscalationTest, ActiveBanMeansDeleteWithoutNewBan) {
  const Category c = GetParam();
  AuthorHistory h;
  h.violations = {Past(c, 2 * kDay), Past(c, 3 * kDay)};
  h.active_ban = PastBan(kDay, 7 * kDay);
  Decision d = Policy().Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kDelete);
  EXPECT_THAT(Reasons(d), HasSubstr("already banned"));
}

TEST_P(EscalationTest, DisabledCategoryIsKept) {
  const Category c = GetParam();
  PolicyOptions o;
  o.categories[static_cast<int>(c)].enabled = false;
  Decision d = Policy::Create(o)->Decide(V(c), {}, kNow);
  EXPECT_EQ(d.action, Action::kKeep);
  EXPECT_THAT(Reasons(d), HasSubstr("disabled"));
}

TEST_P(EscalationTest, ConfirmationTurnsBansIntoProposals) {
  const Category c = GetParam();
  PolicyOptions o;
  o.bans_need_confirmation = true;
  AuthorHistory h;
  h.violations = {Past(c, 2 * kDay)};
  Decision d = Policy::Create(o)->Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_TRUE(d.proposed_ban);
  EXPECT_EQ(*d.ban_until, kNow + 7 * kDay);
  // Per category: auto_ban = false.
  o = {};
  o.categories[static_cast<int>(c)].auto_ban = false;
  d = Policy::Create(o)->Decide(V(c), h, kNow);
  EXPECT_EQ(d.action, Action::kReview);
  EXPECT_TRUE(d.proposed_ban);
}

INSTANTIATE_TEST_SUITE_P(
    AllCategories, EscalationTest,
    ::testing::Values(Category::kSpam, Category::kProfanity, Category::kInsult,
                      Category::kHate, Category::kDiscrimination),
    [](const auto& info) { return std::string(CategoryName(info.param)); });

// -------------------------------------------------- category specific rules

TEST(PolicyTest, CleanIsKept) {
  Decision d = Policy().Decide(Verdict{}, {}, kNow);
  EXPECT_EQ(d.action, Action::kKeep);
}

TEST(PolicyTest, BorderlineInsultGoesToReviewNeverBan) {
  AuthorHistory h;
  for (int i = 1; i <= 5; ++i) h.violations.push_back(Past(Category::kInsult, i * kDay));
  Decision d = Policy().Decide(V(Category::kInsult, 0.5f, 3), h, kNow);
  EXPECT_EQ(d.action, Action::kReview) << Reasons(d);
  EXPECT_FALSE(d.proposed_ban);
  EXPECT_THAT(Reasons(d), HasSubstr("below review threshold 0.70"));
  // A clear insult escalates like the others.
  EXPECT_EQ(Policy().Decide(V(Category::kInsult, 0.95f), h, kNow).action,
            Action::kBan);
}

TEST(PolicyTest, SpamBurstBansAtOnce) {
  PolicyOptions o;
  o.categories[static_cast<int>(Category::kSpam)].ban_after = 10;
  Policy p = *Policy::Create(o);
  AuthorHistory h;
  h.violations = {Past(Category::kSpam, absl::Minutes(5), Action::kReview),
                  Past(Category::kSpam, absl::Minutes(20), Action::kReview)};
  Decision d = p.Decide(V(Category::kSpam), h, kNow);
  EXPECT_EQ(d.action, Action::kBan) << Reasons(d);
  EXPECT_THAT(Reasons(d), HasSubstr("spam burst: 3 spam comments within 1h"));
  EXPECT_EQ(*d.ban_until, kNow + 7 * kDay);
  // Spread over more than the burst window: no burst.
  h.violations[1] = Past(Category::kSpam, absl::Minutes(90), Action::kReview);
  EXPECT_EQ(p.Decide(V(Category::kSpam), h, kNow).action, Action::kDelete);
}

TEST(PolicyTest, MixedLabelsBanUnderTheGravestCategory) {
  Verdict v = V(Category::kSpam);
  v.labels = {Category::kSpam, Category::kHate};
  v.scores[static_cast<int>(Category::kHate)] = 1.0f;
  AuthorHistory h;
  h.violations = {Past(Category::kSpam, kDay)};
  Decision d = Policy().Decide(v, h, kNow);
  EXPECT_EQ(d.action, Action::kBan);
  EXPECT_EQ(d.basis, Category::kHate);
}

TEST(PolicyTest, BorderlineLabelNextToClearOneStillDeletes) {
  Verdict v = V(Category::kInsult, 0.4f);
  v.labels = {Category::kProfanity, Category::kInsult};
  v.scores[static_cast<int>(Category::kProfanity)] = 1.0f;
  Decision d = Policy().Decide(v, {}, kNow);
  EXPECT_EQ(d.action, Action::kDelete);
  EXPECT_EQ(d.basis, Category::kProfanity);
}

TEST(PolicyTest, LiftedByModeratorBansDoNotClimbTheLadder) {
  AuthorHistory h;
  h.violations = {Past(Category::kProfanity, kDay)};
  Ban b = PastBan(5 * kDay, 30 * kDay);
  b.lift = BanLift{kNow - 4 * kDay, "unban", "moderator:x", "mistake"};
  h.bans = {b};
  Decision d = Policy().Decide(V(Category::kProfanity), h, kNow);
  EXPECT_EQ(*d.ban_until, kNow + 7 * kDay);
  // Bans older than ban_memory are forgotten too.
  h.bans = {PastBan(400 * kDay, 7 * kDay)};
  EXPECT_EQ(*Policy().Decide(V(Category::kProfanity), h, kNow).ban_until,
            kNow + 7 * kDay);
}

TEST(PolicyTest, WindowsReachBackFromThePostingTime) {
  // Replaying comments from a month ago: both were posted 2 days apart.
  AuthorHistory h;
  h.violations = {Past(Category::kProfanity, 40 * kDay)};
  Decision d =
      Policy().Decide(V(Category::kProfanity), h, kNow, kNow - 38 * kDay);
  EXPECT_EQ(d.action, Action::kBan) << Reasons(d);
  EXPECT_EQ(*d.ban_until, kNow + 7 * kDay);  // the ban starts now
  // Judged at `now` alone, the earlier one is outside the window.
  EXPECT_EQ(Policy().Decide(V(Category::kProfanity), h, kNow).action,
            Action::kDelete);
  // A posting time in the future is capped at now.
  h.violations = {Past(Category::kProfanity, kDay)};
  EXPECT_EQ(Policy()
                .Decide(V(Category::kProfanity), h, kNow, kNow + 90 * kDay)
                .action,
            Action::kBan);
}

// -------------------------------------------------------------- validation

TEST(PolicyCreateTest, RejectsEachInvalidOption) {
  auto expect_bad = [](const PolicyOptions& o, const char* what) {
    EXPECT_EQ(Policy::Create(o).status().code(),
              absl::StatusCode::kInvalidArgument)
        << what;
  };
  PolicyOptions o;
  o.window = absl::ZeroDuration();
  expect_bad(o, "window");
  o = {};
  o.ban_memory = -kDay;
  expect_bad(o, "ban_memory");
  o = {};
  o.burst_window = absl::ZeroDuration();
  expect_bad(o, "burst_window");
  o = {};
  o.ban_ladder.clear();
  expect_bad(o, "empty ladder");
  o = {};
  o.ban_ladder = {absl::Seconds(-1)};
  expect_bad(o, "negative term");
  o = {};
  o.ban_ladder = {std::nullopt, kDay * 7};
  expect_bad(o, "a term after permanent");
  o = {};
  o.ban_ladder = {kDay * 36501};
  expect_bad(o, "a term over 100 years");
  o = {};
  o.categories[0].review_below = 1.5f;
  expect_bad(o, "review_below");
  o = {};
  o.categories[1].ban_min_score = -0.1f;
  expect_bad(o, "ban_min_score");
  o = {};
  o.categories[2].ban_after = 0;
  expect_bad(o, "ban_after");
  o = {};
  o.categories[3].min_matches_for_ban = 0;
  expect_bad(o, "min_matches_for_ban");
  o = {};
  o.categories[0].burst_count = -1;
  expect_bad(o, "burst_count");
  EXPECT_TRUE(Policy::Create(PolicyOptions{}).ok());
}

// -------------------------------------------------------------- file format

TEST(PolicyFileTest, ExampleFileEqualsDefaults) {
  auto p = Policy::LoadFile(std::string(RUMOD_SOURCE_DIR) + "/examples/policy.conf");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->ToText(), Policy().ToText());
}

TEST(PolicyFileTest, ParsesOverridesAndRoundTrips) {
  auto p = Policy::Parse(R"(
window = 14d
ban_ladder = 1d, 3d, 30d, permanent   # four steps
bans_need_confirmation = yes
[default]
ban_after = 3
[hate]
ban_after = 1
review_below = 0.5
[spam]
burst_count = 5
)");
  ASSERT_TRUE(p.ok()) << p.status();
  const PolicyOptions& o = p->options();
  EXPECT_EQ(o.window, 14 * kDay);
  ASSERT_EQ(o.ban_ladder.size(), 4u);
  EXPECT_EQ(o.ban_ladder[0], kDay);
  EXPECT_FALSE(o.ban_ladder[3].has_value());
  EXPECT_TRUE(o.bans_need_confirmation);
  EXPECT_EQ(o.categories[static_cast<int>(Category::kHate)].ban_after, 1);
  EXPECT_EQ(o.categories[static_cast<int>(Category::kProfanity)].ban_after, 3);
  EXPECT_FLOAT_EQ(o.categories[static_cast<int>(Category::kHate)].review_below, 0.5f);
  EXPECT_EQ(o.categories[static_cast<int>(Category::kSpam)].burst_count, 5);
  auto again = Policy::Parse(p->ToText());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ToText(), p->ToText());
}

TEST(PolicyFileTest, ErrorsNameFileAndLine) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"window = 30\n", "pol.conf:1: bad duration '30'"},
      {"\n\nwindow = 3w\n", "pol.conf:3: bad duration '3w'"},
      {"colour = red\n", "pol.conf:1: unknown global key 'colour'"},
      {"[flood]\n", "pol.conf:1: unknown section [flood]"},
      {"[spam\n", "pol.conf:1: unterminated section header"},
      {"[spam]\n[spam]\n", "pol.conf:2: duplicate section [spam]"},
      {"[spam]\nban_after 2\n", "pol.conf:2: expected 'key = value'"},
      {"[spam]\nban_after = 0\n", "pol.conf:2: bad count '0'"},
      {"[insult]\nreview_below = 1.2\n", "pol.conf:2: bad score '1.2'"},
      // NaN would fail every comparison and so switch the threshold off.
      {"[insult]\nreview_below = nan\n", "pol.conf:2: bad score 'nan'"},
      {"[hate]\nban_min_score = NaN\n", "pol.conf:2: bad score 'NaN'"},
      {"[insult]\nreview_below = inf\n", "pol.conf:2: bad score 'inf'"},
      {"[insult]\nreview_below = 0x1p-1\n", "pol.conf:2: bad score '0x1p-1'"},
      {"[insult]\nreview_below = -0.1\n", "pol.conf:2: bad score '-0.1'"},
      {"[hate]\nauto_ban = maybe\n", "pol.conf:2: bad boolean 'maybe'"},
      {"[hate]\nwindow = 3d\n", "pol.conf:2: unknown category key 'window'"},
      {"window = permanent\n", "pol.conf:1: 'permanent' is not allowed here"},
      {"ban_ladder = 7d, 0d\n", "pol.conf:1: bad duration '0d'"},
      {" = 3\n", "pol.conf:1: empty key"},
  };
  for (const Case& c : cases) {
    auto p = Policy::Parse(c.text, "pol.conf");
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(c.expect)) << c.text;
  }
  EXPECT_EQ(Policy::LoadFile("/nonexistent/policy.conf").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(PolicyFileTest, Durations) {
  EXPECT_EQ(*ParsePolicyDuration("45s"), absl::Seconds(45));
  EXPECT_EQ(*ParsePolicyDuration(" 15m "), absl::Minutes(15));
  EXPECT_EQ(*ParsePolicyDuration("12h"), absl::Hours(12));
  EXPECT_FALSE(ParsePolicyDuration("permanent")->has_value());
  EXPECT_FALSE(ParsePolicyDuration("-1d").ok());
  EXPECT_FALSE(ParsePolicyDuration("d").ok());
  // Terms past any real date are errors (they gave year-273792727 timestamps).
  EXPECT_EQ(*ParsePolicyDuration("36500d"), absl::Hours(24 * 36500));
  EXPECT_FALSE(ParsePolicyDuration("36501d").ok());
  EXPECT_FALSE(ParsePolicyDuration("99999999999d").ok());
  EXPECT_FALSE(ParsePolicyDuration("999999999999999999s").ok());
  EXPECT_EQ(FormatPolicyDuration(absl::Hours(48)), "2d");
  EXPECT_EQ(FormatPolicyDuration(absl::Minutes(90)), "90m");
  EXPECT_EQ(FormatPolicyDuration(std::nullopt), "permanent");
}

// ------------------------------------------ policy + store through time

TEST(PolicyStoreTest, EscalatesThroughRecordedHistoryAndExpiry) {
  std::string dir = testing_util::FreshTempDir("rumod_pol");
  FakeClock clock(kNow);
  BlacklistStoreOptions so;
  so.clock = &clock;
  auto store = BlacklistStore::OpenSqlite(dir + "/bl.db", so);
  ASSERT_TRUE(store.ok()) << store.status();
  Policy policy;
  Verdict v = V(Category::kProfanity);
  int seq = 0;
  auto moderate = [&]() {
    CommentRef ref{"vk", "42", "777", absl::StrCat("c", seq++), clock.Now()};
    auto r = (*store)->DecideAndRecord(
        ViolationInput::FromVerdict(ref, "текст", v),
        [&](const AuthorHistory& h, absl::Time now) {
          return policy.Decide(v, h, now);
        });
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? r->decision : Decision{};
  };
  EXPECT_EQ(moderate().action, Action::kDelete);
  clock.Advance(kDay);
  Decision d = moderate();
  EXPECT_EQ(d.action, Action::kBan);
  EXPECT_EQ(*d.ban_until, clock.Now() + 7 * kDay);
  EXPECT_TRUE((*(*store)->ActiveBan("vk", "42", "777")).has_value());
  clock.Advance(8 * kDay);  // the 7-day ban has ended
  EXPECT_FALSE((*(*store)->ActiveBan("vk", "42", "777")).has_value());
  d = moderate();  // 3rd within 30 days, 2nd ban: 30 days
  EXPECT_EQ(d.action, Action::kBan) << Reasons(d);
  EXPECT_EQ(*d.ban_until, clock.Now() + 30 * kDay);
  EXPECT_EQ(*(*store)->RecordExpiredBans(), 1);
}

}  // namespace
}  // namespace rumod
