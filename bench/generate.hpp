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
    // Go formats: 0 for a thousand benchmarks of distinct names per package; N for N benchmarks per
    // package whose names repeat in every package (a monorepo's many small packages).
    int per_package = 0;
    double noise = 0.03;  // the spread of the runs, as the standard deviation of their logarithm
};

using Sink = std::function<void(std::string_view)>;

// Writes the file piece by piece to `write`; the same options always give the same bytes.
void generate(const GenerateOptions& options, const Sink& write);
// The whole file as one string.
std::string generate(const GenerateOptions& options);

}  // namespace ksail_bench
