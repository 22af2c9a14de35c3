// What every fuzz target checks about a parse result: no exception but InputError escapes, and
// everything that came out is sane (finite, non-negative sample values; named series).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat::fuzz {

// Stops the run loudly: libFuzzer records the input as a crash, the replay test fails.
[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// A parser may reject input, but what it accepts must be a sample set the statistics can trust.
inline void check_parsed(const ParsedInput& parsed) {
    for (const Series& series : parsed.series) {
        if (series.values.empty()) fail("a series without samples");
        if (series.unit.empty()) fail("a series without a unit");
        if (series.config >= parsed.configs.size()) fail("a series with a bad config index");
        for (double v : series.values) {
            if (!std::isfinite(v)) fail("a non-finite sample value");
        }
    }
}

}  // namespace ksail_benchstat::fuzz
