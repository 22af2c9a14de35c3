// Fuzz target: the command-line parser, run() with arguments taken one per line from the input.
// Runs in a private scratch folder holding two small Go benchmark files (old.txt, new.txt) and
// a Google Benchmark file (g.json); arguments containing '/' are skipped so nothing outside the
// folder is read or written, and standard input is empty. Exit code 3 (internal error) or any
// escaping exception is a failure; errors must be one "ksail-benchstat: error:" line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "fuzz_support.hpp"
#include "ksail_benchstat/cli.hpp"

namespace {

namespace fs = std::filesystem;

const char* const k_old = "goos: linux\ngoarch: amd64\npkg: example\n"
                          "BenchmarkA-8 100 1000 ns/op 64 B/op 2 allocs/op\n"
                          "BenchmarkA-8 100 1010 ns/op 64 B/op 2 allocs/op\n"
                          "BenchmarkA-8 100 990 ns/op 64 B/op 2 allocs/op\n"
                          "BenchmarkB-8 10 5000 ns/op\nBenchmarkB-8 10 5100 ns/op\nBenchmarkB-8 10 4900 ns/op\n";
const char* const k_new = "goos: linux\ngoarch: amd64\npkg: example\n"
                          "BenchmarkA-8 100 1500 ns/op 64 B/op 2 allocs/op\n"
                          "BenchmarkA-8 100 1510 ns/op 64 B/op 2 allocs/op\n"
                          "BenchmarkA-8 100 1490 ns/op 64 B/op 2 allocs/op\n"
                          "BenchmarkB-8 10 5000 ns/op\nBenchmarkB-8 10 5050 ns/op\nBenchmarkB-8 10 4950 ns/op\n";
const char* const k_gbench = R"({"context": {"num_cpus": 2}, "benchmarks": [
  {"name": "BM_X", "run_type": "iteration", "iterations": 10, "real_time": 5.0, "cpu_time": 5.0, "time_unit": "ns"},
  {"name": "BM_X", "run_type": "iteration", "iterations": 10, "real_time": 6.0, "cpu_time": 6.0, "time_unit": "ns"}]})";

// Created on first use, removed when the process exits normally.
struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("ksail-fuzz-cli-" + std::to_string(::getpid()));
    Scratch() { fs::create_directories(dir); }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
};

const fs::path& scratch() {
    static const Scratch s;
    return s.dir;
}

void reset_scratch() {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(scratch(), ec)) fs::remove_all(entry.path(), ec);
    std::ofstream(scratch() / "old.txt") << k_old;
    std::ofstream(scratch() / "new.txt") << k_new;
    std::ofstream(scratch() / "g.json") << k_gbench;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = ksail_benchstat::fuzz::as_text(data, size);
    std::vector<std::string> args;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        args.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    if (args.size() > 64) return 0;
    for (const auto& a : args) {
        if (a.find('/') != std::string::npos || a.find('\0') != std::string::npos) return 0;
    }

    reset_scratch();
    const fs::path saved = fs::current_path();
    fs::current_path(scratch());
    std::istringstream empty_stdin;
    std::streambuf* saved_cin = std::cin.rdbuf(empty_stdin.rdbuf());
    std::ostringstream out;
    std::ostringstream err;
    int code = ksail_benchstat::run(args, out, err);
    std::cin.rdbuf(saved_cin);
    fs::current_path(saved);

    if (code != 0 && code != 1 && code != 2) ksail_benchstat::fuzz::fail("run() returned an unexpected exit code");
    if (code == 2 && err.str().find("ksail-benchstat: error: ") == std::string::npos) {
        ksail_benchstat::fuzz::fail("exit 2 without an error line");
    }
    return 0;
}
