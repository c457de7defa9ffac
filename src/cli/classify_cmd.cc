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
    // Same bytes as Dump() of {"id": lineno, <VerdictToJson fields>}.
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
  bool repaired = false;
  if (std::string e = ParseJsonLine(sv, &obj, &repaired); !e.empty()) return err(e, nullptr);
  if (!obj.is_object()) return err("expected a JSON object", nullptr);
  const nlohmann::ordered_json* id = obj.contains("id") ? &obj["id"] : nullptr;
  auto t = obj.find("text");
  if (t == obj.end()) return err("missing \"text\"", id);
  if (!t->is_string()) return err("\"text\" must be a string", id);
  const std::string& text = t->get_ref<const std::string&>();
  engine.Classify(text, scratch, &v);
  if (obj.contains("labels") || obj.contains("traits") || obj.contains("scores") ||
      obj.contains("matches")) {  // fields replaced in place: the generic path
    VerdictToJson(v, text, &obj);
    return Dump(obj);
  }
  // The input object's own members first, then the verdict fields written
  // directly (the same bytes as VerdictToJson + Dump). Members are copied as
  // written when the line needed no repair and has no duplicate keys, so
  // numbers keep their exact text (1e2, ids beyond 2^64).
  thread_local std::vector<RawMember> members;
  std::string out;
  if (!repaired && SplitObjectMembers(sv, &members) && members.size() == obj.size()) {
    out.reserve(sv.size() + 256 + v.matches.size() * 160);
    out.push_back('{');
    for (const RawMember& m : members) {
      out.append(m.key);
      out.push_back(':');
      out.append(m.value);
      out.push_back(',');
    }
  } else {
    out = Dump(obj);
    out.pop_back();  // '}'
    if (!obj.empty()) out.push_back(',');
  }
  AppendVerdictJson(v, text, &out);
  out.push_back('}');
  return out;
}

}  // namespace

int RunClassify(const Args& raw) {
  ArgParser args(raw, {"--threads", "--engine"}, {"--text"});
  if (!args.ok() || args.positionals().size() > 1) {
    std::cerr << "rumod classify: " << (args.ok() ? "too many arguments" : args.error())
              << "\nusage: rumod classify [FILE|-] [--text] [--threads N] [--engine FILE]\n";
    return 2;
  }
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
  constexpr size_t kBatch = 16384;
  constexpr size_t kProgressEvery = 100000;
  std::vector<std::string> lines, out;
  size_t lineno = 0, errors = 0, next_progress = kProgressEvery;
  auto t0 = std::chrono::steady_clock::now();
  bool progress_shown = false;
  std::ios::sync_with_stdio(false);
  for (;;) {
    lines.clear();
    std::string line;
    while (lines.size() < kBatch && std::getline(*in, line)) lines.push_back(std::move(line));
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
