// rumod classify [FILE|-] [--text] [--threads N] [--engine FILE]
//
// Input: JSONL objects with "id" and "text" (other fields are kept, byte for
// byte when the line is well-formed), or with
// --text one plain comment per line (id = line number). Output: one JSON
// object per input line, in input order: the input object plus "labels",
// "traits", "scores", "matches". A line that is not a JSON object with a
// string "text" yields {"line": N, "error": "..."} (and "id" when known);
// processing continues. Exit code 0 when every line was classified, 1 when
// some lines had errors, 2 on usage errors.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <unistd.h>

#include "cli/common.h"

namespace rumod::cli {
namespace {

std::string ClassifyLine(const Engine& engine, Scratch& scratch,
                         const std::string& line, size_t lineno, bool plain,
                         bool* error) {
  thread_local Verdict v;  // keeps its capacity between lines
  if (plain) {
    std::string_view text = line;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    engine.Classify(text, scratch, &v);
    std::string out;
    out.reserve(256 + v.matches.size() * 160);
    out.append("{\"id\":");
    out.append(std::to_string(lineno));
    out.push_back(',');
    AppendVerdictJson(v, text, &out);
    out.push_back('}');
    return out;
  }
  auto err = [&](const std::string& msg, const nlohmann::ordered_json* id) {
    *error = true;
    nlohmann::ordered_json e;
    e["line"] = lineno;
    if (id) e["id"] = *id;
    e["error"] = msg;
    return Dump(e);
  };
  std::string_view sv = line;
  while (!sv.empty() && (sv.back() == '\r' || sv.back() == ' ')) sv.remove_suffix(1);
  if (sv.empty()) return err("empty line", nullptr);
  nlohmann::ordered_json obj;
  bool repaired = false, huge_numbers = false;
  if (std::string e = ParseJsonLine(sv, &obj, &repaired, &huge_numbers); !e.empty())
    return err(e, nullptr);
  if (!obj.is_object()) return err("expected a JSON object", nullptr);
  const nlohmann::ordered_json* id = obj.contains("id") ? &obj["id"] : nullptr;
  auto t = obj.find("text");
  if (t == obj.end()) return err("missing \"text\"", id);
  if (!t->is_string()) return err("\"text\" must be a string", id);
  const std::string& text = t->get_ref<const std::string&>();
  engine.Classify(text, scratch, &v);
  // The input object's own members first, then the verdict fields written
  // directly. Members named like a
  // verdict field (a gold file's "labels", an earlier run's "truncated") are
  // dropped: the verdict replaces them, so no key is ever written twice.
  // Members are copied as written when the line needed no repair and has no
  // duplicate keys, so numbers keep their exact text (1e2, ids beyond 2^64).
  auto is_verdict_key = [](std::string_view k) {
    return k == "labels" || k == "traits" || k == "scores" || k == "matches" ||
           k == "truncated";
  };
  thread_local std::vector<RawMember> members;
  std::string out;
  out.reserve(sv.size() + 256 + v.matches.size() * 160);
  out.push_back('{');
  bool raw = !repaired && SplitObjectMembers(sv, &members) && members.size() == obj.size();
  // A key written with escapes ("\u006cabels") is compared decoded: such
  // lines take the parsed path.
  for (size_t k = 0; raw && k < members.size(); ++k)
    raw = members[k].key.find('\\') == std::string_view::npos;
  // Numbers beyond the double range were read as 0: only the line's own text
  // may be written back.
  if (huge_numbers && !raw) return err("number outside the double range", nullptr);
  if (raw) {
    for (const RawMember& m : members) {
      if (is_verdict_key(m.key.substr(1, m.key.size() - 2))) continue;
      out.append(m.key);
      out.push_back(':');
      out.append(m.value);
      out.push_back(',');
    }
  } else {
    for (const auto& [key, value] : obj.items()) {
      if (is_verdict_key(key)) continue;
      nlohmann::ordered_json k = key;
      out.append(Dump(k));
      out.push_back(':');
      out.append(Dump(value));
      out.push_back(',');
    }
  }
  AppendVerdictJson(v, text, &out);
  out.push_back('}');
  return out;
}

}  // namespace

int RunClassify(const Args& raw) {
  ArgParser args(raw, {"--threads", "--engine"}, {"--text"});
  if (!args.ok() || args.positionals().size() > 1)
    return UsageExit(args, "classify",
                     "usage: rumod classify [FILE|-] [--text] [--threads N|auto] [--engine FILE]\n"
                     "Classifies JSONL objects with \"text\" (or, with --text, plain lines) and\n"
                     "prints one verdict object per input line, in order (docs/cli.md).\n",
                     args.ok() ? "too many arguments (one FILE or -)" : "");
  std::string path = args.positionals().empty() ? "-" : args.positionals()[0];
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::cerr << "rumod classify: " << path << " is a directory\n";
      return 1;
    }
    file.open(path, std::ios::binary);
    if (!file) {
      std::cerr << "rumod classify: cannot open " << path << "\n";
      return 1;
    }
    in = &file;
  }
  auto engine = LoadEngine(args);
  if (!engine) return 1;
  const bool plain = args.Has("--text");
  const int threads = *args.Threads();
  const bool tty = isatty(STDERR_FILENO);
  // A batch ends at 16,384 lines or 4 MiB of input, whichever comes first:
  // outputs are held until the batch is written, and a pathological line
  // (1 MiB of obscene words) yields ~30x its size in matches, so the byte cap
  // bounds memory (~150 MB) where a line count alone would not.
  constexpr size_t kBatch = 16384;
  constexpr size_t kBatchBytes = size_t{4} << 20;
  constexpr size_t kProgressEvery = 100000;
  std::vector<std::string> lines, out;
  size_t lineno = 0, errors = 0, next_progress = kProgressEvery;
  auto t0 = std::chrono::steady_clock::now();
  bool progress_shown = false;
  std::ios::sync_with_stdio(false);
  for (;;) {
    lines.clear();
    std::string line;
    size_t batch_bytes = 0;
    while (lines.size() < kBatch && batch_bytes < kBatchBytes && std::getline(*in, line)) {
      batch_bytes += line.size() + 1;
      lines.push_back(std::move(line));
    }
    if (lines.empty()) break;
    out.assign(lines.size(), std::string());
    std::vector<char> err(lines.size(), 0);
    size_t base = lineno;
    ParallelFor(*engine, lines.size(), threads, [&](size_t i, Scratch& s) {
      bool e = false;
      out[i] = ClassifyLine(*engine, s, lines[i], base + i + 1, plain, &e);
      err[i] = e;
    });
    for (size_t i = 0; i < out.size(); ++i) {
      std::cout << out[i] << '\n';
      errors += err[i];
    }
    lineno += lines.size();
    if (lineno >= next_progress) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "%srumod classify: %zu lines, %.0f lines/s%s", tty ? "\r" : "",
                   lineno, lineno / std::max(s, 1e-9), tty ? "" : "\n");
      progress_shown = true;
      next_progress = lineno + kProgressEvery;
    }
  }
  std::cout.flush();
  if (in->bad()) {
    std::cerr << "rumod classify: read error on " << path << "\n";
    return 1;
  }
  if (progress_shown || errors) {
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "%srumod classify: %zu lines in %.2f s, %zu errors\n",
                 tty && progress_shown ? "\r" : "", lineno, s, errors);
  }
  if (!std::cout) return 1;
  return errors ? 1 : 0;
}

}  // namespace rumod::cli
