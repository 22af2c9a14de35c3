// Deterministic benchmark result files of a given size, for benchmarks of the tool itself.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ksail_bench {

struct GenerateOptions {
    std::string format = "go-text";  // go-text | go-test-json | gbench-json
    double megabytes = 100;          // approximate size of the output
    int count = 10;                  // samples (runs / repetitions) per benchmark
    bool after = false;  // the second file of a pair: the same benchmarks, about 6% of them changed
};

using Sink = std::function<void(std::string_view)>;

// Writes the file piece by piece to `write`; the same options always give the same bytes.
void generate(const GenerateOptions& options, const Sink& write);
// The whole file as one string.
std::string generate(const GenerateOptions& options);

}  // namespace ksail_bench
