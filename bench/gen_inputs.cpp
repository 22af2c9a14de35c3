// Command-line front end of the deterministic input generator (used by bench/e2e.sh).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "generate.hpp"

int main(int argc, char** argv) {
    const auto usage = [] {
        std::fputs("usage: gen_inputs go-text|go-test-json|gbench-json MEGABYTES before|after [COUNT [PER_PACKAGE "
                   "[NOISE]]]\n"
                   "  COUNT        runs per benchmark (default 10)\n"
                   "  PER_PACKAGE  Go: benchmarks per package, their names repeated in every package (default 0:\n"
                   "               a thousand of distinct names each)\n"
                   "  NOISE        Go: spread of the runs, the standard deviation of their logarithm (default 0.03)\n",
                   stderr);
        return 2;
    };
    if (argc < 4) return usage();
    ksail_bench::GenerateOptions options;
    options.format = argv[1];
    options.megabytes = std::atof(argv[2]);
    const std::string side = argv[3];
    if (side != "before" && side != "after") return usage();
    options.after = side == "after";
    if (argc > 4) options.count = std::atoi(argv[4]);
    if (argc > 5) options.per_package = std::atoi(argv[5]);
    if (argc > 6) options.noise = std::atof(argv[6]);
    if (options.format != "go-text" && options.format != "go-test-json" && options.format != "gbench-json") return usage();
    if (!(options.megabytes > 0) || options.count < 1 || options.per_package < 0 || !(options.noise >= 0)) return usage();
    ksail_bench::generate(options, [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
    return 0;
}
