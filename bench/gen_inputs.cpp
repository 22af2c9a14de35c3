// Command-line front end of the deterministic input generator (used by bench/e2e.sh).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "generate.hpp"

int main(int argc, char** argv) {
    const auto usage = [] {
        std::fputs("usage: gen_inputs go-text|go-test-json|gbench-json MEGABYTES before|after [COUNT]\n", stderr);
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
    if (options.format != "go-text" && options.format != "go-test-json" && options.format != "gbench-json") return usage();
    if (!(options.megabytes > 0) || options.count < 1) return usage();
    ksail_bench::generate(options, [](std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), stdout); });
    return 0;
}
