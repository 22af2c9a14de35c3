// Helpers shared by the test files: reading testdata, finding a series, small Go inputs.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat::testing_support {

// The contents of testdata/<relative>; a missing file fails the calling test.
inline std::string read_testdata(const std::string& relative) {
    std::ifstream in(std::string(KSAIL_TESTDATA_DIR) + "/" + relative, std::ios::binary);
    EXPECT_TRUE(in) << relative;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// The series of `input` with this name and unit, or nullptr.
inline const Series* find_series(const ParsedInput& input, std::string_view name, std::string_view unit) {
    for (const Series& series : input.series) {
        if (series.name == name && series.unit == unit) return &series;
    }
    return nullptr;
}

// Six Go result lines of `name` at `ns` nanoseconds per op, with a small deterministic spread.
inline std::string samples(std::string_view name, double ns) {
    std::string out;
    for (int i = 0; i < 6; ++i) out += fmt::format("{}-8\t1000\t{} ns/op\n", name, ns * (1 + 0.001 * i));
    return out;
}

// The configuration lines that start the small Go inputs of the renderer tests.
inline const std::string k_header = "goos: linux\ngoarch: amd64\npkg: example.com/mod/pkg/fast\n";

}  // namespace ksail_benchstat::testing_support
