// Subcommands of the `rumod` CLI. Each takes the arguments after the
// subcommand name and returns the process exit code (0 ok, 1 runtime error,
// 2 usage error). Output goes to stdout, diagnostics and progress to stderr.
#ifndef RUMOD_CLI_COMMANDS_H_
#define RUMOD_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace rumod::cli {

using Args = std::vector<std::string>;

int RunClassify(const Args& args);    // rumod classify [FILE|-] [--text] [--threads N] [--engine F]
int RunExplain(const Args& args);     // rumod explain TEXT [--engine F]
int RunCompile(const Args& args);     // rumod compile DIR -o FILE
int RunEval(const Args& args);        // rumod eval FILE [--json] [--engine F]
int RunVocabCheck(const Args& args);  // rumod vocab-check [--engine F]
int RunBlacklist(const Args& args);   // rumod blacklist ... (src/cli/blacklist_cmd.cc)
int RunModerate(const Args& args);    // rumod moderate --db FILE ... (src/cli/blacklist_cmd.cc)

}  // namespace rumod::cli

#endif  // RUMOD_CLI_COMMANDS_H_
