// The JSON renderer's number formatting.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ksail_benchstat/render.hpp"

using namespace ksail_benchstat;

TEST(RenderJson, WholeNumbersAreWrittenAsNlohmannWritesThem) {
    // The renderer writes whole numbers itself; every other number, and these too before, came
    // from nlohmann's formatting, which this checks it against.
    const auto nlohmann_text = [](double d) {
        char buffer[64];
        return std::string(buffer, nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, d));
    };
    std::vector<double> values;
    for (int i = -100000; i <= 100000; ++i) values.push_back(i);
    values.push_back(-0.0);
    for (double p = 1; p <= 1e16; p *= 10) {
        for (double d : {p - 2, p - 1, p, p + 1, p + 2, 2 * p, 9 * p, 9.5 * p}) {
            values.push_back(d);
            values.push_back(-d);
        }
    }
    std::mt19937_64 random(7);
    for (int i = 0; i < 500000; ++i) {
        const double magnitude = std::pow(10.0, std::uniform_real_distribution<double>(0, 15.2)(random));
        values.push_back(std::trunc(magnitude));
        values.push_back(std::trunc(magnitude) / 8);  // not whole: nlohmann's own path
    }
    for (double d : {0.5, 1e-7, 123.25, 1e15 - 0.5, 4503599627370495.5, 9007199254740993.0, 1e21, 5e-324}) {
        values.push_back(d);
    }
    for (double d : values) ASSERT_EQ(json_double(d), nlohmann_text(d)) << d;
    EXPECT_EQ(json_double(std::nan("")), "null");
    EXPECT_EQ(json_double(-INFINITY), "null");
}
