// SpamTracker (issue 3): a synthetic stream written for this test replays
// ordinary comments, a duplicate burst from many accounts (with homoglyph
// swaps and small edits), and a flooding author; checks the decisions, the
// time window, the memory bound, thread safety and every invalid option.
#include "rumod/spam_tracker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rumod/clock.h"
#include "rumod/engine.h"

namespace rumod {
namespace {

std::shared_ptr<const Engine> DefaultEngine() {
  static auto* e = [] {
    auto r = Engine::Default();
    EXPECT_TRUE(r.ok()) << r.status();
    return new std::shared_ptr<const Engine>(*r);
  }();
  return *e;
}

// Deterministic ordinary comments: 9 words drawn from a small vocabulary by
// a fixed LCG, so no two are near-duplicates.
std::string Ordinary(uint32_t i) {
  static const char* kWords[] = {
      "дорогу",   "опять",    "не",       "почистили", "во",      "дворе",    "на",
      "улице",    "Мира",     "когда",    "починят",   "свет",    "школа",    "детский",
      "сад",      "автобус",  "номер",    "пять",      "ходит",   "редко",    "спасибо",
      "за",       "ремонт",   "парка",    "вода",      "холодная", "в",       "подъезде",
      "мусор",    "вывезли",  "поздно",   "вечером",   "зимой",   "летом",    "граждане",
      "жалуются", "на",       "шум",      "стройки",   "около",   "больницы", "поликлиника",
      "запись",   "к",        "врачу",    "через",     "сайт",    "очереди",  "большие",
      "тротуар",  "узкий",    "машины",   "паркуются", "газон",   "яма",      "асфальт",
      "новый",    "старый",   "мост",     "река",      "пляж",    "чистый",
      "лестница", "крыша",    "протекает", "отопление", "батареи", "холодно", "управляющая",
      "компания", "молчит",   "фонари",   "горят",     "днём",    "ночью",    "темно",
      "собаки",   "бродячие", "лают",     "площадка",  "качели",  "сломаны",  "депутат",
      "обещал",   "приехать", "маршрутка", "опаздывает", "рынок",  "закрыли",  "магазин",
      "аптека",   "почта",    "библиотека", "стадион",  "каток",   "лыжня",    "снег",
      "лёд",      "сосульки", "субботник", "деревья",   "клумбы",  "ливнёвка", "лужи"};
  constexpr uint32_t n = sizeof(kWords) / sizeof(kWords[0]);
  uint32_t x = i * 2654435761u + 12345u;
  std::string out;
  for (int k = 0; k < 9; ++k) {
    x = x * 1664525u + 1013904223u;
    if (!out.empty()) out += ' ';
    out += kWords[(x >> 8) % n];
  }
  out += " #" + std::to_string(i);
  return out;
}

// The burst: one lure, varied per account the way mailings vary it.
std::string LureVariant(int i) {
  switch (i % 5) {
    case 0: return "Нужны люди на удалённую подработку, от 5000р в день, пишите в ЛС";
    case 1: return "Нужны люди на yдалённую пoдработку, от 5000р в день, пишите в ЛС!!";  // Latin look-alikes
    case 2: return "НУЖНЫ ЛЮДИ на удаленную подработку от 5000 р в день пишите в лс 🔥";
    case 3: return "Нужны люди на удалённую подработку, от 6000р в день, пишите в ЛС";   // one edit
    default: return "Срочно! Нужны люди на удалённую подработку, от 5000р в день, пишите в личку";
  }
}

class SpamTrackerTest : public ::testing::Test {
 protected:
  FakeClock clock_;
  SpamTrackerOptions Opts() {
    SpamTrackerOptions o;
    o.clock = &clock_;
    return o;
  }
  std::unique_ptr<SpamTracker> Make(const SpamTrackerOptions& o) {
    auto t = SpamTracker::Create(DefaultEngine(), o);
    EXPECT_TRUE(t.ok()) << t.status();
    return t.ok() ? std::move(*t) : nullptr;
  }
};

TEST_F(SpamTrackerTest, ReplayedStream) {
  auto tr = Make(Opts());
  ASSERT_TRUE(tr);
  // 1) An hour of ordinary traffic: 240 comments from 120 authors, one every
  //    15 s. Nothing is a duplicate; nobody floods.
  for (uint32_t i = 0; i < 240; ++i) {
    SpamObservation o = tr->Observe("citizen" + std::to_string(i % 120), Ordinary(i));
    EXPECT_FALSE(o.duplicate) << i << ": " << Ordinary(i);
    EXPECT_FALSE(o.flood) << i;
    clock_.Advance(absl::Seconds(15));
  }
  // 2) A burst: 30 fresh accounts post variants of one lure within 5 minutes,
  //    interleaved with ordinary comments.
  int flagged = 0;
  for (int i = 0; i < 30; ++i) {
    SpamObservation o = tr->Observe("bot" + std::to_string(i), LureVariant(i));
    EXPECT_TRUE(o.fingerprinted);
    if (i >= 2) {
      EXPECT_TRUE(o.duplicate) << "variant " << i << " similar=" << o.similar;
      EXPECT_GE(o.similar_authors, 2);
    }
    flagged += o.duplicate;
    EXPECT_FALSE(o.flood);
    EXPECT_FALSE(tr->Observe("citizen" + std::to_string(i), Ordinary(1000 + i)).duplicate);
    clock_.Advance(absl::Seconds(10));
  }
  EXPECT_GE(flagged, 28);
  // 3) A flooding author: 10 different comments in 30 seconds; the 6th and
  //    later exceed 5 per minute.
  for (int i = 0; i < 10; ++i) {
    SpamObservation o = tr->Observe("flooder", Ordinary(5000 + i));
    EXPECT_EQ(o.flood, i >= 5) << i;
    EXPECT_EQ(o.author_recent, i + 1);
    clock_.Advance(absl::Seconds(3));
  }
  // 4) After the window the lure starts from scratch, and the flooder calms.
  clock_.Advance(absl::Minutes(31));
  SpamObservation o = tr->Observe("bot99", LureVariant(0));
  EXPECT_FALSE(o.duplicate);
  EXPECT_EQ(o.similar, 1);
  EXPECT_FALSE(tr->Observe("flooder", Ordinary(6000)).flood);
}

TEST_F(SpamTrackerTest, SameAuthorRepeatingOnManyPosts) {
  auto tr = Make(Opts());
  ASSERT_TRUE(tr);
  const std::string lure = "Заработок на крипте без вложений, подробности у меня в профиле";
  for (int i = 0; i < 4; ++i) {
    SpamObservation o = tr->Observe("one", lure, clock_.Now() + absl::Minutes(5 * i));
    EXPECT_EQ(o.duplicate, i >= 2);
    EXPECT_EQ(o.similar_authors, 1);
  }
}

TEST_F(SpamTrackerTest, ShortCommentsAreNotCompared) {
  auto tr = Make(Opts());
  ASSERT_TRUE(tr);
  for (int i = 0; i < 20; ++i) {
    SpamObservation o = tr->Observe("u" + std::to_string(i), "Спасибо, согласен!");
    EXPECT_FALSE(o.fingerprinted);
    EXPECT_FALSE(o.duplicate);
  }
}

TEST_F(SpamTrackerTest, MemoryIsBounded) {
  SpamTrackerOptions opt = Opts();
  opt.max_buckets = 600;
  opt.max_authors = 100;
  auto tr = Make(opt);
  ASSERT_TRUE(tr);
  size_t peak = 0;
  for (uint32_t i = 0; i < 20000; ++i) {
    tr->Observe("a" + std::to_string(i), Ordinary(i));
    clock_.Advance(absl::Milliseconds(50));
    ASSERT_LE(tr->bucket_count(), 600u);
    ASSERT_LE(tr->author_count(), 100u);
    if (i % 1000 == 0) peak = std::max(peak, tr->MemoryBytes());
  }
  peak = std::max(peak, tr->MemoryBytes());
  // ~400 B per bucket, ~300 B per author plus hash-table slack.
  EXPECT_LT(peak, 600u * 700 + 100u * 700 + 64 * 1024);
  // Still working after heavy eviction: a fresh burst is detected.
  for (int i = 0; i < 3; ++i) {
    SpamObservation o = tr->Observe("b" + std::to_string(i), LureVariant(i));
    EXPECT_EQ(o.duplicate, i == 2);
  }
}

// One far-future time (milliseconds passed as seconds) or a clock stepped
// back must not blind the tracker: it used to evict by the latest time seen,
// so every later entry looked expired at once.
TEST_F(SpamTrackerTest, FarFutureTimeOrClockStepBackDoesNotBlindIt) {
  for (bool step_back : {false, true}) {
    SpamTrackerOptions o = Opts();
    o.max_authors = 2;
    auto tr = Make(o);
    ASSERT_TRUE(tr);
    if (step_back) {
      tr->Observe("x", Ordinary(1));
      clock_.Advance(-absl::Hours(1));
    } else {
      tr->Observe("x", Ordinary(1), absl::FromUnixSeconds(1767225600000));  // ms as s
    }
    for (int i = 0; i < 6; ++i) {
      SpamObservation ob = tr->Observe("u" + std::to_string(i), LureVariant(0));
      EXPECT_EQ(ob.similar, i + 1) << step_back << " " << i;
    }
    for (int i = 0; i < 8; ++i)
      EXPECT_EQ(tr->Observe("f", Ordinary(7000 + i)).author_recent, i + 1) << step_back;
  }
}

TEST_F(SpamTrackerTest, ExpiryByTimeShrinksTables) {
  auto tr = Make(Opts());
  ASSERT_TRUE(tr);
  for (uint32_t i = 0; i < 100; ++i) tr->Observe("a" + std::to_string(i), Ordinary(i));
  EXPECT_GT(tr->bucket_count(), 0u);
  clock_.Advance(absl::Hours(2));
  tr->Observe("late", "коротко");
  EXPECT_EQ(tr->bucket_count(), 0u);
  EXPECT_EQ(tr->author_count(), 1u);
}

TEST_F(SpamTrackerTest, Deterministic) {
  auto run = [&] {
    FakeClock c;
    SpamTrackerOptions o;
    o.clock = &c;
    o.max_buckets = 300;
    auto tr = SpamTracker::Create(DefaultEngine(), o);
    std::string trace;
    for (int i = 0; i < 400; ++i) {
      SpamObservation ob = (*tr)->Observe("u" + std::to_string(i % 7),
                                          i % 4 ? Ordinary(i % 50) : LureVariant(i));
      trace += std::to_string(ob.similar) + (ob.flood ? "F" : "") + ",";
      c.Advance(absl::Seconds(2));
    }
    return trace;
  };
  EXPECT_EQ(run(), run());
}

TEST_F(SpamTrackerTest, ThreadSafe) {
  auto tr = Make(Opts());
  ASSERT_TRUE(tr);
  std::vector<std::thread> threads;
  std::atomic<int> dups{0};
  std::mutex mu;
  std::vector<std::string> ordinary_dups;  // guarded by mu
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        std::string who = "t" + std::to_string(t) + "_" + std::to_string(i);
        bool lure = i % 10 == 0;
        std::string text = lure ? LureVariant(0) : Ordinary(t * 1000 + i);
        SpamObservation o = tr->Observe(who, text);
        if (lure) dups += o.duplicate;
        else if (o.duplicate) {
          std::lock_guard<std::mutex> l(mu);
          ordinary_dups.push_back(text);  // reported below
        }
      }
    });
  for (auto& th : threads) th.join();
  // 200 copies of one lure in total: all but the first two are duplicates.
  EXPECT_EQ(dups.load(), 198);
  for (const std::string& t : ordinary_dups) ADD_FAILURE() << "ordinary flagged: " << t;
}

TEST(SpamTrackerOptionsTest, InvalidOptions) {
  auto e = DefaultEngine();
  auto bad = [&](auto mutate) {
    SpamTrackerOptions o;
    mutate(o);
    return SpamTracker::Create(e, o).status().code();
  };
  using absl::StatusCode;
  EXPECT_EQ(SpamTracker::Create(nullptr).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.window = absl::ZeroDuration(); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.flood_window = -absl::Seconds(1); }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.duplicate_threshold = 1; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.duplicate_threshold = 17; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.similarity = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.similarity = 1.5; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.flood_max = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.flood_max = 32; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.max_buckets = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.max_authors = 0; }), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& o) { o.clock = nullptr; }), StatusCode::kInvalidArgument);
  EXPECT_TRUE(SpamTracker::Create(e).ok());
}

}  // namespace
}  // namespace rumod
