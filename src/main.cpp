// Entry point: the whole tool is the library's run().
#include <iostream>

#include "ksail_benchstat/cli.hpp"
#include "ksail_benchstat/process_tuning.hpp"

int main(int argc, char** argv) {
    ksail_benchstat::tune_process(argc, argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    return ksail_benchstat::run_and_exit(args, std::cout, std::cerr);
}
