// The command line, run in-process: parse arguments, read inputs, compare, render, write.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace ksail_benchstat {

// Runs ksail-benchstat with `args` (without the program name), writing results to `out` and
// diagnostics to `err`. Returns the process exit code (see ExitCode). Never throws.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// run() for main(), whose process exits right after: the report's memory is left to the operating
// system rather than freed piece by piece.
int run_and_exit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace ksail_benchstat
