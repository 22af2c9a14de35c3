// Fuzz target: parse_go_text() on arbitrary bytes; only InputError may escape, results must be sane.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ksail_benchstat;
    try {
        fuzz::check_parsed(parse_go_text(fuzz::as_text(data, size), "fuzz"));
    } catch (const InputError&) {
        // A clear rejection is a correct answer.
    }
    return 0;
}
