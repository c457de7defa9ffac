// Parser of the dictionary source format (docs/dictionaries.md).
#include "rumod/dictionary.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "util/fnv.h"
#include "util/io.h"
#include "util/strings.h"

namespace rumod {

std::string_view EntryKindName(EntryKind k) {
  switch (k) {
    case EntryKind::kLemma: return "lemma";
    case EntryKind::kWord: return "word";
    case EntryKind::kRoot: return "root";
    case EntryKind::kPhrase: return "phrase";
    case EntryKind::kRegex: return "regex";
    case EntryKind::kExcept: return "except";
    case EntryKind::kCombo: return "combo";
  }
  return "?";
}

namespace {

std::optional<EntryKind> ParseKind(std::string_view s) {
  for (EntryKind k : {EntryKind::kLemma, EntryKind::kWord, EntryKind::kRoot,
                      EntryKind::kPhrase, EntryKind::kRegex, EntryKind::kExcept,
                      EntryKind::kCombo})
    if (EntryKindName(k) == s) return k;
  return std::nullopt;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Splits a line into tokens: whitespace-separated, "double quoted" tokens may
// hold spaces (\" and \\ escapes inside), '#' at a token start begins a
// comment. Returns an error message or "".
std::string Tokenize(std::string_view line, std::vector<std::string>* out,
                     std::vector<bool>* quoted) {
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' ||
                               line[i] == '\r'))
      ++i;
    if (i >= line.size() || line[i] == '#') break;
    std::string tok;
    bool q = false;
    // key="quoted value" and "quoted" tokens.
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' &&
           line[i] != '\r') {
      if (line[i] == '"') {
        q = true;
        ++i;
        bool closed = false;
        while (i < line.size()) {
          if (line[i] == '\\' && i + 1 < line.size()) {
            tok.push_back(line[i + 1]);
            i += 2;
            continue;
          }
          if (line[i] == '"') {
            closed = true;
            ++i;
            break;
          }
          tok.push_back(line[i++]);
        }
        if (!closed) return "unterminated double quote";
        if (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
          return "text after a closing double quote (separate it with a space)";
      } else {
        tok.push_back(line[i++]);
      }
    }
    out->push_back(std::move(tok));
    quoted->push_back(q);
  }
  return "";
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > 64) return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

struct Defaults {
  bool tag_only = false;
  std::optional<Category> category;  // none at the start of each file
  std::optional<Trait> trait;
  int severity = 2;
};

// Deepest nesting of groups in regex source `re`: '(' not escaped and not
// inside a [...] class. A bound on it keeps every recursive reader of a
// regex (FiniteRegex and AnalyzeRegex here, Hyperscan's parser) within a
// small, fixed stack.
size_t RegexGroupDepth(std::string_view re) {
  size_t depth = 0, deepest = 0;
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\') {
      ++i;  // the escaped byte
    } else if (in_class) {
      if (c == ']') in_class = false;
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < re.size() && re[i + 1] == '^') ++i;
      if (i + 1 < re.size() && re[i + 1] == ']') ++i;  // a leading ']' is a member
    } else if (c == '(') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')' && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// Regex entries nesting groups deeper than this are rejected (real entries
// nest 2-3 deep).
constexpr size_t kMaxRegexGroupDepth = 32;

class Parser {
 public:
  absl::Status ParseFile(const std::string& name, std::string_view text,
                         std::vector<Entry>* entries) {
    Defaults d;
    int lineno = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 BOM
    for (std::string_view line : internal::Split(text, '\n')) {
      ++lineno;
      std::vector<std::string> tok;
      std::vector<bool> quoted;
      std::string err = internal::IsValidUtf8(line) ? Tokenize(line, &tok, &quoted)
                                                    : "invalid UTF-8";
      if (!err.empty()) {
        // Name the entry when the line starts with a valid id.
        const std::string_view first = line.substr(0, line.find_first_of(" \t\r"));
        return Error(name, lineno, ValidId(first) ? first : "", err);
      }
      if (tok.empty()) continue;
      if (tok[0][0] == '@' && !quoted[0]) {
        if (tok.size() != 2)
          return Error(name, lineno, "", "a directive takes one value: " + tok[0]);
        if (tok[0] == "@category" && tok[1] == "-") {
          d.tag_only = true;
        } else if (tok[0] == "@category") {
          d.tag_only = false;
          auto c = ParseCategory(tok[1]);
          if (!c) return Error(name, lineno, "", "unknown category " + tok[1]);
          d.category = *c;
        } else if (tok[0] == "@trait") {
          if (tok[1] == "-") {
            d.trait.reset();
          } else {
            auto t = ParseTrait(tok[1]);
            if (!t) return Error(name, lineno, "", "unknown trait " + tok[1]);
            d.trait = *t;
          }
        } else if (tok[0] == "@severity") {
          int s;
          if (!absl::SimpleAtoi(tok[1], &s) || s < 1 || s > 3)
            return Error(name, lineno, "", "severity must be 1..3");
          d.severity = s;
        } else {
          return Error(name, lineno, "", "unknown directive " + tok[0]);
        }
        continue;
      }
      Entry e;
      e.file = name;
      e.line = lineno;
      e.id = tok[0];
      if (!ValidId(e.id))
        return Error(name, lineno, e.id, "invalid id (use [a-z0-9_.-])");
      if (tok.size() < 3)
        return Error(name, lineno, e.id, "expected: <id> <kind> <pattern> [key=value...]");
      auto kind = ParseKind(tok[1]);
      if (!kind) return Error(name, lineno, e.id, "unknown kind " + tok[1]);
      e.kind = *kind;
      e.pattern = tok[2];
      if (e.pattern.empty()) return Error(name, lineno, e.id, "empty pattern");
      if (e.kind == EntryKind::kRegex && !quoted[2] && e.pattern.size() >= 2 &&
          e.pattern.front() == '/' && e.pattern.back() == '/')
        e.pattern = e.pattern.substr(1, e.pattern.size() - 2);
      if (e.kind == EntryKind::kRegex) {
        const size_t depth = RegexGroupDepth(e.pattern);
        if (depth > kMaxRegexGroupDepth)
          return Error(name, lineno, e.id,
                       internal::Cat("regex nests groups ", depth, " deep (limit ",
                                     kMaxRegexGroupDepth, ")"));
      }
      bool has_category = d.category.has_value() || d.tag_only;
      e.category = d.category.value_or(Category::kProfanity);
      e.tag_only = d.tag_only;
      e.trait = d.trait;
      e.severity = d.severity;
      bool has_at = false;
      std::vector<std::string> seen_keys;
      for (size_t i = 3; i < tok.size(); ++i) {
        size_t eq = tok[i].find('=');
        if (eq == std::string::npos || eq == 0)
          return Error(name, lineno, e.id, "expected key=value, got " + tok[i]);
        std::string key = tok[i].substr(0, eq), val = tok[i].substr(eq + 1);
        if (std::find(seen_keys.begin(), seen_keys.end(), key) != seen_keys.end())
          return Error(name, lineno, e.id, "option " + key + " given twice");
        seen_keys.push_back(key);
        if (key == "category" && val == "-") {
          e.tag_only = true;
          has_category = true;
        } else if (key == "category") {
          auto c = ParseCategory(val);
          if (!c) return Error(name, lineno, e.id, "unknown category " + val);
          e.category = *c;
          e.tag_only = false;
          has_category = true;
        } else if (key == "tags") {
          for (std::string_view t : internal::Split(val, ',')) {
            if (!ValidTag(t))
              return Error(name, lineno, e.id, "invalid tag '" + std::string(t) + "' (use [a-z0-9_])");
            e.tags.emplace_back(t);
          }
        } else if (key == "weight") {
          double w;
          if (!internal::ParseUnitInterval(val, &w))
            return Error(name, lineno, e.id, "weight must be a number in 0..1");
          e.weight = static_cast<float>(w);
        } else if (key == "window") {
          if (e.kind != EntryKind::kCombo)
            return Error(name, lineno, e.id, "window= applies to combo entries only");
          int w;
          if (!absl::SimpleAtoi(val, &w) || w < 1 || w > 50)
            return Error(name, lineno, e.id, "window must be 1..50 words");
          e.window = w;
        } else if (key == "order") {
          if (e.kind != EntryKind::kCombo)
            return Error(name, lineno, e.id, "order= applies to combo entries only");
          if (val == "seq") e.ordered = true;
          else if (val == "any") e.ordered = false;
          else return Error(name, lineno, e.id, "order= must be seq or any");
        } else if (key == "trait") {
          if (val == "-") {
            e.trait.reset();
          } else {
            auto t = ParseTrait(val);
            if (!t) return Error(name, lineno, e.id, "unknown trait " + val);
            e.trait = *t;
          }
        } else if (key == "severity") {
          int s;
          if (!absl::SimpleAtoi(val, &s) || s < 1 || s > 3)
            return Error(name, lineno, e.id, "severity must be 1..3");
          e.severity = s;
        } else if (key == "like") {
          if (e.kind != EntryKind::kLemma)
            return Error(name, lineno, e.id, "like= applies to lemma entries only");
          if (val.empty()) return Error(name, lineno, e.id, "empty like=");
          e.like = val;
        } else if (key == "forms") {
          if (e.kind != EntryKind::kLemma && e.kind != EntryKind::kWord)
            return Error(name, lineno, e.id, "forms= applies to lemma/word entries only");
          for (std::string_view f : internal::Split(val, ',', true))
            e.extra_forms.emplace_back(f);
        } else if (key == "at") {
          if (e.kind != EntryKind::kRoot)
            return Error(name, lineno, e.id, "at= applies to root entries only");
          if (val == "start") e.position = RootPosition::kStart;
          else if (val == "any") e.position = RootPosition::kAny;
          else return Error(name, lineno, e.id, "at= must be start or any");
          has_at = true;
        } else if (key == "prefixes") {
          if (e.kind != EntryKind::kRoot)
            return Error(name, lineno, e.id, "prefixes= applies to root entries only");
          for (std::string_view f : internal::Split(val, ',', true))
            e.prefixes.emplace_back(f);
        } else if (key == "also") {
          auto c = ParseCategory(val);
          if (!c) return Error(name, lineno, e.id, "unknown category in also= " + val);
          e.also = *c;
        } else if (key == "aim") {
          if (val == "required") e.aim = Aim::kRequired;
          else if (val == "boost") e.aim = Aim::kBoost;
          else if (val == "addressee") e.aim = Aim::kAddressee;
          else return Error(name, lineno, e.id, "aim= must be required, addressee or boost");
        } else {
          return Error(name, lineno, e.id, "unknown option " + key);
        }
      }
      if (!has_category)
        return Error(name, lineno, e.id,
                     "no category: put @category before the entry or give category=");
      if (e.kind == EntryKind::kCombo) {
        if (e.tag_only) return Error(name, lineno, e.id, "a combo rule needs a category");
        int positive = 0;
        for (std::string_view t : internal::Split(e.pattern, ' ', true)) {
          ComboTerm term;
          if (!t.empty() && t[0] == '!') {
            term.negated = true;
            t.remove_prefix(1);
          }
          if (!ValidTag(t))
            return Error(name, lineno, e.id, "invalid combo term '" + std::string(t) + "'");
          term.tag = std::string(t);
          positive += !term.negated;
          e.terms.push_back(std::move(term));
        }
        if (positive == 0)
          return Error(name, lineno, e.id, "a combo rule needs at least one positive tag");
      }
      if (e.tag_only && e.also)
        return Error(name, lineno, e.id, "also= needs a category (not -)");
      if (!e.prefixes.empty() && !(has_at && e.position == RootPosition::kStart))
        return Error(name, lineno, e.id, "prefixes= needs at=start");
      if (e.also && *e.also == e.category)
        return Error(name, lineno, e.id, "also= repeats the entry's own category");
      if (e.aim != Aim::kBoost && e.category != Category::kInsult &&
          e.also != Category::kInsult)
        return Error(name, lineno, e.id, "aim=required/addressee applies to insult entries only");
      if ((e.kind == EntryKind::kLemma || e.kind == EntryKind::kWord ||
           e.kind == EntryKind::kRoot) &&
          e.pattern.find(' ') != std::string::npos)
        return Error(name, lineno, e.id,
                     internal::Cat(EntryKindName(e.kind),
                                  " pattern must be one word (use phrase)"));
      if (!ids_.insert(e.id).second)
        return Error(name, lineno, e.id, "duplicate id");
      entries->push_back(std::move(e));
    }
    return absl::OkStatus();
  }

 private:
  // `id` and `msg` may quote the source line: they are cut and escaped
  // (internal::Quotable) so a garbage file gives a readable message.
  static absl::Status Error(const std::string& file, int line,
                            std::string_view id, std::string_view msg) {
    const std::string m = internal::Quotable(msg, 300);
    return absl::InvalidArgumentError(
        id.empty() ? internal::Cat(file, ":", line, ": ", m)
                   : internal::Cat(file, ":", line, ": [", internal::Quotable(id, 64), "] ", m));
  }
  absl::flat_hash_set<std::string> ids_;
};

}  // namespace

absl::StatusOr<Dictionary> Dictionary::Parse(
    const std::vector<std::pair<std::string, std::string>>& files,
    std::string confusables_tsv, std::string domains_tsv) {
  Dictionary d;
  Parser p;
  uint64_t h = internal::kFnv64OffsetBasis;
  for (const auto& [name, text] : files) {
    absl::Status st = p.ParseFile(name, text, &d.entries_);
    if (!st.ok()) return st;
    h = internal::Fnv1a64(name, h);
    h = internal::Fnv1a64(std::string_view("\0", 1), h);
    h = internal::Fnv1a64(text, h);
  }
  h = internal::Fnv1a64(confusables_tsv, h);
  if (!domains_tsv.empty()) {  // (hashes of dictionaries without it unchanged)
    h = internal::Fnv1a64(std::string_view("\0domains.tsv\0", 13), h);
    h = internal::Fnv1a64(domains_tsv, h);
  }
  d.confusables_tsv_ = std::move(confusables_tsv);
  d.domains_tsv_ = std::move(domains_tsv);
  d.content_hash_ = h;
  return d;
}

absl::StatusOr<Dictionary> Dictionary::LoadDirectory(std::string_view dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root{std::string(dir)};
  if (!fs::is_directory(root, ec))
    return absl::NotFoundError(internal::Cat("dictionary directory not found: ", dir));
  std::vector<std::string> names;
  for (const auto& de : fs::directory_iterator(root, ec))
    if (de.path().extension() == ".dict") names.push_back(de.path().filename().string());
  if (ec) return absl::InternalError(internal::Cat("cannot list ", dir, ": ", ec.message()));
  std::sort(names.begin(), names.end());
  if (names.empty())
    return absl::NotFoundError(internal::Cat("no *.dict files in ", dir));
  // Dictionary sources are a few hundred KB; 64 MiB is far beyond any real
  // one and stops a .dict symlinked to /dev/zero early.
  constexpr size_t kMaxSourceBytes = size_t{64} << 20;
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& n : names) {
    auto text = internal::ReadFile((root / n).string(), kMaxSourceBytes);
    if (!text.ok()) return text.status();
    files.emplace_back(n, *std::move(text));
  }
  auto tsv = internal::ReadFile((root / "confusables.tsv").string(), kMaxSourceBytes);
  if (!tsv.ok()) return tsv.status();
  std::string domains;
  if (fs::exists(root / "domains.tsv", ec)) {
    auto text = internal::ReadFile((root / "domains.tsv").string());
    if (!text.ok()) return text.status();
    domains = *std::move(text);
  }
  return Parse(files, *std::move(tsv), std::move(domains));
}

}  // namespace rumod
