// Tests of the Google Benchmark JSON parser: inline documents per feature, then the real files.
#include "ksail_benchstat/parse_gbench_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ksail_benchstat/errors.hpp"

#include "test_support.hpp"

namespace ksail_benchstat {
namespace {

using testing_support::read_testdata;

using testing_support::find_series;

const UnitInfo* find_unit(const ParsedInput& input, std::string_view unit) {
    for (const UnitInfo& info : input.units) {
        if (info.unit == unit) {
            return &info;
        }
    }
    return nullptr;
}

// The values of the series with this name and unit; none when there is no such series.
std::vector<double> values_of(const ParsedInput& input, std::string_view name, std::string_view unit) {
    const Series* series = find_series(input, name, unit);
    return series == nullptr ? std::vector<double>{} : series->values.to_vector();
}

double median_of(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The message of the InputError that parsing `text` throws, or "" when it does not throw.
std::string error_of(std::string_view text) {
    try {
        parse_gbench_json(text, "in.json");
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

// Parses `text` twice: once as it is, and once behind a byte-order mark, which the fast reader
// leaves to nlohmann's parser from the start. Both readers must agree, errors included; the
// result is the first parse.
ParsedInput parse_with_both_readers(const std::string& text) {
    const std::string fallback_error = error_of("\xEF\xBB\xBF" + text);
    try {
        ParsedInput input = parse_gbench_json(text, "in.json");
        EXPECT_EQ(fallback_error, "");
        const ParsedInput fallback = parse_gbench_json("\xEF\xBB\xBF" + text, "in.json");
        EXPECT_EQ(fallback.series.size(), input.series.size());
        for (std::size_t i = 0; i < std::min(input.series.size(), fallback.series.size()); ++i) {
            EXPECT_EQ(fallback.series[i].name, input.series[i].name);
            EXPECT_EQ(fallback.series[i].unit, input.series[i].unit);
            EXPECT_EQ(fallback.series[i].values.to_vector(), input.series[i].values.to_vector());
        }
        EXPECT_EQ(fallback.warnings.size(), input.warnings.size());
        for (std::size_t i = 0; i < std::min(input.warnings.size(), fallback.warnings.size()); ++i) {
            EXPECT_EQ(fallback.warnings[i].line, input.warnings[i].line);
            EXPECT_EQ(fallback.warnings[i].message, input.warnings[i].message);
        }
        EXPECT_EQ(fallback.configs, input.configs);
        return input;
    } catch (const InputError& error) {
        EXPECT_EQ(fallback_error, error.what());
        throw;
    }
}

// The message of the InputError both readers throw for `text`.
std::string error_of_both(const std::string& text) {
    try {
        parse_with_both_readers(text);
    } catch (const InputError& error) {
        return error.what();
    }
    return "";
}

bool has_warning_containing(const ParsedInput& input, std::string_view needle) {
    return std::any_of(input.warnings.begin(), input.warnings.end(), [&](const Diagnostic& d) {
        return d.message.find(needle) != std::string::npos;
    });
}

TEST(ParseGbenchJson, IterationEntriesAreSamplesInSeconds) {
    const char* text = R"({
  "context": {"date": "2024-01-01T00:00:00", "num_cpus": 8},
  "benchmarks": [
    {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "repetitions": 3,
     "repetition_index": 0, "threads": 1, "iterations": 100,
     "real_time": 10.0, "cpu_time": 9.0, "time_unit": "ns"},
    {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "repetitions": 3,
     "repetition_index": 1, "threads": 1, "iterations": 100,
     "real_time": 12.0, "cpu_time": 11.0, "time_unit": "ns"},
    {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "repetitions": 3,
     "repetition_index": 2, "threads": 1, "iterations": 100,
     "real_time": 11.0, "cpu_time": 10.0, "time_unit": "ns"}
  ]
})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    EXPECT_EQ(input.format, InputFormat::gbench_json);
    EXPECT_FALSE(input.aggregates_only);
    ASSERT_EQ(input.series.size(), 2u);
    const Series& real = input.series[0];
    EXPECT_EQ(real.name, "BM_A");
    EXPECT_EQ(real.unit, "sec/op");
    EXPECT_EQ(real.line, 4u);
    EXPECT_EQ(real.config, 0u);
    ASSERT_EQ(real.values.size(), 3u);
    EXPECT_DOUBLE_EQ(real.values[0], 10e-9);
    EXPECT_DOUBLE_EQ(real.values[1], 12e-9);
    EXPECT_DOUBLE_EQ(real.values[2], 11e-9);
    EXPECT_EQ(input.series[1].unit, "cpu-sec/op");
    EXPECT_DOUBLE_EQ(input.series[1].values[1], 11e-9);
    EXPECT_TRUE(input.warnings.empty());
}

TEST(ParseGbenchJson, ConvertsEveryTimeUnitAndDefaultsToNanoseconds) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_ns", "run_type": "iteration", "real_time": 5, "cpu_time": 5},
    {"name": "BM_us", "run_type": "iteration", "real_time": 5, "cpu_time": 5, "time_unit": "us"},
    {"name": "BM_ms", "run_type": "iteration", "real_time": 5, "cpu_time": 5, "time_unit": "ms"},
    {"name": "BM_s", "run_type": "iteration", "real_time": 5, "cpu_time": 5, "time_unit": "s"}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    EXPECT_DOUBLE_EQ(find_series(input, "BM_ns", "sec/op")->values[0], 5e-9);
    EXPECT_DOUBLE_EQ(find_series(input, "BM_us", "sec/op")->values[0], 5e-6);
    EXPECT_DOUBLE_EQ(find_series(input, "BM_ms", "cpu-sec/op")->values[0], 5e-3);
    EXPECT_DOUBLE_EQ(find_series(input, "BM_s", "sec/op")->values[0], 5.0);
    EXPECT_NE(error_of(R"({"benchmarks": [{"name": "BM", "real_time": 1, "time_unit": "fortnight"}]})"),
              "");
}

TEST(ParseGbenchJson, IdentityIsRunNameAsWrittenAndLabelIsNotPartOfIt) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_X/8/real_time", "run_name": "BM_X/8/real_time", "run_type": "iteration", "real_time": 1, "cpu_time": 1},
    {"name": "BM_X/threads:4", "run_name": "BM_X/threads:4", "run_type": "iteration", "threads": 4, "real_time": 1, "cpu_time": 4},
    {"name": "BM_M/manual_time", "run_name": "BM_M/manual_time", "run_type": "iteration", "real_time": 1, "cpu_time": 1},
    {"name": "BM_R/repeats:3", "run_name": "BM_R/repeats:3", "run_type": "iteration", "real_time": 1, "cpu_time": 1},
    {"name": "BM_I/iterations:20", "run_name": "BM_I/iterations:20", "run_type": "iteration", "real_time": 1, "cpu_time": 1},
    {"name": "BM_L", "run_name": "BM_L", "run_type": "iteration", "real_time": 1, "cpu_time": 1, "label": "variant=a"},
    {"name": "BM_L", "run_name": "BM_L", "run_type": "iteration", "real_time": 2, "cpu_time": 2, "label": "variant=b"}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    for (const char* name : {"BM_X/8/real_time", "BM_X/threads:4", "BM_M/manual_time",
                             "BM_R/repeats:3", "BM_I/iterations:20"}) {
        EXPECT_NE(find_series(input, name, "sec/op"), nullptr) << name;
    }
    const Series* labelled = find_series(input, "BM_L", "sec/op");
    ASSERT_NE(labelled, nullptr);
    // Repetitions whose labels differ are still one benchmark.
    EXPECT_EQ(labelled->values.size(), 2u);
}

TEST(ParseGbenchJson, OldFilesWithoutRunNameGroupByName) {
    // Before run_name existed aggregates were only told apart by their name suffix.
    const char* text = R"({"benchmarks": [
    {"name": "BM_Old", "iterations": 10, "real_time": 1, "cpu_time": 1, "time_unit": "ns"},
    {"name": "BM_Old", "iterations": 10, "real_time": 3, "cpu_time": 3, "time_unit": "ns"},
    {"name": "BM_Old_mean", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 2, "cpu_time": 2},
    {"name": "BM_Old_median", "run_type": "aggregate", "aggregate_name": "median", "real_time": 2, "cpu_time": 2}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    ASSERT_EQ(input.series.size(), 2u);
    EXPECT_EQ(input.series[0].name, "BM_Old");
    EXPECT_EQ(input.series[0].values.size(), 2u);
    EXPECT_FALSE(input.aggregates_only);
}

TEST(ParseGbenchJson, CountersBecomeMetricsWithDirections) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_C", "run_name": "BM_C", "run_type": "iteration", "family_index": 0,
     "per_family_instance_index": 0, "repetitions": 1, "repetition_index": 0, "threads": 1,
     "iterations": 7, "real_time": 1, "cpu_time": 1, "time_unit": "ns",
     "bytes_per_second": 1000.0, "items_per_second": 50, "nodes": 42,
     "frames/s": 60, "rows_per_second": 7, "complexity_n": 64, "unknown_text": "x",
     "unknown_flag": true, "unknown_nested": {"a": [1, 2, {"b": 3}]}}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    std::vector<std::string> units;
    for (const Series& series : input.series) {
        units.push_back(series.unit.str());
    }
    EXPECT_EQ(units, (std::vector<std::string>{"sec/op", "cpu-sec/op", "B/s", "items/s", "nodes",
                                               "frames/s", "rows_per_second"}));
    EXPECT_DOUBLE_EQ(find_series(input, "BM_C", "B/s")->values[0], 1000.0);
    EXPECT_DOUBLE_EQ(find_series(input, "BM_C", "nodes")->values[0], 42.0);

    const auto expect_unit = [&](std::string_view unit, bool has_better, Better better) {
        const UnitInfo* info = find_unit(input, unit);
        ASSERT_NE(info, nullptr) << unit;
        EXPECT_EQ(info->has_better, has_better) << unit;
        EXPECT_EQ(info->better, better) << unit;
    };
    expect_unit("sec/op", true, Better::lower);
    expect_unit("cpu-sec/op", true, Better::lower);
    expect_unit("B/s", true, Better::higher);
    expect_unit("items/s", true, Better::higher);
    expect_unit("frames/s", true, Better::higher);
    expect_unit("rows_per_second", true, Better::higher);
    expect_unit("nodes", false, Better::lower);
    EXPECT_EQ(input.units.size(), 7u);
}

TEST(ParseGbenchJson, AggregatesAreIgnoredWhenRepetitionsExist) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "real_time": 1, "cpu_time": 1},
    {"name": "BM_A", "run_name": "BM_A", "run_type": "iteration", "real_time": 3, "cpu_time": 3},
    {"name": "BM_A_mean", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 2, "cpu_time": 2},
    {"name": "BM_A_median", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "median", "real_time": 2, "cpu_time": 2},
    {"name": "BM_A_stddev", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "stddev", "real_time": 1, "cpu_time": 1},
    {"name": "BM_A_cv", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "cv", "aggregate_unit": "percentage", "real_time": 0.5, "cpu_time": 0.5},
    {"name": "BM_A_max", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "max", "real_time": 3, "cpu_time": 3}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    ASSERT_EQ(input.series.size(), 2u);
    EXPECT_EQ(input.series[0].values, (std::vector<double>{1e-9, 3e-9}));
    EXPECT_FALSE(input.aggregates_only);
    EXPECT_TRUE(input.warnings.empty());
}

TEST(ParseGbenchJson, AggregatesOnlyUsesTheMedianAndWarnsOnce) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_A_mean", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 2, "cpu_time": 2},
    {"name": "BM_A_median", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "median", "real_time": 1.5, "cpu_time": 1.25},
    {"name": "BM_A_stddev", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "stddev", "real_time": 1, "cpu_time": 1},
    {"name": "BM_B_mean", "run_name": "BM_B", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 7, "cpu_time": 7},
    {"name": "BM_B_stddev", "run_name": "BM_B", "run_type": "aggregate", "aggregate_name": "stddev", "real_time": 1, "cpu_time": 1}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    EXPECT_TRUE(input.aggregates_only);
    ASSERT_EQ(input.series.size(), 4u);
    EXPECT_EQ(find_series(input, "BM_A", "sec/op")->values, std::vector<double>{1.5e-9});
    EXPECT_EQ(find_series(input, "BM_A", "cpu-sec/op")->values, std::vector<double>{1.25e-9});
    EXPECT_EQ(find_series(input, "BM_A", "sec/op")->line, 3u);
    // No median: the mean stands in.
    EXPECT_EQ(find_series(input, "BM_B", "sec/op")->values, std::vector<double>{7e-9});
    ASSERT_EQ(input.warnings.size(), 1u);
    const std::string& message = input.warnings[0].message;
    EXPECT_NE(message.find("per-repetition"), std::string::npos);
    EXPECT_NE(message.find("--benchmark_report_aggregates_only"), std::string::npos);
    EXPECT_NE(message.find("--benchmark_repetitions=10"), std::string::npos);
    EXPECT_NE(message.find("--benchmark_enable_random_interleaving=true"), std::string::npos);
}

TEST(ParseGbenchJson, BigOAndRmsAreNeverSamples) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_C/64", "run_name": "BM_C/64", "run_type": "iteration", "real_time": 1, "cpu_time": 1, "complexity_n": 64},
    {"name": "BM_C_BigO", "run_name": "BM_C", "run_type": "aggregate", "aggregate_name": "BigO", "cpu_coefficient": 1.6, "real_coefficient": 1.6, "big_o": "N", "time_unit": "ns"},
    {"name": "BM_C_RMS", "run_name": "BM_C", "run_type": "aggregate", "aggregate_name": "RMS", "rms": 0.01, "aggregate_unit": "percentage"},
    {"name": "BM_D_BigO", "run_type": "aggregate", "cpu_coefficient": 2, "real_coefficient": 2, "big_o": "NlgN"},
    {"name": "BM_D_RMS", "run_type": "aggregate", "rms": 0.02}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    ASSERT_EQ(input.series.size(), 2u);
    EXPECT_EQ(input.series[0].name, "BM_C/64");
    EXPECT_FALSE(input.aggregates_only);
    EXPECT_TRUE(input.warnings.empty());
}

TEST(ParseGbenchJson, IterationEntriesNamedLikeComplexityFitsAreSamples) {
    // Only aggregates are complexity fits; a benchmark may well be called BM_Signal_RMS.
    const ParsedInput input = parse_gbench_json(R"({"benchmarks": [
    {"name": "BM_Signal_RMS", "run_name": "BM_Signal_RMS", "run_type": "iteration", "real_time": 1, "cpu_time": 1},
    {"name": "BM_Signal_RMS", "run_name": "BM_Signal_RMS", "run_type": "iteration", "real_time": 3, "cpu_time": 3},
    {"name": "BM_Signal_RMS_mean", "run_name": "BM_Signal_RMS", "run_type": "aggregate", "aggregate_name": "mean", "real_time": 2, "cpu_time": 2},
    {"name": "BM_Curve_BigO", "run_name": "BM_Curve_BigO", "run_type": "iteration", "real_time": 5, "cpu_time": 5},
    {"name": "BM_Curve_BigO_BigO", "run_name": "BM_Curve_BigO", "run_type": "aggregate", "aggregate_name": "BigO", "cpu_coefficient": 5, "real_coefficient": 5, "big_o": "1"}
    ]})", "in.json");
    EXPECT_EQ(values_of(input, "BM_Signal_RMS", "sec/op"), (std::vector<double>{1e-9, 3e-9}));
    EXPECT_EQ(values_of(input, "BM_Curve_BigO", "sec/op"), std::vector<double>{5e-9});
    EXPECT_EQ(input.series.size(), 4u);

    // With aggregates only, the median of such a benchmark stands for it.
    const ParsedInput aggregates = parse_gbench_json(R"({"benchmarks": [
    {"name": "BM_Signal_RMS_median", "run_name": "BM_Signal_RMS", "run_type": "aggregate", "aggregate_name": "median", "real_time": 2, "cpu_time": 2}
    ]})", "in.json");
    EXPECT_EQ(values_of(aggregates, "BM_Signal_RMS", "sec/op"), std::vector<double>{2e-9});

    // Files from before run_type tell complexity fits only by name.
    const ParsedInput old = parse_gbench_json(R"({"benchmarks": [
    {"name": "BM_Old/8", "iterations": 10, "real_time": 1, "cpu_time": 1},
    {"name": "BM_Old_BigO", "cpu_coefficient": 1, "real_coefficient": 1, "big_o": "N"},
    {"name": "BM_Old_RMS", "rms": 0.1}
    ]})", "in.json");
    ASSERT_EQ(old.series.size(), 2u);
    EXPECT_EQ(old.series[0].name, "BM_Old/8");
}

TEST(ParseGbenchJson, NonFiniteLiteralsAreReadAndTheirValuesDroppedWithAWarning) {
    // Google Benchmark writes NaN, Infinity and -Infinity bare, e.g. Infinity for a kIsRate |
    // kInvert counter of a repetition that counted nothing.
    const std::string text = R"({"context": {"mhz_per_cpu": NaN, "load_avg": [NaN, -Infinity, Infinity], "x": Infinity},
  "benchmarks": [
    {"name": "BM_G", "run_type": "iteration", "real_time": 10, "cpu_time": 10, "nodes": 0, "ns_per_node": Infinity, "ratio": NaN},
    {"name": "BM_G", "run_type": "iteration", "real_time": 12, "cpu_time": 12, "nodes": 5, "ns_per_node": 2.4, "ratio":NaN},
    {"name": "BM_G", "run_type": "iteration", "real_time": NaN, "cpu_time": 11, "nodes": 5, "ns_per_node": -Infinity,
     "ratio":
NaN
}, {"name": "BM_E", "run_type": "iteration", "error_occurred": true, "real_time": NaN, "cpu_time": NaN},
    {"name": "BM_E", "run_type": "iteration", "real_time": 3, "cpu_time": 3, "label": "NaN"}
  ]})";
    const ParsedInput input = parse_with_both_readers(text);
    EXPECT_EQ(values_of(input, "BM_G", "sec/op"), (std::vector<double>{10e-9, 12e-9}));
    EXPECT_EQ(values_of(input, "BM_G", "cpu-sec/op").size(), 3u);
    EXPECT_EQ(values_of(input, "BM_G", "nodes"), (std::vector<double>{0, 5, 5}));
    EXPECT_EQ(values_of(input, "BM_G", "ns_per_node"), std::vector<double>{2.4});
    EXPECT_EQ(find_series(input, "BM_G", "ratio"), nullptr);
    EXPECT_EQ(find_unit(input, "ratio"), nullptr);
    EXPECT_EQ(values_of(input, "BM_E", "sec/op"), std::vector<double>{3e-9});
    EXPECT_EQ(config_value(input.configs[0], "mhz_per_cpu"), "NaN");
    EXPECT_EQ(config_value(input.configs[0], "x"), "Infinity");
    ASSERT_EQ(input.warnings.size(), 4u);
    EXPECT_EQ(input.warnings[0].message, "benchmark BM_E reported an error in 1 of 2 repetitions; excluded");
    EXPECT_EQ(input.warnings[1].line, 3u);
    EXPECT_EQ(input.warnings[1].message, "BM_G: 2 ns_per_node values dropped: not finite (Infinity, -Infinity)");
    EXPECT_EQ(input.warnings[2].line, 3u);
    EXPECT_EQ(input.warnings[2].message, "BM_G: 3 ratio values dropped: not finite (NaN)");
    EXPECT_EQ(input.warnings[3].line, 5u);
    EXPECT_EQ(input.warnings[3].message, "BM_G: 1 sec/op value dropped: not finite (NaN)");

    // An aggregate standing for a benchmark loses the metric too.
    const ParsedInput aggregates = parse_with_both_readers(R"({"benchmarks": [
    {"name": "BM_A_median", "run_name": "BM_A", "run_type": "aggregate", "aggregate_name": "median",
     "real_time": Infinity, "cpu_time": 2}]})");
    EXPECT_EQ(find_series(aggregates, "BM_A", "sec/op"), nullptr);
    EXPECT_EQ(values_of(aggregates, "BM_A", "cpu-sec/op"), std::vector<double>{2e-9});
    EXPECT_TRUE(has_warning_containing(aggregates, "BM_A: 1 sec/op value dropped: not finite (Infinity)"));
}

TEST(ParseGbenchJson, OnlyGoogleBenchmarksSpellingsOfNonFiniteNumbersAreRead) {
    for (const char* value : {"nan", "NAN", "-NaN", "+Infinity", "inf", "-inf", "Infinite", "Inf", "NaN0",
                              "Infinity.5", "NaNx", "-Infinityy", "- Infinity", "1 NaN"}) {
        const std::string message =
            error_of_both(fmt::format("{{\"benchmarks\": [\n{{\"name\": \"BM\",\n\"real_time\": {}}}]}}", value));
        EXPECT_EQ(message.substr(0, 25), "in.json:3: malformed JSON") << value << ": " << message;
    }
    // Not where a value stands, either.
    EXPECT_EQ(error_of_both("{\"benchmarks\": [\n{NaN: 1}]}").substr(0, 25), "in.json:2: malformed JSON");
    EXPECT_EQ(error_of_both("{\"benchmarks\": [\n{\"name\": \"BM\" NaN}]}").substr(0, 25),
              "in.json:2: malformed JSON");
    EXPECT_EQ(error_of("NaN"),
              "in.json:1: malformed JSON: syntax error while parsing value - invalid literal; last read: 'N'");
    // The message quotes the literal as written.
    EXPECT_EQ(error_of_both("{\"benchmarks\": [\n{\"name\": \"BM\", \"real_time\": NaN x}]}"),
              "in.json:2: malformed JSON: syntax error while parsing object - invalid literal; last read: 'NaN x'; "
              "expected '}'");
    EXPECT_EQ(error_of_both("{\"benchmarks\": [\n{\"x\": [-Infinity,\n\t tru]}]}"),
              "in.json:3: malformed JSON: syntax error while parsing value - invalid literal; last read: "
              "'-Infinity,<U+000A><U+0009> tru]'");
    // A literal is a number, and the document's shape is checked as for any other.
    EXPECT_EQ(error_of_both("{\"benchmarks\": NaN}"), "in.json:1: \"benchmarks\" is not an array");
}

TEST(ParseGbenchJson, ARepeatedKeyHasItsLastValue) {
    // As in any JSON object (and as nlohmann keeps it): one value per key, the last one.
    const ParsedInput input = parse_with_both_readers(R"({"benchmarks": [
    {"name": "BM", "run_type": "iteration", "real_time": 1, "real_time": 2, "c": 1, "c": 2,
     "d": 1, "d": "x", "e": 1, "e": {"a": 1}, "f": [1], "f": 3, "g": 1, "g": [2]},
    {"name": "BM", "run_type": "iteration", "real_time": 3, "c": 5, "c": 6, "f": 4}
    ]})");
    EXPECT_EQ(values_of(input, "BM", "sec/op"), (std::vector<double>{2e-9, 3e-9}));
    EXPECT_EQ(values_of(input, "BM", "c"), (std::vector<double>{2, 6}));
    EXPECT_EQ(values_of(input, "BM", "f"), (std::vector<double>{3, 4}));
    EXPECT_EQ(find_series(input, "BM", "d"), nullptr);
    EXPECT_EQ(find_series(input, "BM", "e"), nullptr);
    EXPECT_EQ(find_series(input, "BM", "g"), nullptr);
}

// A counter whose key is empty (found by fuzzing) became a series without a unit, which every
// output would show as a blank metric: it is the metric `counter ""` instead.
TEST(ParseGbenchJson, CounterWithAnEmptyNameIsNamedCounterQuotes) {
    const std::string entry = R"({"name": "BM", "run_type": "iteration", "real_time": 1, "": 4})";
    const ParsedInput input = parse_with_both_readers("{\"benchmarks\": [" + entry + ",\n" + entry + "]}");
    for (const Series& series : input.series) EXPECT_FALSE(series.unit.str().empty());
    EXPECT_EQ(values_of(input, "BM", "counter \"\""), (std::vector<double>{4, 4}));
    EXPECT_EQ(values_of(input, "BM", "sec/op"), (std::vector<double>{1e-9, 1e-9}));
}

TEST(ParseGbenchJson, CountersNamedLikeTheReadersOwnUnitsAreKeptApart) {
    // A user counter "B/s" beside bytes_per_second (which becomes B/s) is a metric of its own.
    const std::string entry =
        R"({"name": "BM", "run_type": "iteration", "real_time": 1, "cpu_time": 1, "bytes_per_second": 100,
        "items_per_second": 7, "sec/op": 5, "cpu-sec/op": 6, "B/s": 8, "items/s": 9, "counter B/s": 10})";
    const ParsedInput input = parse_with_both_readers("{\"benchmarks\": [" + entry + ",\n" + entry + "]}");
    std::vector<std::string> units;
    for (const Series& series : input.series) {
        EXPECT_EQ(series.values.size(), 2u) << series.unit;
        units.push_back(series.unit.str());
    }
    EXPECT_EQ(units, (std::vector<std::string>{"sec/op", "cpu-sec/op", "B/s", "items/s", "counter sec/op",
                                               "counter cpu-sec/op", "counter B/s", "counter items/s",
                                               "counter counter B/s"}));
    EXPECT_EQ(values_of(input, "BM", "sec/op"), (std::vector<double>{1e-9, 1e-9}));
    EXPECT_EQ(values_of(input, "BM", "counter sec/op"), (std::vector<double>{5, 5}));
    EXPECT_EQ(values_of(input, "BM", "B/s"), (std::vector<double>{100, 100}));
    EXPECT_EQ(values_of(input, "BM", "counter B/s"), (std::vector<double>{8, 8}));
    EXPECT_EQ(values_of(input, "BM", "counter counter B/s"), (std::vector<double>{10, 10}));
    const UnitInfo* counter_time = find_unit(input, "counter sec/op");
    const UnitInfo* counter_bytes = find_unit(input, "counter B/s");
    const UnitInfo* counter_items = find_unit(input, "counter items/s");
    ASSERT_TRUE(counter_time != nullptr && counter_bytes != nullptr && counter_items != nullptr);
    EXPECT_FALSE(counter_time->has_better);
    EXPECT_TRUE(counter_bytes->has_better);
    EXPECT_EQ(counter_items->better, Better::higher);
}

TEST(ParseGbenchJson, ErroredAndSkippedRepetitionsAreExcludedWithWarnings) {
    const char* text = R"({"benchmarks": [
    {"name": "BM_E", "run_name": "BM_E", "run_type": "iteration", "error_occurred": true, "error_message": "no resource", "iterations": 1, "real_time": 0, "cpu_time": 0},
    {"name": "BM_E", "run_name": "BM_E", "run_type": "iteration", "real_time": 5, "cpu_time": 5},
    {"name": "BM_E", "run_name": "BM_E", "run_type": "iteration", "error_occurred": true, "error_message": "no resource", "iterations": 1, "real_time": 0, "cpu_time": 0},
    {"name": "BM_S", "run_name": "BM_S", "run_type": "iteration", "skipped": true, "skip_message": "not here", "real_time": 0, "cpu_time": 0}
    ]})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    ASSERT_EQ(input.series.size(), 2u);
    EXPECT_EQ(find_series(input, "BM_E", "sec/op")->values, std::vector<double>{5e-9});
    EXPECT_EQ(find_series(input, "BM_S", "sec/op"), nullptr);
    ASSERT_EQ(input.warnings.size(), 2u);
    EXPECT_EQ(input.warnings[0].line, 2u);
    EXPECT_NE(input.warnings[0].message.find("BM_E"), std::string::npos);
    EXPECT_NE(input.warnings[0].message.find("no resource"), std::string::npos);
    EXPECT_NE(input.warnings[0].message.find("2 of 3"), std::string::npos);
    EXPECT_NE(input.warnings[1].message.find("BM_S"), std::string::npos);
    EXPECT_NE(input.warnings[1].message.find("not here"), std::string::npos);
    EXPECT_NE(input.warnings[1].message.find("skipped"), std::string::npos);
}

TEST(ParseGbenchJson, RepetitionsOfNoIterationsAreExcludedWithAWarning) {
    // Google Benchmark's times are totals divided by the iteration count: a run of none measured
    // nothing, so its numbers must not become samples.
    const char* text = R"({"benchmarks": [
    {"name": "BM_Z", "run_name": "BM_Z", "run_type": "iteration", "iterations": 100, "real_time": 5, "cpu_time": 5},
    {"name": "BM_Z", "run_name": "BM_Z", "run_type": "iteration", "iterations": 0, "real_time": 0, "cpu_time": 0},
    {"name": "BM_Z", "run_name": "BM_Z", "run_type": "iteration", "iterations": 100, "real_time": 6, "cpu_time": 6},
    {"name": "BM_N", "run_name": "BM_N", "run_type": "iteration", "iterations": 0, "real_time": 1, "cpu_time": 1},
    {"name": "BM_N", "run_name": "BM_N", "run_type": "aggregate", "aggregate_name": "median", "iterations": 0, "real_time": 1, "cpu_time": 1},
    {"name": "BM_T", "run_name": "BM_T", "run_type": "iteration", "iterations": "many", "real_time": 7, "cpu_time": 7}
    ]})";
    for (const bool streamed : {false, true}) {
        ParsedInput input;
        if (streamed) {
            GbenchJsonParser parser("in.json");
            const std::string_view all(text);
            for (std::size_t i = 0; i < all.size(); i += 7) parser.add(all.substr(i, 7));
            input = parser.finish();
        } else {
            input = parse_gbench_json(text, "in.json");
        }
        EXPECT_EQ(find_series(input, "BM_Z", "sec/op")->values, (std::vector<double>{5e-9, 6e-9}));
        EXPECT_EQ(find_series(input, "BM_N", "sec/op"), nullptr);
        // A value that is not a number is not an iteration count to judge.
        EXPECT_EQ(find_series(input, "BM_T", "sec/op")->values, std::vector<double>{7e-9});
        ASSERT_EQ(input.warnings.size(), 2u);
        EXPECT_EQ(input.warnings[0].line, 3u);
        EXPECT_EQ(input.warnings[0].message, "benchmark BM_Z ran no iterations in 1 of 3 repetitions; excluded");
        EXPECT_EQ(input.warnings[1].line, 5u);
        EXPECT_EQ(input.warnings[1].message, "benchmark BM_N ran no iterations in 1 of 1 repetitions; excluded");
    }
}

TEST(ParseGbenchJson, ContextBecomesAnOrderedConfigWithoutVolatileFields) {
    const char* text = R"({
  "context": {
    "date": "2026-11-26T23:34:44+00:00",
    "host_name": "vm",
    "executable": "./bench",
    "num_cpus": 8,
    "mhz_per_cpu": 2596,
    "cpu_scaling_enabled": true,
    "caches": [
      {"type": "Data", "level": 1, "size": 32768, "num_sharing": 2},
      {"type": "Unified", "level": 3, "size": 33554432, "num_sharing": 8}
    ],
    "load_avg": [1.5, 1.2, 1.0],
    "library_build_type": "debug",
    "json_schema_version": 1,
    "my_key": "my value"
  },
  "benchmarks": []
})";
    const ParsedInput input = parse_gbench_json(text, "ctx.json");
    ASSERT_EQ(input.configs.size(), 1u);
    const Config expected = {
        {"host", "vm"},
        {"executable", "./bench"},
        {"num_cpus", "8"},
        {"mhz_per_cpu", "2596"},
        {"cpu_scaling_enabled", "true"},
        {"caches", "L1 Data 32 KiB (x4), L3 Unified 32768 KiB (x1)"},
        {"library_build_type", "debug"},
        {"my_key", "my value"},
    };
    EXPECT_EQ(input.configs[0], expected);
    EXPECT_TRUE(input.series.empty());
    ASSERT_EQ(input.warnings.size(), 2u);
    EXPECT_EQ(input.warnings[0].file, "ctx.json");
    EXPECT_EQ(input.warnings[0].line, 8u);
    EXPECT_NE(input.warnings[0].message.find("scaling"), std::string::npos);
    EXPECT_EQ(input.warnings[1].line, 14u);
    EXPECT_NE(input.warnings[1].message.find("debug"), std::string::npos);
}

TEST(ParseGbenchJson, MissingContextGivesOneEmptyConfig) {
    const ParsedInput input = parse_gbench_json(
        R"({"benchmarks": [{"name": "BM", "real_time": 1, "cpu_time": 1}]})", "in.json");
    ASSERT_EQ(input.configs.size(), 1u);
    EXPECT_TRUE(input.configs[0].empty());
    EXPECT_EQ(input.series.size(), 2u);
}

TEST(ParseGbenchJson, MalformedJsonNamesFileAndLine) {
    EXPECT_EQ(error_of("{\n\"benchmarks\": [\n{\"name\": \"BM\", \"real_time\": 1,,}\n]}").substr(0, 10),
              "in.json:3:");
    // Bare words other than Google Benchmark's NaN and Infinity, which JSON does not allow.
    EXPECT_EQ(error_of("{\"benchmarks\": [\n{\"name\": \"BM\",\n\"real_time\": nan}]}").substr(0, 10),
              "in.json:3:");
    EXPECT_EQ(error_of("{\"benchmarks\": [\n\n{\"name\": \"BM\", \"real_time\": -inf}]}")
                  .substr(0, 10),
              "in.json:3:");
    // A number beyond double's range; the message is nlohmann's without its internal tag.
    EXPECT_EQ(error_of("{\"benchmarks\": [\n{\"name\": \"BM\",\n\"real_time\": 1e400}]}"),
              "in.json:3: malformed JSON: number overflow parsing '1e400'");
    EXPECT_EQ(error_of("{\"benchmarks\": [\n{\"name\": \"BM\",\n\"real_time\": -2E+999\n}]}"),
              "in.json:3: malformed JSON: number overflow parsing '-2E+999'");
    // Comments are named as such.
    EXPECT_EQ(error_of("// generated\n{\"benchmarks\": []}"),
              "in.json:1: malformed JSON: a comment, but JSON has no comments");
    EXPECT_EQ(error_of("{\"context\": {},\n  /* the runs */\n\"benchmarks\": []}"),
              "in.json:2: malformed JSON: a comment, but JSON has no comments");
    // A locale with a decimal comma breaks the syntax.
    EXPECT_EQ(error_of("{\"benchmarks\": [\n{\"name\": \"BM\",\n\n\n\"real_time\": 1,5}]}").substr(0, 10),
              "in.json:5:");
    const std::string truncated = error_of("{\"benchmarks\": [\n{\"name\": \"BM\"");
    EXPECT_EQ(truncated.substr(0, 10), "in.json:2:");
    EXPECT_NE(truncated.find("malformed JSON"), std::string::npos);
    EXPECT_EQ(error_of("").substr(0, 10), "in.json:1:");
    EXPECT_EQ(error_of("{\"benchmarks\": []}\n{}").substr(0, 10), "in.json:2:");
}

TEST(ParseGbenchJson, WrongShapeNamesTheFile) {
    EXPECT_EQ(error_of(R"({"context": {}})"),
              "in.json: no \"benchmarks\" array; not Google Benchmark JSON output");
    EXPECT_EQ(error_of("[1, 2]").substr(0, 10), "in.json:1:");
    EXPECT_EQ(error_of("42").substr(0, 10), "in.json:1:");
    EXPECT_EQ(error_of("{\n\"benchmarks\": {}}").substr(0, 10), "in.json:2:");
    EXPECT_EQ(error_of("{\n\"benchmarks\": 3}").substr(0, 10), "in.json:2:");
    EXPECT_EQ(error_of("{\"benchmarks\": [\n{\"name\": \"BM\", \"real_time\": 1},\n7]}").substr(0, 10),
              "in.json:3:");
    EXPECT_EQ(error_of("{\"benchmarks\": [\n[1]]}").substr(0, 10), "in.json:2:");
    const std::string nameless = error_of("{\"benchmarks\": [\n\n{\"real_time\": 1}]}");
    EXPECT_EQ(nameless.substr(0, 10), "in.json:3:");
    EXPECT_NE(nameless.find("name"), std::string::npos);
    EXPECT_EQ(error_of("{\"benchmarks\": [\n{\"name\": \"BM\", \"real_time\": \"fast\"}]}").substr(0, 10),
              "in.json:2:");
}

// A time, a time unit or an error flag of the wrong kind is an error whatever its kind: reading
// past it would drop the repetition's time, take it in nanoseconds or count an errored run.
TEST(ParseGbenchJson, ValuesOfTheWrongKindAreErrorsWhateverTheKind) {
    const auto entry_with = [](const std::string& field) {
        return "{\"benchmarks\": [\n"
               "{\"name\": \"BM\", \"real_time\": 1, \"cpu_time\": 1, \"time_unit\": \"ns\"},\n"
               "{\"name\": \"BM\",\n" +
               field + ", \"cpu_time\": 2}]}";
    };
    for (const char* value : {"\"1\"", "null", "true", "[1]", "{\"a\": 1}", "[]", "{}"}) {
        SCOPED_TRACE(value);
        EXPECT_EQ(error_of_both(entry_with(std::string("\"real_time\": ") + value)),
                  "in.json:4: \"real_time\" is not a number");
        EXPECT_EQ(error_of_both(entry_with(std::string("\"real_time\": 1, \"cpu_time\": ") + value)),
                  "in.json:4: \"cpu_time\" is not a number");
        if (std::string(value) != "\"1\"") {
            EXPECT_EQ(error_of_both(entry_with(std::string("\"real_time\": 1, \"time_unit\": ") + value)),
                      "in.json:4: \"time_unit\" is not a string");
        }
    }
    for (const char* value : {"\"true\"", "[true]", "{}"}) {
        SCOPED_TRACE(value);
        EXPECT_EQ(error_of_both(entry_with(std::string("\"real_time\": 1, \"error_occurred\": ") + value)),
                  "in.json:4: \"error_occurred\" is not a boolean");
        EXPECT_EQ(error_of_both(entry_with(std::string("\"real_time\": 1, \"skipped\": ") + value)),
                  "in.json:4: \"skipped\" is not a boolean");
    }
    // A time_unit written empty is an unknown unit, not the default of a missing one.
    EXPECT_EQ(error_of_both(entry_with("\"real_time\": 1, \"time_unit\": \"\"")),
              "in.json:3: benchmark BM: unknown time_unit \"\"");
    // A counter may be anything: one that is not a number is no counter.
    EXPECT_EQ(error_of_both(entry_with("\"real_time\": 1, \"c\": [1], \"d\": {\"x\": 1}, \"e\": \"s\"")), "");
}

// A JSON object keeps the last value of a key; two "benchmarks" arrays cannot be read so when
// streamed, and merging them would count the first array's repetitions too.
TEST(ParseGbenchJson, ASecondBenchmarksArrayIsAnError) {
    EXPECT_EQ(error_of_both("{\"benchmarks\": [{\"name\": \"BM\", \"real_time\": 1}],\n\"benchmarks\": "
                            "[{\"name\": \"BM\", \"real_time\": 5}]}"),
              "in.json:2: a second \"benchmarks\" array");
}

TEST(ParseGbenchJson, UnknownTopLevelFieldsAreIgnored) {
    const char* text = R"({"extra": {"benchmarks": 1}, "list": [{"a": 1}], "benchmarks": [
    {"name": "BM", "run_type": "iteration", "real_time": 1, "cpu_time": 1, "per_family_instance_index": 0}
    ], "trailer": null})";
    const ParsedInput input = parse_gbench_json(text, "in.json");
    EXPECT_EQ(input.series.size(), 2u);
}

// --- real Google Benchmark result files (in testdata/gbench) -----------------------------------

// Per benchmark and metric, the value of the named aggregate entry in a real file.
std::map<std::pair<std::string, std::string>, double> aggregates_of(const std::string& text,
                                                                     const std::string& which) {
    const auto doc = nlohmann::json::parse(text);
    std::map<std::pair<std::string, std::string>, double> out;
    for (const auto& entry : doc.at("benchmarks")) {
        if (entry.value("run_type", "") != "aggregate" || entry.value("aggregate_name", "") != which) {
            continue;
        }
        const std::string unit = entry.value("time_unit", "ns");
        const double divisor = unit == "ns" ? 1e9 : unit == "us" ? 1e6 : unit == "ms" ? 1e3 : 1.0;
        const std::string name = entry.at("run_name");
        out[{name, "sec/op"}] = entry.at("real_time").get<double>() / divisor;
        out[{name, "cpu-sec/op"}] = entry.at("cpu_time").get<double>() / divisor;
        for (const char* counter : {"bytes_per_second", "items_per_second", "nodes", "nodes_rate",
                                    "ns_per_node", "per_thread"}) {
            if (entry.contains(counter)) {
                const std::string metric = std::string(counter) == "bytes_per_second" ? "B/s"
                                           : std::string(counter) == "items_per_second"
                                               ? "items/s"
                                               : counter;
                out[{name, metric}] = entry.at(counter).get<double>();
            }
        }
    }
    return out;
}

TEST(ParseGbenchJsonReal, MediansOfRepetitionsEqualGoogleBenchmarksMedians) {
    for (const char* file : {"gbench/before.json", "gbench/after.json",
                             "gbench/gb_v1.9.5_repetitions2.json"}) {
        const std::string text = read_testdata(file);
        const ParsedInput input = parse_gbench_json(text, file);
        const auto medians = aggregates_of(text, "median");
        ASSERT_FALSE(medians.empty()) << file;
        std::size_t compared = 0;
        for (const auto& [key, expected] : medians) {
            const Series* series = find_series(input, key.first, key.second);
            ASSERT_NE(series, nullptr) << file << " " << key.first << " " << key.second;
            EXPECT_NEAR(median_of(series->values.to_vector()), expected, std::abs(expected) * 1e-12)
                << file << " " << key.first << " " << key.second;
            ++compared;
        }
        // Every series is backed by a median aggregate (BM_MaybeError/1 and BM_Skipped have none
        // and produce no series).
        EXPECT_EQ(compared, input.series.size()) << file;
        EXPECT_FALSE(input.aggregates_only);
    }
}

TEST(ParseGbenchJsonReal, BeforeFileHasTheDocumentedShape) {
    const ParsedInput input = parse_gbench_json(read_testdata("gbench/before.json"), "before.json");
    EXPECT_EQ(find_series(input, "BM_StringCopy", "sec/op")->values.size(), 10u);
    EXPECT_EQ(find_series(input, "BM_FixedReps/repeats:3", "sec/op")->values.size(), 3u);
    EXPECT_EQ(find_series(input, "BM_Label", "sec/op")->values.size(), 10u);  // labelled "variant=before"
    EXPECT_NE(find_series(input, "BM_ManualTime/manual_time", "sec/op"), nullptr);
    EXPECT_NE(find_series(input, "BM_Counters/threads:2", "nodes_rate"), nullptr);
    EXPECT_EQ(find_series(input, "BM_MaybeError/1", "sec/op"), nullptr);
    for (const Series& series : input.series) {
        EXPECT_EQ(series.name.view().find("_BigO"), std::string::npos);
        EXPECT_EQ(series.name.view().find("_RMS"), std::string::npos);
        EXPECT_EQ(series.name.view().find("_median"), std::string::npos);
    }
    EXPECT_EQ(config_value(input.configs[0], "host"), "vm");
    EXPECT_EQ(config_value(input.configs[0], "date"), "");
    EXPECT_EQ(config_value(input.configs[0], "load_avg"), "");
    EXPECT_EQ(config_value(input.configs[0], "caches"),
              "L1 Data 32 KiB (x2), L1 Instruction 32 KiB (x2), L2 Unified 1024 KiB (x2), "
              "L3 Unified 32768 KiB (x1)");
    // A debug library build and the errored benchmark.
    ASSERT_EQ(input.warnings.size(), 2u);
    EXPECT_NE(input.warnings[0].message.find("debug"), std::string::npos);
    EXPECT_NE(input.warnings[1].message.find("BM_MaybeError/1"), std::string::npos);
    EXPECT_NE(input.warnings[1].message.find("simulated failure"), std::string::npos);
}

TEST(ParseGbenchJsonReal, AggregatesOnlyFileUsesMedians) {
    const std::string text = read_testdata("gbench/before_aggregates_only.json");
    const ParsedInput input = parse_gbench_json(text, "agg.json");
    EXPECT_TRUE(input.aggregates_only);
    const auto medians = aggregates_of(text, "median");
    ASSERT_EQ(medians.size(), input.series.size());
    for (const Series& series : input.series) {
        ASSERT_EQ(series.values.size(), 1u) << series.name;
        EXPECT_DOUBLE_EQ(series.values[0], medians.at({series.name.str(), series.unit.str()})) << series.name;
    }
    EXPECT_EQ(std::count_if(input.warnings.begin(), input.warnings.end(),
                            [](const Diagnostic& d) {
                                return d.message.find("--benchmark_report_aggregates_only") !=
                                       std::string::npos;
                            }),
              1);
    EXPECT_TRUE(has_warning_containing(input, "BM_MaybeError/1"));
}

TEST(ParseGbenchJsonReal, NewerFormatSkippedEntriesAndReleaseBuild) {
    const ParsedInput input =
        parse_gbench_json(read_testdata("gbench/gb_v1.9.5_repetitions2.json"), "v195.json");
    EXPECT_EQ(find_series(input, "BM_Skipped", "sec/op"), nullptr);
    EXPECT_TRUE(has_warning_containing(input, "not applicable on this machine"));
    EXPECT_FALSE(has_warning_containing(input, "debug"));
    EXPECT_EQ(config_value(input.configs[0], "library_version"), "v1.9.5");
    EXPECT_EQ(find_series(input, "BM_StringCopy", "sec/op")->values.size(), 2u);
}

TEST(ParseGbenchJsonReal, SingleRunHasOneSamplePerBenchmark) {
    const ParsedInput input = parse_gbench_json(read_testdata("gbench/single_run.json"), "one.json");
    EXPECT_FALSE(input.aggregates_only);
    EXPECT_EQ(find_series(input, "BM_StringCopy", "sec/op")->values.size(), 1u);
    EXPECT_EQ(find_series(input, "BM_FixedReps/repeats:3", "sec/op")->values.size(), 3u);
}

}  // namespace
}  // namespace ksail_benchstat
