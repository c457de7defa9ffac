// rumod — command-line front end. See README.md and docs/cli.md.
#include <cstring>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "rumod/engine.h"

namespace {

constexpr const char* kUsage = R"(usage: rumod <command> [options]

Classification (engine: the embedded default, or --engine FILE):
  classify [FILE|-] [--text] [--threads N]   JSONL {"id","text",...} in, one verdict per line out
  explain TEXT                                normalized views and every match with its rule
  eval FILE [--json] [--threads N]            precision/recall per category on labelled JSONL
  vocab-check [--allow FILE] [--threads N]    standard hunspell-ru words flagged profanity
Dictionaries:
  compile DIR -o FILE                         compile dictionary sources to an engine file
Blacklist (SQLite):
  blacklist ...                               list/show/ban/unban/purge/export (rumod blacklist --help)
  moderate --db FILE [--policy FILE] [INPUT]  classify, apply the policy, record decisions

  rumod --version
)";

// Runs the command named by argv[1]; its exit code.
int Dispatch(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  rumod::cli::Args args(argv + 2, argv + argc);
  if (cmd == "--version" || cmd == "version") {
    std::cout << "rumod " << rumod::Version() << "\n";
    return 0;
  }
  if (cmd == "classify") return rumod::cli::RunClassify(args);
  if (cmd == "explain") return rumod::cli::RunExplain(args);
  if (cmd == "compile") return rumod::cli::RunCompile(args);
  if (cmd == "eval") return rumod::cli::RunEval(args);
  if (cmd == "vocab-check") return rumod::cli::RunVocabCheck(args);
  if (cmd == "blacklist") return rumod::cli::RunBlacklist(args);
  if (cmd == "moderate") return rumod::cli::RunModerate(args);
  std::cerr << "rumod: unknown command '" << cmd << "'\n" << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const int rc = Dispatch(argc, argv);
  // Output that could not be written (a full disk, a closed pipe) is an
  // error, not a success: commands that found it themselves (classify,
  // moderate) already said so and returned 1.
  std::cout.flush();
  if (!std::cout && rc == 0) {
    std::cerr << "rumod" << (argc >= 2 ? " " : "") << (argc >= 2 ? argv[1] : "")
              << ": cannot write to standard output\n";
    return 1;
  }
  return rc;
}
