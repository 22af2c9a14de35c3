// Helpers shared by the test files: reading testdata and finding a series.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

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

}  // namespace ksail_benchstat::testing_support
