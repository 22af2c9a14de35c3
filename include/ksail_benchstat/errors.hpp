// The project's one error channel: exceptions for fatal problems, caught once in run().
#pragma once

#include <stdexcept>
#include <string>

namespace ksail_benchstat {

// Process exit codes, as documented in docs/cli.md.
enum class ExitCode : int { ok = 0, gate_failed = 1, usage_or_input = 2, internal = 3 };

// A bad command line: unknown option, bad value, missing file argument.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An unreadable or malformed input, or one that records a failed benchmark run. The message is
// ready to print and starts with "FILE:LINE: " (or "FILE: " when no line applies).
class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The output (-o, --summary) cannot be written: a missing folder, a full disk. Not a fault of the
// command line, so reported without the usage hint.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Builds the "FILE:LINE: message" text used by InputError and by warnings. line 0 omits the line.
std::string located(std::string_view file, std::size_t line, std::string_view message);

}  // namespace ksail_benchstat
