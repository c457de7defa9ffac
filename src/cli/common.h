// Shared helpers of the rumod CLI (internal).
#ifndef RUMOD_CLI_COMMON_H_
#define RUMOD_CLI_COMMON_H_

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "rumod/engine.h"

namespace rumod::cli {

// Minimal argument parser: flags with values (--threads 2 / --threads=2),
// boolean switches and positionals; "--" ends the options (a comment that
// starts with '-'). Unknown flags are usage errors.
class ArgParser {
 public:
  ArgParser(const Args& args, std::vector<std::string> value_flags,
            std::vector<std::string> switches);
  // False on a usage error, and when --help / -h was given (unless the
  // command registered them as switches itself).
  bool ok() const { return error_.empty() && !help_; }
  bool help() const { return help_; }
  const std::string& error() const { return error_; }
  std::optional<std::string> Value(const std::string& flag) const;
  // Every value given for a repeatable flag, in order.
  std::vector<std::string> Values(const std::string& flag) const;
  bool Has(const std::string& flag) const;
  const std::vector<std::string>& positionals() const { return positionals_; }
  // --threads N (default 1); "auto" or 0 -> hardware threads; N in 1..256.
  // nullopt for anything else (a usage error).
  std::optional<int> Threads() const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::string> switches_, positionals_;
  std::string error_;
  bool help_ = false;
};

// The end of a command on a usage problem: with --help, `usage` on stdout and
// exit code 0; otherwise "rumod COMMAND: PROBLEM" (the parser's error when
// `problem` is empty) and `usage` on stderr, exit code 2.
int UsageExit(const ArgParser& args, std::string_view command, std::string_view usage,
              std::string_view problem = {});

// --engine FILE, or the embedded default engine. Prints the error and
// returns null on failure.
std::shared_ptr<const Engine> LoadEngine(const ArgParser& args);

// The JSON fields of the classify contract for a verdict, written as JSON
// text without the enclosing braces:
// "labels":[...],"traits":[...],"scores":{...},"matches":[...] and
// "truncated":true when the engine analysed only part of the text. `text` is
// the original comment (for the matched substrings).
void AppendVerdictJson(const Verdict& v, std::string_view text, std::string* out);

// Appends `s` as a JSON string exactly as Dump() writes it (invalid UTF-8
// replaced by U+FFFD).
void AppendJsonString(std::string_view s, std::string* out);

// Maximum nesting of a JSON input line: deeper lines are rejected before
// parsing (nlohmann's values copy and destroy recursively).
inline constexpr int kMaxJsonDepth = 256;

// Parses one JSONL line into `out` after the checks every JSONL reader of
// the CLI applies: nesting at most kMaxJsonDepth; invalid UTF-8 bytes and
// lone surrogate escapes (\ud800) inside the line are replaced by U+FFFD
// rather than rejecting the whole comment (it is classified, with the
// replacement). Returns "" or the error message for the line.
// `repaired` (optional) is set when the line only parsed after that repair.
// With `huge_numbers` given, a line that is valid JSON but has a number
// beyond the double range (1e400) is parsed with such numbers read as 0 and
// `*huge_numbers` set (the caller must then take kept fields from the line's
// text, see SplitObjectMembers); without it such a line is "invalid JSON".
std::string ParseJsonLine(std::string_view line, nlohmann::ordered_json* out,
                          bool* repaired = nullptr, bool* huge_numbers = nullptr);
std::string ParseJsonLine(std::string_view line, nlohmann::json* out,
                          bool* repaired = nullptr, bool* huge_numbers = nullptr);

// One top-level member of a JSON object, as written in the input: `key` is
// the quoted key and `value` the value's text, both byte ranges of the line.
struct RawMember {
  std::string_view key, value;
};

// Splits the text of a JSON object that ParseJsonLine accepted WITHOUT
// repair into its top-level members, in input order (duplicates kept).
// Lets the CLI copy kept fields byte for byte: numbers such as 1e2 or ids
// beyond 2^64 stay exactly as written instead of being re-serialised.
// Returns false when `json` is not such an object (callers then fall back to
// the parsed value).
bool SplitObjectMembers(std::string_view json, std::vector<RawMember>* out);

// JSON text of `j` on one line; invalid UTF-8 in strings is replaced (U+FFFD).
std::string Dump(const nlohmann::json& j);
std::string Dump(const nlohmann::ordered_json& j);

// Runs fn(i, scratch) for i in [0, n) on `threads` threads, each with its own
// Scratch of `engine`.
void ParallelFor(const Engine& engine, size_t n, int threads,
                 const std::function<void(size_t, Scratch&)>& fn);

}  // namespace rumod::cli

#endif  // RUMOD_CLI_COMMON_H_
