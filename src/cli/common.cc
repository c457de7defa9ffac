#include "cli/common.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"

namespace rumod::cli {

ArgParser::ArgParser(const Args& args, std::vector<std::string> value_flags,
                     std::vector<std::string> switches) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {  // the end of options: the rest are positionals ("-text")
      positionals_.insert(positionals_.end(), args.begin() + i + 1, args.end());
      break;
    }
    if ((a == "--help" || a == "-h") &&
        std::find(switches.begin(), switches.end(), a) == switches.end()) {
      help_ = true;
      continue;
    }
    if (a.size() > 1 && a[0] == '-' && a != "-") {
      std::string name = a, value;
      bool has_eq = false;
      if (size_t eq = a.find('='); eq != std::string::npos) {
        name = a.substr(0, eq);
        value = a.substr(eq + 1);
        has_eq = true;
      }
      if (std::find(value_flags.begin(), value_flags.end(), name) != value_flags.end()) {
        if (!has_eq) {
          if (i + 1 >= args.size()) {
            error_ = name + " needs a value";
            return;
          }
          value = args[++i];
        }
        values_.emplace_back(name, value);
      } else if (std::find(switches.begin(), switches.end(), name) != switches.end() &&
                 !has_eq) {
        switches_.push_back(name);
      } else {
        error_ = "unknown option " + a;
        return;
      }
    } else {
      positionals_.push_back(a);
    }
  }
  if (Value("--threads") && !Threads()) error_ = "--threads takes 0..256 or auto";
}

std::optional<std::string> ArgParser::Value(const std::string& flag) const {
  for (auto it = values_.rbegin(); it != values_.rend(); ++it)
    if (it->first == flag) return it->second;
  return std::nullopt;
}

std::vector<std::string> ArgParser::Values(const std::string& flag) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : values_)
    if (k == flag) out.push_back(v);
  return out;
}

bool ArgParser::Has(const std::string& flag) const {
  return std::find(switches_.begin(), switches_.end(), flag) != switches_.end();
}

std::optional<int> ArgParser::Threads() const {
  auto v = Value("--threads");
  if (!v) return 1;
  int n = -1;
  if (*v != "auto" && (!absl::SimpleAtoi(*v, &n) || n < 0 || n > 256)) return std::nullopt;
  if (*v == "auto" || n == 0) return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return n;
}

namespace {

// Deepest nesting of [ and { outside strings.
int JsonDepth(std::string_view s) {
  int depth = 0, max_depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return max_depth;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Code unit of a \uXXXX escape at s[i] ('\\' at i), or -1.
int Escape16(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = HexValue(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Invalid UTF-8 -> U+FFFD bytes; lone surrogate escapes -> \ufffd.
std::string Repair(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      int u = Escape16(s, i);
      if (u >= 0xD800 && u <= 0xDBFF) {
        int lo = Escape16(s, i + 6);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          out.append(s.substr(i, 12));
          i += 12;
        } else {
          out += "\\ufffd";
          i += 6;
        }
        continue;
      }
      if (u >= 0xDC00 && u <= 0xDFFF) {
        out += "\\ufffd";
        i += 6;
        continue;
      }
      out.append(s.substr(i, 2));
      i += 2;
      continue;
    }
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (int k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok && n == 2) ok = c >= 0xC2;
    if (ok && n == 3) {
      unsigned char c1 = s[i + 1];
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (ok && n == 4) {
      unsigned char c1 = s[i + 1];
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Index just past the string literal that starts at s[i] == '"', or npos.
size_t SkipJsonString(std::string_view s, size_t i) {
  for (++i; i < s.size(); ++i) {
    if (s[i] == '\\') {
      ++i;
    } else if (s[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Index just past the value that starts at s[i], or npos. The text is
// already known to be valid JSON, so nesting only needs counting.
size_t SkipJsonValue(std::string_view s, size_t i) {
  if (i >= s.size()) return std::string_view::npos;
  if (s[i] == '"') return SkipJsonString(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      char c = s[i];
      if (c == '"') {
        i = SkipJsonString(s, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  size_t b = i;
  while (i < s.size() && !IsJsonSpace(s[i]) && s[i] != ',' && s[i] != '}' && s[i] != ']') ++i;
  return i > b ? i : std::string_view::npos;
}

// True when `t` is exactly one JSON number (RFC 8259 section 6):
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  auto digits = [&] {
    const size_t b = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > b;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// `line` with every number token that overflows a double ("1e400")
// replaced by 0, or "" when it has none. Strings are left alone, and so is
// a token that is not a JSON number ("1e400e"): the line stays invalid.
std::string WithoutHugeNumbers(std::string_view line) {
  std::string out;
  bool any = false;
  for (size_t i = 0; i < line.size();) {
    char c = line[i];
    if (c == '"') {
      size_t e = SkipJsonString(line, i);
      if (e == std::string_view::npos) return "";
      out.append(line.substr(i, e - i));
      i = e;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t e = i + 1;
      while (e < line.size() && (std::isdigit(static_cast<unsigned char>(line[e])) ||
                                 line[e] == '.' || line[e] == 'e' || line[e] == 'E' ||
                                 line[e] == '+' || line[e] == '-'))
        ++e;
      std::string tok(line.substr(i, e - i));
      double v = std::strtod(tok.c_str(), nullptr);
      if (std::isinf(v) && IsJsonNumber(tok)) {
        out += '0';
        any = true;
      } else {
        out += tok;
      }
      i = e;
      continue;
    }
    out += c;
    ++i;
  }
  return any ? out : std::string();
}

template <typename Json>
std::string ParseLine(std::string_view line, Json* out, bool* was_repaired,
                      bool* huge_numbers) {
  if (was_repaired) *was_repaired = false;
  if (huge_numbers) *huge_numbers = false;
  if (JsonDepth(line) > kMaxJsonDepth)
    return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
  *out = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!out->is_discarded()) return "";
  // Valid JSON with a number beyond the double range: parse a copy with
  // those numbers as 0 (callers that keep fields copy them from `line`).
  if (huge_numbers) {
    std::string tamed = WithoutHugeNumbers(line);
    if (!tamed.empty()) {
      *out = Json::parse(tamed, nullptr, /*allow_exceptions=*/false);
      if (!out->is_discarded()) {
        *huge_numbers = true;
        return "";
      }
    }
  }
  std::string repaired = Repair(line);
  if (repaired == line) return "invalid JSON";
  if (was_repaired) *was_repaired = true;
  *out = Json::parse(repaired, nullptr, /*allow_exceptions=*/false);
  return out->is_discarded() ? "invalid JSON" : "";
}

}  // namespace

std::string ParseJsonLine(std::string_view line, nlohmann::ordered_json* out,
                          bool* repaired, bool* huge_numbers) {
  return ParseLine(line, out, repaired, huge_numbers);
}
std::string ParseJsonLine(std::string_view line, nlohmann::json* out, bool* repaired,
                          bool* huge_numbers) {
  return ParseLine(line, out, repaired, huge_numbers);
}

bool SplitObjectMembers(std::string_view s, std::vector<RawMember>* out) {
  constexpr size_t npos = std::string_view::npos;
  out->clear();
  size_t i = 0;
  auto skip_space = [&] {
    while (i < s.size() && IsJsonSpace(s[i])) ++i;
  };
  skip_space();
  if (i >= s.size() || s[i] != '{') return false;
  ++i;
  skip_space();
  if (i < s.size() && s[i] == '}') return true;
  for (;;) {
    if (i >= s.size() || s[i] != '"') return false;
    size_t kb = i;
    i = SkipJsonString(s, i);
    if (i == npos) return false;
    RawMember m;
    m.key = s.substr(kb, i - kb);
    skip_space();
    if (i >= s.size() || s[i] != ':') return false;
    ++i;
    skip_space();
    size_t vb = i;
    i = SkipJsonValue(s, i);
    if (i == npos) return false;
    m.value = s.substr(vb, i - vb);
    out->push_back(m);
    skip_space();
    if (i < s.size() && s[i] == ',') {
      ++i;
      skip_space();
      continue;
    }
    if (i < s.size() && s[i] == '}') {
      ++i;
      skip_space();
      return i == s.size();
    }
    return false;
  }
}

int UsageExit(const ArgParser& args, std::string_view command, std::string_view usage,
              std::string_view problem) {
  if (args.help()) {
    std::cout << usage;
    return 0;
  }
  std::cerr << "rumod " << command << ": "
            << (problem.empty() ? std::string_view(args.error()) : problem) << "\n"
            << usage;
  return 2;
}

std::shared_ptr<const Engine> LoadEngine(const ArgParser& args) {
  absl::StatusOr<std::shared_ptr<const Engine>> e =
      args.Value("--engine") ? Engine::Load(*args.Value("--engine")) : Engine::Default();
  if (!e.ok()) {
    std::cerr << "rumod: " << e.status().message() << "\n";
    return nullptr;
  }
  return *e;
}

namespace {

// True when `s` is well-formed UTF-8 (what nlohmann's decoder accepts).
bool ValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      need = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      need = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + need >= n) return false;
    if (p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k <= need; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    i += need + 1;
  }
  return true;
}

// Dump() of a score std::round(x * 1000) / 1000 for x in [0, 1], by k.
const std::array<std::string, 1001>& ScoreTexts() {
  static const auto* t = [] {
    auto* a = new std::array<std::string, 1001>;
    for (int k = 0; k <= 1000; ++k) (*a)[k] = Dump(nlohmann::ordered_json(k / 1000.0));
    return a;
  }();
  return *t;
}

void AppendUnsigned(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  if (!ValidUtf8(s)) {
    out->append(Dump(nlohmann::ordered_json(std::string(s))));
    return;
  }
  out->push_back('"');
  size_t run = 0;  // start of bytes not yet copied
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(u, 6);
      }
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendVerdictJson(const Verdict& v, std::string_view text, std::string* out) {
  out->append("\"labels\":[");
  for (size_t i = 0; i < v.labels.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(CategoryName(v.labels[i]), out);
  }
  out->append("],\"traits\":[");
  for (size_t i = 0; i < v.traits.size(); ++i) {
    if (i) out->push_back(',');
    AppendJsonString(TraitName(v.traits[i]), out);
  }
  out->append("],\"scores\":{");
  const auto& score_texts = ScoreTexts();
  for (int c = 0; c < kNumCategories; ++c) {
    if (c) out->push_back(',');
    AppendJsonString(CategoryName(static_cast<Category>(c)), out);
    out->push_back(':');
    const double x = std::round(v.scores[c] * 1000.0);
    if (x >= 0 && x <= 1000 && !std::signbit(x)) {
      out->append(score_texts[static_cast<int>(x)]);
    } else {
      out->append(Dump(nlohmann::ordered_json(x / 1000.0)));
    }
  }
  out->append("},\"matches\":[");
  for (size_t i = 0; i < v.matches.size(); ++i) {
    const Match& m = v.matches[i];
    if (i) out->push_back(',');
    out->append("{\"rule\":");
    AppendJsonString(m.rule_id, out);
    out->append(",\"category\":");
    AppendJsonString(CategoryName(m.category), out);
    out->append(",\"trait\":");
    if (m.trait) {
      AppendJsonString(TraitName(*m.trait), out);
    } else {
      out->append("null");
    }
    out->append(",\"start\":");
    AppendUnsigned(m.begin, out);
    out->append(",\"end\":");
    AppendUnsigned(m.end, out);
    out->append(",\"text\":");
    AppendJsonString(text.substr(std::min<size_t>(m.begin, text.size()), m.end - m.begin),
                     out);
    out->append(",\"form\":");
    AppendJsonString(m.form, out);
    if (m.aimed) out->append(",\"aimed\":true");
    out->push_back('}');
  }
  out->push_back(']');
  // Only part of the comment was analysed (over 1 MiB, or hit-dense beyond
  // the engine's bound): say so, the verdict covers the part seen.
  if (v.input_flags & kInputTruncated) out->append(",\"truncated\":true");
}

std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void ParallelFor(const Engine& engine, size_t n, int threads,
                 const std::function<void(size_t, Scratch&)>& fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    auto scratch = engine.NewScratch();
    constexpr size_t kChunk = 64;
    for (;;) {
      size_t b = next.fetch_add(kChunk);
      if (b >= n) break;
      size_t e = std::min(n, b + kChunk);
      for (size_t i = b; i < e; ++i) fn(i, *scratch);
    }
  };
  if (threads == 1) {
    worker();
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
}

}  // namespace rumod::cli
