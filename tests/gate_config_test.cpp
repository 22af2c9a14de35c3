// Tests of the gate configuration file: its schema, its errors, and the limits it puts on rows.
#include "ksail_benchstat/gate_config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

namespace ksail_benchstat {
namespace {

GateOptions read(const std::string& text) {
    GateOptions options;
    read_gate_config(text, "gate.json", options);
    return options;
}

std::string error_of(const std::string& text) {
    try {
        read(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

// Six samples per side of one benchmark: `base` and `head` are per-op times in nanoseconds.
Report pair(double base_ns, double head_ns, double spread = 0.01) {
    std::string before = "pkg: example.com/p\n";
    std::string after = before;
    for (int i = 0; i < 6; ++i) {
        const double jitter = 1 + spread * (i - 2.5) / 2.5;
        before += "BenchmarkParse-8 1000 " + std::to_string(base_ns * jitter) + " ns/op\n";
        after += "BenchmarkParse-8 1000 " + std::to_string(head_ns * jitter) + " ns/op\n";
    }
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.txt", parse_go_text(before, "before.txt")});
    inputs.push_back({"after", "after.txt", parse_go_text(after, "after.txt")});
    return compare(std::move(inputs), CompareOptions{});
}

GateStatus status_of(const Report& report) {
    for (const auto& f : report.gate.findings) return f.status;
    return GateStatus::not_gated;
}

TEST(GateConfig, ReadsDefaultsRulesAndGoals) {
    const GateOptions o = read(R"({
      "version": 1, "rule": "point", "threshold": "7.5%", "thresholds": {"ns/op": 12, "allocs/op": "0%"},
      "min_time": "2us", "min_allocs": 2, "min_bytes": "1KiB", "exclude": ["BenchmarkFlaky*"],
      "require": [{"benchmark": "BenchmarkCreate*", "unit": "ns/op", "change": "-20%"}],
      "rules": [{"benchmark": "BenchmarkParse*", "unit": "ns/op", "threshold": "3%", "min_change": 500},
                {"unit": "B/op", "min_change": "4KiB", "comment": "any benchmark"},
                {"benchmark": "BenchmarkNoisy*", "ignore": true}]
    })");
    EXPECT_EQ(o.rule, GateRule::point);
    ASSERT_EQ(o.thresholds.size(), 3u);
    EXPECT_EQ(o.thresholds[0].unit, "");
    EXPECT_DOUBLE_EQ(o.thresholds[0].pct, 7.5);
    EXPECT_EQ(o.thresholds[1].unit, "allocs/op");  // nlohmann keeps object keys sorted
    EXPECT_EQ(o.thresholds[2].unit, "sec/op");     // "ns/op" is tidied
    EXPECT_DOUBLE_EQ(o.thresholds[2].pct, 12);
    EXPECT_DOUBLE_EQ(o.min_time, 2e-6);
    EXPECT_DOUBLE_EQ(o.min_allocs, 2);
    EXPECT_DOUBLE_EQ(o.min_bytes, 1024);
    EXPECT_EQ(o.excludes, std::vector<std::string>{"BenchmarkFlaky*"});
    ASSERT_EQ(o.requirements.size(), 1u);
    EXPECT_EQ(o.requirements[0].unit, "sec/op");
    EXPECT_DOUBLE_EQ(o.requirements[0].pct, -20);
    ASSERT_EQ(o.rules.size(), 3u);
    EXPECT_EQ(o.rules[0].unit, "sec/op");
    EXPECT_DOUBLE_EQ(*o.rules[0].min_change, 500e-9);  // a bare number counts the unit as written
    EXPECT_DOUBLE_EQ(*o.rules[1].min_change, 4096);
    EXPECT_TRUE(o.rules[2].ignore);
    EXPECT_EQ(o.rules[2].origin, "gate.json: rules[2]");
    EXPECT_EQ(o.config_path, "gate.json");
}

TEST(GateConfig, AbsoluteLimitsTakeTheUnitsKindOfSuffix) {
    EXPECT_DOUBLE_EQ(parse_absolute_limit("20ms", "sec/op", "x"), 0.02);
    EXPECT_DOUBLE_EQ(parse_absolute_limit("250", "ns/op", "x"), 250e-9);
    EXPECT_DOUBLE_EQ(parse_absolute_limit("1.5 MiB", "B/op", "x"), 1.5 * 1048576);
    EXPECT_DOUBLE_EQ(parse_absolute_limit("3", "allocs/op", "x"), 3);
    EXPECT_THROW(parse_absolute_limit("3ms", "allocs/op", "x"), InputError);
    EXPECT_THROW(parse_absolute_limit("-1", "B/op", "x"), InputError);
    EXPECT_THROW(parse_absolute_limit("lots", "B/op", "x"), InputError);
}

TEST(GateConfig, PercentagesAreReadOneWayEverywhere) {
    // The command line (--threshold, --require) and the gate file read percentages alike.
    EXPECT_EQ(parse_percentage("10"), 10);
    EXPECT_EQ(parse_percentage("10%"), 10);
    EXPECT_EQ(parse_percentage(" +7.5 % "), 7.5);
    EXPECT_EQ(parse_percentage("-20%"), -20);
    EXPECT_FALSE(parse_percentage(""));
    EXPECT_FALSE(parse_percentage("%"));
    EXPECT_FALSE(parse_percentage("ten"));
    EXPECT_FALSE(parse_percentage("10%%"));
    EXPECT_FALSE(parse_percentage("10ms"));
    EXPECT_EQ(parse_threshold("B/op=7.5 %").pct, 7.5);
    EXPECT_THROW(parse_threshold("10%%"), UsageError);
}

TEST(GateConfig, RejectsWhatItDoesNotUnderstand) {
    EXPECT_EQ(error_of("{\"treshold\": 5}"),
              "gate.json: unknown key \"treshold\" (known keys: version, rule, threshold, thresholds, min_time, "
              "min_allocs, min_bytes, exclude, require, rules, comment)");
    EXPECT_EQ(error_of("{\n\"rules\": [\n{\"benchmark\": \"X\"}\n]}"),
              "gate.json: rules[0]: the rule sets nothing: give \"threshold\", \"min_change\" or \"ignore\": true");
    EXPECT_EQ(error_of("{\"version\": 2}"), "gate.json: version: this tool reads version 1, got 2");
    EXPECT_EQ(error_of("[1, 2]"), "gate.json: a gate configuration is a JSON object (see docs/ci.md)");
    EXPECT_EQ(error_of("{\"threshold\": -5}"),
              "gate.json: threshold: the percentage must not be negative (the unit decides which direction is worse)");
    EXPECT_EQ(error_of("{\"rules\": [{\"ignore\": \"yes\"}]}"), "gate.json: rules[0].ignore: expected true or false");
    EXPECT_EQ(error_of("{\"require\": [{\"benchmark\": \"X\", \"unit\": \"ns/op\"}]}"),
              "gate.json: require[0]: missing \"change\"");
    EXPECT_EQ(error_of("{\n  \"threshold\": 5,\n  oops\n}"),
              "gate.json:3: not valid JSON: syntax error while parsing object key - invalid literal; last read: "
              "'5,<U+000A>  o'; expected string literal");
    EXPECT_EQ(error_of(""), "gate.json:1: not valid JSON: syntax error while parsing value - unexpected end of input; "
                            "expected '[', '{', or a literal");
}

TEST(GateConfig, RuleThresholdOverridesTheDefaultForMatchingRowsOnly) {
    Report report = pair(1000, 1050);  // +5%, tight interval
    GateOptions options = read(R"({"rules": [{"benchmark": "BenchmarkOther*", "threshold": "1%"}]})");
    options.enabled = true;
    apply_gate(report, options);
    EXPECT_EQ(status_of(report), GateStatus::below_threshold);
    EXPECT_TRUE(report.gate.passed);

    options = read(R"({"rules": [{"benchmark": "BenchmarkParse*", "threshold": "1%"}]})");
    options.enabled = true;
    apply_gate(report, options);
    EXPECT_EQ(status_of(report), GateStatus::failed);
    EXPECT_FALSE(report.gate.passed);
}

TEST(GateConfig, LaterRulesOverrideEarlierOnes) {
    Report report = pair(1000, 1050);
    GateOptions options = read(R"({"rules": [{"benchmark": "BenchmarkParse*", "threshold": "1%"},
                                             {"unit": "ns/op", "threshold": "20%"}]})");
    options.enabled = true;
    apply_gate(report, options);
    EXPECT_EQ(status_of(report), GateStatus::below_threshold);
    EXPECT_TRUE(report.gate.passed);
}

TEST(GateConfig, AbsoluteLimitStopsSmallChangesAndKeepsLargeOnes) {
    Report report = pair(1000, 1500);  // +50%, +500ns
    GateOptions options = read(R"({"rules": [{"unit": "ns/op", "min_change": "1us"}]})");
    options.enabled = true;
    apply_gate(report, options);
    ASSERT_EQ(report.gate.findings.size(), 1u);
    EXPECT_EQ(report.gate.findings[0].status, GateStatus::below_threshold);
    EXPECT_NE(report.gate.findings[0].reason.find("under the 1µs absolute limit of gate.json: rules[0]"),
              std::string::npos)
        << report.gate.findings[0].reason;
    EXPECT_TRUE(report.gate.passed);

    options = read(R"({"rules": [{"unit": "ns/op", "min_change": "400ns"}]})");
    options.enabled = true;
    apply_gate(report, options);
    EXPECT_EQ(status_of(report), GateStatus::failed);
}

TEST(GateConfig, AbsoluteLimitIsDecidedOnTheIntervalUnderTheIntervalRule) {
    // +50% estimate with a wide interval: the near bound's absolute change is well under 490ns,
    // while the estimate's is 500ns; the interval rule calls that a possible regression.
    Report report = pair(1000, 1500, 0.3);
    GateOptions options = read(R"({"threshold": "1%", "rules": [{"unit": "ns/op", "min_change": "490ns"}]})");
    options.enabled = true;
    apply_gate(report, options);
    EXPECT_EQ(status_of(report), GateStatus::possible_regression);
    EXPECT_TRUE(report.gate.passed);

    options.rule = GateRule::point;
    apply_gate(report, options);
    EXPECT_EQ(status_of(report), GateStatus::failed);
}

TEST(GateConfig, IgnoredRowsAreNotGated) {
    Report report = pair(1000, 2000);
    GateOptions options = read(R"({"rules": [{"benchmark": "BenchmarkPars?-8", "ignore": true}]})");
    options.enabled = true;
    apply_gate(report, options);
    ASSERT_EQ(report.gate.findings.size(), 1u);
    EXPECT_EQ(report.gate.findings[0].status, GateStatus::not_gated);
    EXPECT_NE(report.gate.findings[0].reason.find("ignored by gate.json: rules[0]"), std::string::npos);
    EXPECT_TRUE(report.gate.passed);
    bool noted = false;
    for (const auto& note : report.gate.notes) noted |= note == "1 rule from gate.json sets per-benchmark limits (1 ignores rows).";
    EXPECT_TRUE(noted);
}

}  // namespace
}  // namespace ksail_benchstat
