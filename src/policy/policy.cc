// Escalation policy and its configuration file.
#include "rumod/policy.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "blacklist/strutil.h"
#include "util/strings.h"

namespace rumod {

using internal::A;
using internal::S;
using internal::Split;
using internal::Strip;

std::array<CategoryPolicy, kNumCategories> PolicyOptions::DefaultCategories() {
  std::array<CategoryPolicy, kNumCategories> c{};
  c[static_cast<int>(Category::kSpam)].burst_count = 3;
  c[static_cast<int>(Category::kInsult)].review_below = 0.7f;
  return c;
}

absl::StatusOr<std::optional<absl::Duration>> ParsePolicyDuration(
    std::string_view s) {
  s = Strip(s);
  if (s == "permanent" || s == "forever") return std::nullopt;
  if (s.size() < 2)
    return absl::InvalidArgumentError(absl::StrCat("bad duration '", A(s), "'"));
  int64_t n = 0;
  if (!absl::SimpleAtoi(A(s.substr(0, s.size() - 1)), &n) || n <= 0)
    return absl::InvalidArgumentError(absl::StrCat(
        "bad duration '", A(s), "': want a positive number and d/h/m/s"));
  absl::Duration d;
  switch (s.back()) {
    case 'd': d = absl::Hours(24) * n; break;
    case 'h': d = absl::Hours(n); break;
    case 'm': d = absl::Minutes(n); break;
    case 's': d = absl::Seconds(n); break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("bad duration '", A(s), "': unit must be d, h, m or s"));
  }
  // A term past any real date would be written as an invalid timestamp.
  if (d > kMaxPolicyDuration)
    return absl::InvalidArgumentError(absl::StrCat(
        "bad duration '", A(s), "': over 100 years; use permanent"));
  return d;
}

std::string FormatPolicyDuration(std::optional<absl::Duration> d) {
  if (!d) return "permanent";
  int64_t s = absl::ToInt64Seconds(*d);
  if (s % 86400 == 0) return absl::StrCat(s / 86400, "d");
  if (s % 3600 == 0) return absl::StrCat(s / 3600, "h");
  if (s % 60 == 0) return absl::StrCat(s / 60, "m");
  return absl::StrCat(s, "s");
}

absl::StatusOr<Policy> Policy::Create(const PolicyOptions& o) {
  auto bad = [](std::string_view what) {
    return absl::InvalidArgumentError(absl::StrCat("policy: ", A(what)));
  };
  if (o.window <= absl::ZeroDuration()) return bad("window must be positive");
  if (o.ban_memory <= absl::ZeroDuration())
    return bad("ban_memory must be positive");
  if (o.burst_window <= absl::ZeroDuration())
    return bad("burst_window must be positive");
  if (o.ban_ladder.empty()) return bad("ban_ladder must not be empty");
  for (size_t i = 0; i < o.ban_ladder.size(); ++i) {
    const auto& d = o.ban_ladder[i];
    if (d && (*d <= absl::ZeroDuration() || *d > kMaxPolicyDuration))
      return bad("ban_ladder terms must be positive and at most 100 years");
    if (!d && i + 1 < o.ban_ladder.size())
      return bad("ban_ladder: permanent can only be the last term");
  }
  for (int i = 0; i < kNumCategories; ++i) {
    const CategoryPolicy& c = o.categories[i];
    std::string name(CategoryName(static_cast<Category>(i)));
    if (c.review_below < 0 || c.review_below > 1)
      return bad(name + ".review_below must be in [0, 1]");
    if (c.ban_min_score < 0 || c.ban_min_score > 1)
      return bad(name + ".ban_min_score must be in [0, 1]");
    if (c.ban_after < 1) return bad(name + ".ban_after must be >= 1");
    if (c.min_matches_for_ban < 1)
      return bad(name + ".min_matches_for_ban must be >= 1");
    if (c.burst_count < 0) return bad(name + ".burst_count must be >= 0");
  }
  return Policy(o);
}

namespace {

bool Removed(Action a) { return a == Action::kDelete || a == Action::kBan; }

bool HasCategory(const std::vector<Category>& cs, Category c) {
  return std::find(cs.begin(), cs.end(), c) != cs.end();
}

std::string Ordinal(int n) { return absl::StrCat(n, n == 1 ? "st" : n == 2 ? "nd" : n == 3 ? "rd" : "th"); }

std::string TimeText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

}  // namespace

Decision Policy::Decide(const Verdict& verdict, const AuthorHistory& history,
                        absl::Time now, absl::Time posted_at) const {
  const PolicyOptions& o = options_;
  // Reference point of the look-back windows.
  const absl::Time ref = std::min(posted_at, now);
  Decision d;
  if (verdict.labels.empty()) {
    d.action = Action::kKeep;
    d.reasons.push_back("clean");
    return d;
  }
  auto cp = [&](Category c) -> const CategoryPolicy& {
    return o.categories[static_cast<int>(c)];
  };
  auto score = [&](Category c) { return verdict.scores[static_cast<int>(c)]; };
  auto matches = [&](Category c) {
    int n = 0;
    for (const Match& m : verdict.matches) n += m.category == c;
    return n;
  };

  std::vector<Category> enabled, confident;
  for (Category c : verdict.labels) {
    if (!cp(c).enabled) {
      d.reasons.push_back(
          absl::StrCat(A(CategoryName(c)), ": disabled by policy"));
      continue;
    }
    enabled.push_back(c);
    if (score(c) < cp(c).review_below) {
      d.reasons.push_back(absl::StrFormat(
          "%s score %.2f below review threshold %.2f", CategoryName(c),
          score(c), cp(c).review_below));
    } else {
      confident.push_back(c);
    }
  }
  if (enabled.empty()) {
    d.action = Action::kKeep;
    return d;
  }
  if (confident.empty()) {
    d.action = Action::kReview;
    d.basis = PrimaryCategory(enabled);
    d.reasons.push_back("borderline: sent to a moderator");
    return d;
  }
  d.basis = PrimaryCategory(confident);
  for (Category c : confident)
    d.reasons.push_back(absl::StrFormat("%s score %.2f (%s)", CategoryName(c),
                                        score(c), LegalBasis(c)));
  d.action = Action::kDelete;

  if (history.active_ban && history.active_ban->ActiveAt(now)) {
    d.reasons.push_back(absl::StrCat(
        "author already banned until ",
        history.active_ban->end ? TimeText(*history.active_ban->end)
                                : std::string("permanent")));
    return d;
  }

  // Earlier removed violations within the escalation window.
  int prior = 0;
  for (const Violation& v : history.violations)
    if (Removed(v.action) && v.comment.created_at >= ref - o.window &&
        v.comment.created_at <= ref)
      ++prior;
  const int nth = prior + 1;
  d.reasons.push_back(absl::StrCat(Ordinal(nth), " violation within ",
                                   FormatPolicyDuration(o.window)));

  // Which categories call for a ban, and why.
  std::vector<Category> ban_for;
  std::vector<std::string> ban_why;
  bool weak_only = false;
  for (Category c : confident) {
    const CategoryPolicy& p = cp(c);
    // Spam burst: counts every recorded spam comment, removed or not.
    if (c == Category::kSpam && p.burst_count > 0) {
      int burst = 1;
      for (const Violation& v : history.violations)
        if (HasCategory(v.categories, Category::kSpam) &&
            v.comment.created_at >= ref - o.burst_window &&
            v.comment.created_at <= ref)
          ++burst;
      if (burst >= p.burst_count) {
        ban_for.push_back(c);
        ban_why.push_back(absl::StrCat("spam burst: ", burst,
                                       " spam comments within ",
                                       FormatPolicyDuration(o.burst_window)));
        continue;
      }
    }
    if (nth < p.ban_after) continue;
    const bool strong =
        score(c) >= p.ban_min_score || matches(c) >= p.min_matches_for_ban;
    if (!strong) {
      weak_only = true;
      continue;
    }
    ban_for.push_back(c);
    ban_why.push_back(absl::StrCat(A(CategoryName(c)), ": ", Ordinal(nth),
                                   " violation reaches ban_after=", p.ban_after));
  }
  if (ban_for.empty()) {
    if (weak_only)
      d.reasons.push_back(
          "no ban: a single borderline match never leads to a ban");
    return d;
  }
  for (std::string& w : ban_why) d.reasons.push_back(std::move(w));

  // Step on the ladder: earlier bans within ban_memory, except bans a
  // moderator lifted (a lifted ban may have been a mistake).
  int step = 0;
  for (const Ban& b : history.bans)
    if (b.start >= now - o.ban_memory && b.start <= now &&
        !(b.lift && b.lift->kind == "unban"))
      ++step;
  const int idx = std::min<int>(step, static_cast<int>(o.ban_ladder.size()) - 1);
  const std::optional<absl::Duration> term = o.ban_ladder[idx];
  d.basis = PrimaryCategory(ban_for);
  if (term) d.ban_until = now + *term;
  d.reasons.push_back(absl::StrCat("ban step ", idx + 1, " of ",
                                   o.ban_ladder.size(), ": ",
                                   FormatPolicyDuration(term)));
  bool allowed = true;
  for (Category c : ban_for) allowed = allowed && cp(c).auto_ban;
  if (!allowed || o.bans_need_confirmation) {
    d.action = Action::kReview;
    d.proposed_ban = true;
    d.reasons.push_back(o.bans_need_confirmation
                            ? "ban proposed: bans need a moderator's confirmation"
                            : "ban proposed: automatic bans disabled for this "
                              "category");
    return d;
  }
  d.action = Action::kBan;
  return d;
}

// ---------------------------------------------------------------- file format

namespace {

absl::Status ParseBool(std::string_view v, bool* out) {
  if (v == "true" || v == "yes" || v == "on" || v == "1") {
    *out = true;
    return absl::OkStatus();
  }
  if (v == "false" || v == "no" || v == "off" || v == "0") {
    *out = false;
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat("bad boolean '", A(v), "'"));
}

absl::Status ParseScore(std::string_view v, float* out) {
  double d;
  if (!internal::ParseUnitInterval(v, &d))
    return absl::InvalidArgumentError(
        absl::StrCat("bad score '", A(v), "': want a number in [0, 1]"));
  *out = static_cast<float>(d);
  return absl::OkStatus();
}

absl::Status ParseCount(std::string_view v, int min, int* out) {
  int n;
  if (!absl::SimpleAtoi(A(v), &n) || n < min)
    return absl::InvalidArgumentError(
        absl::StrCat("bad count '", A(v), "': want an integer >= ", min));
  *out = n;
  return absl::OkStatus();
}

absl::Status ParseRequiredDuration(std::string_view v, absl::Duration* out) {
  absl::StatusOr<std::optional<absl::Duration>> d = ParsePolicyDuration(v);
  if (!d.ok()) return d.status();
  if (!d->has_value())
    return absl::InvalidArgumentError("'permanent' is not allowed here");
  *out = **d;
  return absl::OkStatus();
}

absl::Status SetCategoryKey(CategoryPolicy* c, std::string_view key,
                            std::string_view v) {
  if (key == "enabled") return ParseBool(v, &c->enabled);
  if (key == "auto_ban") return ParseBool(v, &c->auto_ban);
  if (key == "review_below") return ParseScore(v, &c->review_below);
  if (key == "ban_min_score") return ParseScore(v, &c->ban_min_score);
  if (key == "min_matches_for_ban")
    return ParseCount(v, 1, &c->min_matches_for_ban);
  if (key == "ban_after") return ParseCount(v, 1, &c->ban_after);
  if (key == "burst_count") return ParseCount(v, 0, &c->burst_count);
  return absl::InvalidArgumentError(
      absl::StrCat("unknown category key '", A(key), "'"));
}

absl::Status SetGlobalKey(PolicyOptions* o, std::string_view key,
                          std::string_view v) {
  if (key == "window") return ParseRequiredDuration(v, &o->window);
  if (key == "ban_memory") return ParseRequiredDuration(v, &o->ban_memory);
  if (key == "burst_window") return ParseRequiredDuration(v, &o->burst_window);
  if (key == "bans_need_confirmation")
    return ParseBool(v, &o->bans_need_confirmation);
  if (key == "ban_ladder") {
    o->ban_ladder.clear();
    for (std::string_view part : Split(v, ',')) {
      absl::StatusOr<std::optional<absl::Duration>> d =
          ParsePolicyDuration(part);
      if (!d.ok()) return d.status();
      o->ban_ladder.push_back(*d);
    }
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown global key '", A(key), "'"));
}

}  // namespace

absl::StatusOr<Policy> Policy::Parse(std::string_view text,
                                     std::string_view file_name) {
  PolicyOptions o;
  struct Line {
    int number;
    std::string key, value;
  };
  // Section "" = global; "default" = all categories; else a category name.
  std::map<std::string, std::vector<Line>> sections;
  std::vector<std::string> order;
  std::string section;
  int number = 0;
  auto err = [&](int line, absl::string_view msg) {
    return absl::InvalidArgumentError(
        absl::StrCat(A(file_name), ":", line, ": ", msg));
  };
  for (std::string_view raw : Split(text, '\n')) {
    ++number;
    std::string_view line = raw;
    if (size_t hash = line.find('#'); hash != std::string_view::npos)
      line = line.substr(0, hash);
    line = Strip(line);
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') return err(number, "unterminated section header");
      section = std::string(
          Strip(line.substr(1, line.size() - 2)));
      if (section != "default" && !ParseCategory(section))
        return err(number,
                   absl::StrCat("unknown section [", section,
                                "]: want [default] or a category (spam, "
                                "profanity, insult, hate, discrimination)"));
      if (sections.count(section))
        return err(number, absl::StrCat("duplicate section [", section, "]"));
      sections[section];
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos)
      return err(number, "expected 'key = value'");
    std::string key(Strip(line.substr(0, eq)));
    std::string value(Strip(line.substr(eq + 1)));
    if (key.empty()) return err(number, "empty key");
    sections[section].push_back({number, key, value});
  }
  for (const Line& l : sections[""]) {
    if (absl::Status s = SetGlobalKey(&o, l.key, l.value); !s.ok())
      return err(l.number, s.message());
  }
  if (auto it = sections.find("default"); it != sections.end()) {
    for (const Line& l : it->second)
      for (CategoryPolicy& c : o.categories)
        if (absl::Status s = SetCategoryKey(&c, l.key, l.value); !s.ok())
          return err(l.number, s.message());
  }
  for (const auto& [name, lines] : sections) {
    if (name.empty() || name == "default") continue;
    CategoryPolicy& c = o.categories[static_cast<int>(*ParseCategory(name))];
    for (const Line& l : lines)
      if (absl::Status s = SetCategoryKey(&c, l.key, l.value); !s.ok())
        return err(l.number, s.message());
  }
  absl::StatusOr<Policy> p = Create(o);
  if (!p.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(A(file_name), ": ", p.status().message()));
  return p;
}

absl::StatusOr<Policy> Policy::LoadFile(std::string_view path) {
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in)
    return absl::NotFoundError(absl::StrCat("policy: cannot open ", A(path)));
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

std::string Policy::ToText() const {
  const PolicyOptions& o = options_;
  std::string out;
  absl::StrAppend(&out, "window = ", FormatPolicyDuration(o.window), "\n");
  std::vector<std::string> ladder;
  for (const auto& d : o.ban_ladder) ladder.push_back(FormatPolicyDuration(d));
  absl::StrAppend(&out, "ban_ladder = ", absl::StrJoin(ladder, ", "), "\n");
  absl::StrAppend(&out, "ban_memory = ", FormatPolicyDuration(o.ban_memory),
                  "\n");
  absl::StrAppend(&out, "burst_window = ",
                  FormatPolicyDuration(o.burst_window), "\n");
  absl::StrAppend(&out, "bans_need_confirmation = ",
                  o.bans_need_confirmation ? "true" : "false", "\n");
  for (int i = 0; i < kNumCategories; ++i) {
    const CategoryPolicy& c = o.categories[i];
    absl::StrAppend(&out, "\n[", A(CategoryName(static_cast<Category>(i))), "]\n");
    absl::StrAppend(&out, "enabled = ", c.enabled ? "true" : "false", "\n");
    absl::StrAppend(&out, "review_below = ", absl::StrFormat("%.3g", c.review_below), "\n");
    absl::StrAppend(&out, "ban_min_score = ", absl::StrFormat("%.3g", c.ban_min_score), "\n");
    absl::StrAppend(&out, "min_matches_for_ban = ", c.min_matches_for_ban, "\n");
    absl::StrAppend(&out, "ban_after = ", c.ban_after, "\n");
    absl::StrAppend(&out, "auto_ban = ", c.auto_ban ? "true" : "false", "\n");
    absl::StrAppend(&out, "burst_count = ", c.burst_count, "\n");
  }
  return out;
}

}  // namespace rumod
