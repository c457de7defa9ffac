// rumod moderate --db FILE [--policy FILE] [--engine FILE] [--batch N]
//                [--store-text] [INPUT|-]
// rumod blacklist SUBCOMMAND --db FILE ...   (rumod blacklist --help)
//
// moderate: reads comment JSONL ("id", "text", "platform", "page_id",
// "author_id", "created_at" as ISO 8601 / RFC 3339 or Unix seconds),
// classifies each comment, applies the escalation policy against the
// author's recorded history and records the decision, then prints one line
// per input: {"id", "action", "ban_until", "reasons", "labels", ...}. A line
// with a missing or malformed field yields {"line", "id"?, "error"} and the
// rest goes on. Decisions are committed in transactions of --batch lines
// (default 32) and printed after their commit. Exit 0 when every line was
// decided, 1 when some lines had errors (or the store failed), 2 on usage.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "cli/common.h"
#include "rumod/blacklist.h"
#include "rumod/engine.h"
#include "rumod/policy.h"
#include "util/strings.h"

namespace rumod::cli {
namespace {

using nlohmann::json;

std::string Iso(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string Msg(const absl::Status& s) {
  return std::string(s.message().data(), s.message().size());
}

int Fail(const absl::Status& s) {
  std::cerr << "rumod: " << Msg(s) << "\n";
  return 1;
}

int Usage(const std::string& msg) {
  std::cerr << "rumod: " << msg << " (see rumod blacklist --help)\n";
  return 2;
}

// ISO 8601 / RFC 3339 ("2026-01-01T10:00:00Z", "...+03:00", fractional
// seconds allowed, date-only allowed) or Unix seconds.
// Times outside years 1970..9999 are rejected: they cannot be a comment's
// posting time, and stored they would wrap or print as non-ISO text.
std::optional<absl::Time> InRange(absl::Time t) {
  static const absl::Time kMin = absl::UnixEpoch();
  static const absl::Time kMax = absl::FromCivil(absl::CivilSecond(9999, 12, 31, 23, 59, 59),
                                                 absl::UTCTimeZone());
  if (t < kMin || t > kMax) return std::nullopt;
  return t;
}

std::optional<absl::Time> ParseWhen(const json& v) {
  if (v.is_number_integer()) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t{INT64_MAX}) return std::nullopt;
    return InRange(absl::FromUnixSeconds(v.get<int64_t>()));
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || d < 0 || d > 253402300799.0) return std::nullopt;
    return InRange(absl::FromUnixMillis(static_cast<int64_t>(d * 1000)));
  }
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s.find('\0') != std::string::npos) return std::nullopt;
  int64_t secs;
  if (absl::SimpleAtoi(s, &secs)) return InRange(absl::FromUnixSeconds(secs));
  absl::Time t;
  std::string err;
  for (const char* fmt : {"%Y-%m-%d%ET%H:%M:%E*S%Ez", "%Y-%m-%d %H:%M:%E*S%Ez",
                          "%Y-%m-%d%ET%H:%M:%E*S", "%Y-%m-%d"}) {
    if (absl::ParseTime(fmt, s, absl::UTCTimeZone(), &t, &err)) return InRange(t);
  }
  return std::nullopt;
}

std::optional<absl::Time> ParseWhenText(const std::string& s) {
  return ParseWhen(json(s));
}

// A JSON id (string or integer) as text; nullopt otherwise.
std::optional<std::string> IdText(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (it->is_string()) {
    std::string s = it->get<std::string>();
    // Empty, or with a control character (the store refuses those, and one
    // bad id must not fail the other lines of its batch).
    if (s.empty() || rumod::internal::HasControlChar(s)) return std::nullopt;
    return s;
  }
  // Unsigned first: 18446744073709551615 read as int64_t would become -1,
  // another comment's or author's id.
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return std::nullopt;
}

json LabelsJson(const std::vector<Category>& cs) {
  json a = json::array();
  for (Category c : cs) a.push_back(std::string(CategoryName(c)));
  return a;
}

json DecisionJson(const Decision& d) {
  json j;
  j["action"] = std::string(ActionName(d.action));
  if (d.action == Action::kBan || d.proposed_ban)
    j["ban_until"] = d.ban_until ? json(Iso(*d.ban_until)) : json("permanent");
  else
    j["ban_until"] = nullptr;
  if (d.proposed_ban) j["proposed_ban"] = true;
  if (d.basis) {
    j["basis"] = std::string(CategoryName(*d.basis));
    j["legal_basis"] = std::string(LegalBasis(*d.basis));
    if (d.action == Action::kBan || d.proposed_ban)
      j["vk_reason"] = VkBanReason(*d.basis);
  }
  j["reasons"] = d.reasons;
  return j;
}

json BanJson(const Ban& b) {
  json j = {{"id", b.id},
            {"platform", b.platform},
            {"page_id", b.page_id},
            {"author_id", b.author_id},
            {"start", Iso(b.start)},
            {"end", b.end ? json(Iso(*b.end)) : json("permanent")},
            {"category", std::string(CategoryName(b.category))},
            {"vk_reason", b.vk_reason},
            {"reason", b.reason},
            {"actor", b.actor},
            {"violation_id", b.violation_id}};
  if (b.lift)
    j["lift"] = {{"at", Iso(b.lift->lifted_at)},
                 {"kind", b.lift->kind},
                 {"actor", b.lift->actor},
                 {"reason", b.lift->reason}};
  return j;
}

json ViolationJson(const Violation& v) {
  return {{"id", v.id},
          {"comment_id", v.comment.comment_id},
          {"created_at", Iso(v.comment.created_at)},
          {"recorded_at", Iso(v.recorded_at)},
          {"categories", LabelsJson(v.categories)},
          {"rule_ids", v.rule_ids},
          {"text_sha256", v.text_sha256},
          {"excerpt", v.excerpt},
          {"action", std::string(ActionName(v.action))},
          {"actor", v.actor},
          {"legal_basis", v.legal_basis},
          {"reasons", v.reasons}};
}

absl::StatusOr<std::unique_ptr<BlacklistStore>> OpenStore(const ArgParser& a,
                                                          bool create) {
  BlacklistStoreOptions o;
  o.create_if_missing = create;
  o.store_full_text = a.Has("--store-text");
  return BlacklistStore::OpenSqlite(*a.Value("--db"), o);
}

// ------------------------------------------------------------------ moderate

struct Pending {
  size_t line = 0;
  json id;
  Verdict verdict;
  ViolationInput input;
};

}  // namespace

int RunModerate(const Args& raw) {
  ArgParser a(raw, {"--db", "--policy", "--engine", "--batch"},
              {"--store-text", "--help", "-h"});
  if (!a.ok()) return Usage(a.error());
  if (a.Has("--help") || a.Has("-h")) {
    std::cout << "usage: rumod moderate --db FILE [--policy FILE] [--engine FILE]\n"
                 "                      [--batch N] [--store-text] [INPUT|-]\n"
                 "Reads comment JSONL (id, text, platform, page_id, author_id,\n"
                 "created_at), classifies, applies the policy, records every\n"
                 "decision and prints one decision object per line.\n";
    return 0;
  }
  if (!a.Value("--db")) return Usage("moderate needs --db FILE");
  if (a.positionals().size() > 1) return Usage("moderate takes one INPUT");
  int batch = 32;
  if (auto b = a.Value("--batch"); b && (!absl::SimpleAtoi(*b, &batch) || batch < 1))
    return Usage("--batch must be a positive integer");

  Policy policy;
  if (auto p = a.Value("--policy")) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(*p, ec))
      return Fail(absl::InvalidArgumentError(*p + ": not a regular policy file"));
    absl::StatusOr<Policy> loaded = Policy::LoadFile(*p);
    if (!loaded.ok()) return Fail(loaded.status());
    policy = *std::move(loaded);
  }
  std::shared_ptr<const Engine> engine = LoadEngine(a);
  if (!engine) return 1;
  auto store = OpenStore(a, true);
  if (!store.ok()) return Fail(store.status());
  std::unique_ptr<Scratch> scratch = engine->NewScratch();

  std::ifstream file;
  std::istream* in = &std::cin;
  if (!a.positionals().empty() && a.positionals()[0] != "-") {
    file.open(a.positionals()[0], std::ios::binary);
    if (!file) {
      std::cerr << "rumod: cannot open " << a.positionals()[0] << "\n";
      return 1;
    }
    in = &file;
  }

  bool any_error = false;
  std::vector<Pending> pending;
  // Output in input order: error lines wait for the batch before them.
  std::vector<std::pair<size_t, std::string>> out;
  auto emit = [&]() {
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [line, text] : out) std::cout << text << "\n";
    std::cout.flush();
    out.clear();
  };
  auto flush = [&]() -> bool {
    if (pending.empty()) {
      emit();
      return true;
    }
    std::vector<ViolationInput> inputs;
    inputs.reserve(pending.size());
    for (Pending& p : pending) inputs.push_back(std::move(p.input));
    absl::StatusOr<std::vector<RecordResult>> r = (*store)->DecideAndRecordBatch(
        inputs, [&](size_t i, const AuthorHistory& h, absl::Time now) {
          return policy.Decide(pending[i].verdict, h, now,
                               inputs[i].comment.created_at);
        });
    if (!r.ok()) {
      any_error = true;
      for (const Pending& p : pending) {
        json e = {{"line", p.line}, {"id", p.id}, {"error", Msg(r.status())}};
        out.emplace_back(p.line, Dump(e));
      }
    } else {
      for (size_t i = 0; i < pending.size(); ++i) {
        const Pending& p = pending[i];
        const RecordResult& rr = (*r)[i];
        json j = DecisionJson(rr.decision);
        j["id"] = p.id;
        j["labels"] = LabelsJson(p.verdict.labels);
        if (rr.violation_id) j["violation_id"] = rr.violation_id;
        if (rr.ban_id) j["ban_id"] = rr.ban_id;
        out.emplace_back(p.line, Dump(j));
      }
    }
    pending.clear();
    emit();
    return r.ok();
  };

  std::string line;
  size_t lineno = 0;
  while (std::getline(*in, line)) {
    ++lineno;
    std::string_view sv = line;
    while (!sv.empty() && (sv.back() == '\r' || sv.back() == ' ')) sv.remove_suffix(1);
    if (sv.empty()) continue;
    auto err = [&](const std::string& msg, const json* id) {
      any_error = true;
      json e = {{"line", lineno}};
      if (id) e["id"] = *id;
      e["error"] = msg;
      out.emplace_back(lineno, Dump(e));
    };
    json obj;
    if (std::string perr = ParseJsonLine(sv, &obj); !perr.empty()) {
      err(perr, nullptr);
      continue;
    }
    if (!obj.is_object()) {
      err("expected a JSON object", nullptr);
      continue;
    }
    const json* id = obj.contains("id") ? &obj["id"] : nullptr;
    std::optional<std::string> cid = IdText(obj, "id");
    std::optional<std::string> platform = IdText(obj, "platform");
    std::optional<std::string> page = IdText(obj, "page_id");
    std::optional<std::string> author = IdText(obj, "author_id");
    std::string missing;
    if (!cid) missing = "id";
    else if (!obj.contains("text") || !obj["text"].is_string()) missing = "text";
    else if (!platform) missing = "platform";
    else if (!page) missing = "page_id";
    else if (!author) missing = "author_id";
    else if (!obj.contains("created_at")) missing = "created_at";
    if (!missing.empty()) {
      err("missing or invalid \"" + missing + "\"", id);
      continue;
    }
    std::optional<absl::Time> when = ParseWhen(obj["created_at"]);
    if (!when) {
      err("\"created_at\" must be ISO 8601 or Unix seconds", id);
      continue;
    }
    Pending p;
    p.line = lineno;
    p.id = *id;
    const std::string& text = obj["text"].get_ref<const std::string&>();
    engine->Classify(text, *scratch, &p.verdict);
    p.input = ViolationInput::FromVerdict(
        CommentRef{*platform, *page, *author, *cid, *when}, text, p.verdict);
    pending.push_back(std::move(p));
    if (static_cast<int>(pending.size()) >= batch) flush();
  }
  flush();
  std::cout.flush();
  if (!std::cout) {
    std::cerr << "rumod moderate: cannot write the decisions to standard output "
                 "(they are recorded in the database)\n";
    return 1;
  }
  return any_error ? 1 : 0;
}

// ----------------------------------------------------------------- blacklist

namespace {

constexpr const char* kBlacklistHelp =
    R"(usage: rumod blacklist COMMAND --db FILE [options]

  list    [--platform P] [--page ID] [--limit N]      offenders (JSONL), most violations first
  bans    [--platform P] [--page ID] [--active] [--ending-within 3d] [--limit N]
  show    --platform P --page ID AUTHOR              history of one author (JSON)
  ban     --platform P --page ID AUTHOR --reason TEXT --by NAME
          [--category spam|profanity|insult|hate|discrimination] [--duration 7d|permanent]
  unban   --platform P --page ID AUTHOR --reason TEXT --by NAME
  expire                                             record the expiry of ended bans
  purge   --older-than 365d --by NAME                delete old records (the purge is recorded)
  report  [--from ISO] [--to ISO] [--platform P] [--page ID]   counts by category and action
  export  [--format csv|jsonl] [--from ISO] [--to ISO] [--platform P] [--page ID] [-o FILE]
  audit   [--from ISO] [--to ISO] [--limit N]

Times are ISO 8601 (2026-01-01, 2026-01-01T10:00:00Z) or Unix seconds.
--by names the moderator; it is recorded as "moderator:NAME".
)";

bool Filter(const ArgParser& a, RecordFilter* f, std::string* error) {
  f->platform = a.Value("--platform").value_or("");
  f->page_id = a.Value("--page").value_or("");
  if (auto v = a.Value("--from")) {
    auto t = ParseWhenText(*v);
    if (!t) return *error = "bad --from " + *v, false;
    f->from = *t;
  }
  if (auto v = a.Value("--to")) {
    auto t = ParseWhenText(*v);
    if (!t) return *error = "bad --to " + *v, false;
    f->to = *t;
  }
  if (f->from > f->to)
    return *error = "--from is after --to", false;
  if (auto v = a.Value("--limit")) {
    if (!absl::SimpleAtoi(*v, &f->limit) || f->limit < 0)
      return *error = "bad --limit " + *v, false;
  }
  return true;
}

// True when --by names someone ("", "moderator:" do not).
bool HasName(const std::optional<std::string>& by) {
  return by && !by->empty() && *by != "moderator:";
}

std::string Moderator(const std::string& by) {
  return by.rfind("moderator:", 0) == 0 ? by : "moderator:" + by;
}

}  // namespace

int RunBlacklist(const Args& raw) {
  ArgParser a(raw,
              {"--db", "--platform", "--page", "--limit", "--reason", "--by",
               "--category", "--duration", "--older-than", "--from", "--to",
               "--format", "-o", "--ending-within"},
              {"--active", "--help", "-h"});
  if (!a.ok()) return Usage(a.error());
  if (a.Has("--help") || a.Has("-h")) {
    std::cout << kBlacklistHelp;
    return 0;
  }
  if (a.positionals().empty()) {
    std::cerr << kBlacklistHelp;
    return 2;
  }
  const std::string cmd = a.positionals()[0];
  if (!a.Value("--db")) return Usage(cmd + " needs --db FILE");
  RecordFilter filter;
  std::string ferr;
  if (!Filter(a, &filter, &ferr)) return Usage(ferr);
  auto need_author = [&](std::string* author) -> bool {
    if (a.positionals().size() != 2 || !a.Value("--platform") || !a.Value("--page"))
      return false;
    *author = a.positionals()[1];
    return true;
  };

  static const char* const kKnown[] = {"list", "bans", "show", "ban", "unban",
                                       "expire", "purge", "report", "export",
                                       "audit"};
  if (std::find(std::begin(kKnown), std::end(kKnown), cmd) == std::end(kKnown))
    return Usage("unknown blacklist command '" + cmd + "'");
  // Read-only commands do not create a database.
  const bool writes = cmd == "ban" || cmd == "unban" || cmd == "expire" ||
                      cmd == "purge";
  auto store = OpenStore(a, writes);
  if (!store.ok()) return Fail(store.status());
  BlacklistStore& s = **store;

  if (cmd == "list") {
    auto offenders = s.ListOffenders(filter);
    if (!offenders.ok()) return Fail(offenders.status());
    for (const OffenderSummary& o : *offenders) {
      json j = {{"platform", o.platform},
                {"page_id", o.page_id},
                {"author_id", o.author_id},
                {"violations", o.violations},
                {"last_violation", Iso(o.last_violation)},
                {"active_ban", o.active_ban ? BanJson(*o.active_ban) : json(nullptr)}};
      std::cout << Dump(j) << "\n";
    }
    return 0;
  }
  if (cmd == "bans") {
    absl::StatusOr<std::vector<Ban>> bans;
    if (auto w = a.Value("--ending-within")) {
      auto d = ParsePolicyDuration(*w);
      if (!d.ok() || !d->has_value()) return Usage("bad --ending-within " + *w);
      bans = s.BansEndingSoon(**d, filter);
    } else {
      bans = s.ListBans(filter, a.Has("--active"));
    }
    if (!bans.ok()) return Fail(bans.status());
    for (const Ban& b : *bans) std::cout << Dump(BanJson(b)) << "\n";
    return 0;
  }
  if (cmd == "show") {
    std::string author;
    if (!need_author(&author)) return Usage("show needs --platform, --page and AUTHOR");
    auto h = s.History(*a.Value("--platform"), *a.Value("--page"), author);
    if (!h.ok()) return Fail(h.status());
    json j = {{"platform", *a.Value("--platform")},
              {"page_id", *a.Value("--page")},
              {"author_id", author},
              {"active_ban", h->active_ban ? BanJson(*h->active_ban) : json(nullptr)}};
    j["violations"] = json::array();
    for (const Violation& v : h->violations) j["violations"].push_back(ViolationJson(v));
    j["bans"] = json::array();
    for (const Ban& b : h->bans) j["bans"].push_back(BanJson(b));
    std::cout << Dump(j) << "\n";
    return 0;
  }
  if (cmd == "ban") {
    std::string author;
    if (!need_author(&author)) return Usage("ban needs --platform, --page and AUTHOR");
    if (!a.Value("--reason") || !HasName(a.Value("--by")))
      return Usage("ban needs --reason and --by NAME");
    ManualBan mb;
    mb.platform = *a.Value("--platform");
    mb.page_id = *a.Value("--page");
    mb.author_id = author;
    mb.reason = *a.Value("--reason");
    mb.actor = Moderator(*a.Value("--by"));
    auto cat = ParseCategory(a.Value("--category").value_or("spam"));
    if (!cat) return Usage(absl::StrCat("bad --category ", a.Value("--category").value_or("")));
    mb.category = *cat;
    auto d = ParsePolicyDuration(a.Value("--duration").value_or("permanent"));
    if (!d.ok()) return Usage(Msg(d.status()));
    mb.duration = *d;
    auto id = s.BanManually(mb);
    if (!id.ok()) return Fail(id.status());
    // The ban now in force; when an earlier ban is still the active one
    // (it ends later), the new ban's id is given as "new_ban_id".
    auto b = s.ActiveBan(mb.platform, mb.page_id, author);
    json out = b.ok() && b->has_value() ? BanJson(**b) : json{{"id", *id}};
    if (b.ok() && b->has_value() && (**b).id != *id) out["new_ban_id"] = *id;
    std::cout << Dump(out) << "\n";
    return 0;
  }
  if (cmd == "unban") {
    std::string author;
    if (!need_author(&author)) return Usage("unban needs --platform, --page and AUTHOR");
    if (!a.Value("--reason") || !HasName(a.Value("--by")))
      return Usage("unban needs --reason and --by NAME");
    auto n = s.Unban(*a.Value("--platform"), *a.Value("--page"), author,
                     Moderator(*a.Value("--by")), *a.Value("--reason"));
    if (!n.ok()) return Fail(n.status());
    std::cout << Dump(json{{"author_id", author}, {"lifted", *n}}) << "\n";
    return 0;
  }
  if (cmd == "expire") {
    auto n = s.RecordExpiredBans();
    if (!n.ok()) return Fail(n.status());
    std::cout << Dump(json{{"expired", *n}}) << "\n";
    return 0;
  }
  if (cmd == "purge") {
    auto older = a.Value("--older-than");
    if (!older || !HasName(a.Value("--by")))
      return Usage("purge needs --older-than and --by NAME");
    auto d = ParsePolicyDuration(*older);
    if (!d.ok() || !d->has_value()) return Usage("bad --older-than " + *older);
    auto r = s.Purge(absl::Now() - **d, Moderator(*a.Value("--by")));
    if (!r.ok()) return Fail(r.status());
    std::cout << Dump(json{{"purge_id", r->purge_id},
                           {"violations_deleted", r->violations_deleted},
                           {"bans_deleted", r->bans_deleted},
                           {"audit_deleted", r->audit_deleted}})
              << "\n";
    return 0;
  }
  if (cmd == "report") {
    auto counts = s.CountByCategory(filter);
    if (!counts.ok()) return Fail(counts.status());
    json j = {{"from", filter.from == absl::InfinitePast() ? json(nullptr) : json(Iso(filter.from))},
              {"to", filter.to == absl::InfiniteFuture() ? json(nullptr) : json(Iso(filter.to))}};
    json cats = json::object();
    for (int c = 0; c < kNumCategories; ++c) {
      json e = {{"legal_basis", std::string(LegalBasis(static_cast<Category>(c)))},
                {"total", 0}};
      cats[std::string(CategoryName(static_cast<Category>(c)))] = e;
    }
    for (const CategoryCount& cc : *counts) {
      json& e = cats[std::string(CategoryName(cc.category))];
      e[std::string(ActionName(cc.action))] = {{"violations", cc.violations},
                                               {"authors", cc.authors}};
      e["total"] = e["total"].get<int64_t>() + cc.violations;
    }
    j["categories"] = cats;
    std::cout << Dump(j) << "\n";
    return 0;
  }
  if (cmd == "export") {
    std::string fmt = a.Value("--format").value_or("jsonl");
    if (fmt != "csv" && fmt != "jsonl") return Usage("--format must be csv or jsonl");
    std::ofstream file;
    std::ostream* out = &std::cout;
    if (auto o = a.Value("-o")) {
      file.open(*o, std::ios::binary | std::ios::trunc);
      if (!file) {
        std::cerr << "rumod: cannot write " << *o << "\n";
        return 1;
      }
      out = &file;
    }
    absl::Status st = s.Export(fmt == "csv" ? ExportFormat::kCsv : ExportFormat::kJsonl,
                               filter, out);
    if (!st.ok()) return Fail(st);
    return 0;
  }
  // audit
  auto entries = s.Audit(filter);
  if (!entries.ok()) return Fail(entries.status());
  for (const AuditEntry& e : *entries) {
    std::cout << Dump(json{{"id", e.id},
                           {"at", Iso(e.at)},
                           {"actor", e.actor},
                           {"event", e.event},
                           {"platform", e.platform},
                           {"page_id", e.page_id},
                           {"author_id", e.author_id},
                           {"object_id", e.object_id},
                           {"detail", e.detail}})
              << "\n";
  }
  return 0;
}

}  // namespace rumod::cli
