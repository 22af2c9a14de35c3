// Tests of the CI gate: argument parsers, the interval and point rules, floors, goals and the KSail inputs.
#include "ksail_benchstat/gate.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/parse_gbench_json.hpp"
#include "ksail_benchstat/parse_go_text.hpp"

namespace ksail_benchstat {
namespace {

std::string read_testdata(const std::string& relative) {
    std::ifstream in(std::string(KSAIL_TESTDATA_DIR) + "/" + relative);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// edge/after.txt records a failed package, which the parser rightly rejects; the gate tests want
// the rest of the file, so they drop that package's block (from its `pkg:` header to the next `goos:`).
std::string without_package(const std::string& text, const std::string& package) {
    std::istringstream in(text);
    std::string line;
    std::string out;
    std::vector<std::string> header;  // goos/goarch lines seen before the pkg line
    bool skipping = false;
    while (std::getline(in, line)) {
        if (line.rfind("goos:", 0) == 0) skipping = false;
        if (line.rfind("pkg: ", 0) == 0) skipping = line.substr(5) == package;
        if (!skipping) out += line + "\n";
    }
    return out;
}

Report compare_texts(const std::string& before, const std::string& after, const CompareOptions& options = {}) {
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.txt", parse_go_text(before, "before.txt")});
    inputs.push_back({"after", "after.txt", parse_go_text(after, "after.txt")});
    return compare(std::move(inputs), options);
}

Report compare_files(const std::string& before, const std::string& after) {
    return compare_texts(read_testdata(before), read_testdata(after));
}

Report edge_report() {
    const std::string failed = "github.com/devantler-tech/ksail/v7/pkg/fsutil/configmanager/ksail";
    return compare_texts(without_package(read_testdata("ksail/edge/before.txt"), failed),
                         without_package(read_testdata("ksail/edge/after.txt"), failed));
}

GateOptions enabled() {
    GateOptions options;
    options.enabled = true;
    return options;
}

std::vector<GateFinding> findings_for(const Report& report, const std::string& benchmark) {
    std::vector<GateFinding> out;
    for (const auto& f : report.gate.findings) {
        if (f.benchmark == benchmark) out.push_back(f);
    }
    return out;
}

const GateFinding* finding(const Report& report, const std::string& benchmark, const std::string& unit) {
    for (const auto& f : report.gate.findings) {
        if (f.benchmark == benchmark && f.unit == unit) return &f;
    }
    return nullptr;
}

bool any_note(const Report& report, const std::string& needle) {
    return std::any_of(report.gate.notes.begin(), report.gate.notes.end(),
                       [&](const std::string& n) { return n.find(needle) != std::string::npos; });
}

std::string dump(const Report& report) {
    std::string out;
    for (const auto& f : report.gate.findings) {
        out += std::string(gate_status_name(f.status)) + " " + f.benchmark + " " + f.unit + ": " + f.reason + "\n";
    }
    return out;
}

// Go benchmark text for two benchmarks' worth of samples, one value per line.
std::string go_lines(const std::string& name, const std::vector<double>& ns, const std::vector<int>& allocs = {}) {
    std::string out = "goos: linux\ngoarch: amd64\npkg: example.com/p\ncpu: Test CPU\n";
    for (std::size_t i = 0; i < ns.size(); ++i) {
        out += name + "-4\t1000\t" + std::to_string(ns[i]) + " ns/op";
        if (!allocs.empty()) out += "\t64 B/op\t" + std::to_string(allocs[i]) + " allocs/op";
        out += "\n";
    }
    return out;
}

// --- parsers ---

TEST(ParseThreshold, AcceptsPlainAndUnitForms) {
    EXPECT_EQ(parse_threshold("10").pct, 10);
    EXPECT_EQ(parse_threshold("10").unit, "");
    EXPECT_EQ(parse_threshold("10%").pct, 10);
    Threshold t = parse_threshold("allocs/op=5%");
    EXPECT_EQ(t.unit, "allocs/op");
    EXPECT_EQ(t.pct, 5);
    t = parse_threshold("sec/op=7.5");
    EXPECT_EQ(t.unit, "sec/op");
    EXPECT_DOUBLE_EQ(t.pct, 7.5);
    // Units as go test prints them are tidied like the report's units.
    EXPECT_EQ(parse_threshold("ns/op=3").unit, "sec/op");
    EXPECT_EQ(parse_threshold("0").pct, 0);
}

TEST(ParseThreshold, RejectsBadValuesWithAReason) {
    for (const char* bad : {"-5", "-5%", "nan", "NaN%", "inf", "abc", "", "%", "10%%", "5x", "=5", "B/op=",
                            "sec/op=5%=3", "sec/op==5", "B/op=five"}) {
        EXPECT_THROW(parse_threshold(bad), UsageError) << bad;
    }
    try {
        parse_threshold("-5%");
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("negative"), std::string::npos) << e.what();
    }
    // Not the unit "sec/op=5%" with 3%.
    try {
        parse_threshold("sec/op=5%=3");
        FAIL();
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("one '='"), std::string::npos) << e.what();
    }
}

TEST(ParseRequirement, SplitsOnTheLastTwoColons) {
    Requirement r = parse_requirement("BenchmarkClusterCreate*:sec/op:-20%");
    EXPECT_EQ(r.glob, "BenchmarkClusterCreate*");
    EXPECT_EQ(r.unit, "sec/op");
    EXPECT_EQ(r.pct, -20);
    r = parse_requirement("Benchmark:odd:name*:allocs/op:-50");
    EXPECT_EQ(r.glob, "Benchmark:odd:name*");
    EXPECT_EQ(r.unit, "allocs/op");
    EXPECT_EQ(r.pct, -50);
    EXPECT_EQ(parse_requirement("X:ns/op:5").unit, "sec/op");
}

TEST(ParseRequirement, RejectsMalformed) {
    for (const char* bad : {"Benchmark*", "Benchmark*:-20%", ":sec/op:-20", "X::-20", "X:sec/op:", "X:sec/op:fast",
                            "X:sec/op:nan"}) {
        EXPECT_THROW(parse_requirement(bad), UsageError) << bad;
    }
}

TEST(GlobMatch, ShellPatterns) {
    EXPECT_TRUE(glob_match("BenchmarkCreateTarball_*", "BenchmarkCreateTarball_Medium-4"));
    EXPECT_FALSE(glob_match("BenchmarkCreateTarball_*", "BenchmarkCreateTar-4"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_TRUE(glob_match("a*b*c", "axxbyyc"));
    EXPECT_FALSE(glob_match("a*b*c", "axxbyy"));
    EXPECT_TRUE(glob_match("a?c", "abc"));
    EXPECT_FALSE(glob_match("a?c", "ac"));
    EXPECT_TRUE(glob_match("[abc]x", "bx"));
    EXPECT_FALSE(glob_match("[abc]x", "dx"));
    EXPECT_TRUE(glob_match("[!a-z]x", "Ax"));
    EXPECT_FALSE(glob_match("[!a-z]x", "qx"));
    EXPECT_TRUE(glob_match("v[0-9]*", "v7/pkg"));
    EXPECT_TRUE(glob_match("[]]", "]"));
    EXPECT_TRUE(glob_match("a[b", "a[b"));  // an unterminated class is literal
    EXPECT_FALSE(glob_match("abc", "abcd"));
    EXPECT_TRUE(glob_match("*Port-4", "BenchmarkFormatRegistryURL_WithoutPort-4"));
}

// --- the KSail inputs ---

TEST(GateKsail, FailsOnlyOnComputeDiffNoChanges) {
    Report report = compare_files("ksail/before.txt", "ksail/after.txt");
    apply_gate(report, enabled());
    EXPECT_FALSE(report.gate.passed);
    std::vector<GateFinding> failed;
    for (const auto& f : report.gate.findings) {
        if (f.status == GateStatus::failed) failed.push_back(f);
    }
    ASSERT_EQ(failed.size(), 3u) << dump(report);
    std::vector<std::string> units;
    for (const auto& f : failed) {
        EXPECT_EQ(f.benchmark, "BenchmarkComputeDiff_NoChanges-4");
        EXPECT_EQ(f.package, "github.com/devantler-tech/ksail/v7/pkg/svc/diff");
        units.push_back(f.unit);
    }
    std::sort(units.begin(), units.end());
    EXPECT_EQ(units, (std::vector<std::string>{"B/op", "allocs/op", "sec/op"}));
    // Shown with its interval, in the shape the docs promise.
    EXPECT_NE(failed.front().reason.find(" … "), std::string::npos);
    for (const auto& f : findings_for(report, "BenchmarkWriteMessage_Multiline-4")) {
        EXPECT_NE(f.status, GateStatus::failed) << f.reason;
    }
    EXPECT_TRUE(any_note(report, "by chance")) << report.gate.notes.size();
    EXPECT_EQ(report.gate.rule_text,
              "fail when the 95% interval of a change lies beyond +10% (time only above 100ns; allocs ≥1, bytes ≥64 B)");
}

TEST(GateKsail, FindingsAreRecordedWhenDisabled) {
    Report report = compare_files("ksail/before.txt", "ksail/after.txt");
    apply_gate(report, GateOptions{});
    EXPECT_TRUE(report.gate.passed);
    EXPECT_FALSE(report.gate.enabled);
    ASSERT_NE(finding(report, "BenchmarkComputeDiff_NoChanges-4", "sec/op"), nullptr);
    EXPECT_EQ(finding(report, "BenchmarkComputeDiff_NoChanges-4", "sec/op")->status, GateStatus::failed);
}

TEST(GateKsail, NoiseRowsAreBelowThreshold) {
    Report report = compare_files("ksail/before.txt", "ksail/after.txt");
    apply_gate(report, enabled());
    // benchstat's significant noise (Encrypt/Minimal +7.55%) is reported, but does not fail.
    const GateFinding* f = finding(report, "BenchmarkEncrypt/Minimal-4", "sec/op");
    ASSERT_NE(f, nullptr) << dump(report);
    EXPECT_EQ(f->status, GateStatus::below_threshold);
}

TEST(GateEdge, ReleasedSamplesLeaveTheSameFindings) {
    // Without the samples (CompareOptions::keep_samples false) the gate decides from each cell's
    // count, range and integer flag alone.
    const std::string failed = "github.com/devantler-tech/ksail/v7/pkg/fsutil/configmanager/ksail";
    const std::string before = without_package(read_testdata("ksail/edge/before.txt"), failed);
    const std::string after = without_package(read_testdata("ksail/edge/after.txt"), failed);
    CompareOptions released;
    released.keep_samples = false;
    Report kept_report = compare_texts(before, after);
    Report released_report = compare_texts(before, after, released);
    std::size_t cells = 0;
    for (std::size_t t = 0; t < kept_report.tables.size(); ++t) {
        for (std::size_t r = 0; r < kept_report.tables[t].rows.size(); ++r) {
            for (std::size_t c = 0; c < kept_report.tables[t].rows[r].cells.size(); ++c) {
                const auto& kept = kept_report.tables[t].rows[r].cells[c];
                const auto& gone = released_report.tables[t].rows[r].cells[c];
                ASSERT_EQ(kept.has_value(), gone.has_value());
                if (!kept) continue;
                ++cells;
                EXPECT_TRUE(gone->sorted.empty());
                EXPECT_EQ(gone->size(), kept->sorted.size());
                EXPECT_EQ(gone->min, kept->sorted.front());
                EXPECT_EQ(gone->max, kept->sorted.back());
                EXPECT_EQ(gone->all_integers, kept->all_integers);
            }
        }
    }
    EXPECT_GT(cells, 40u);
    apply_gate(kept_report, enabled());
    apply_gate(released_report, enabled());
    ASSERT_EQ(kept_report.gate.findings.size(), released_report.gate.findings.size());
    bool unstable = false;
    for (std::size_t i = 0; i < kept_report.gate.findings.size(); ++i) {
        EXPECT_EQ(kept_report.gate.findings[i].status, released_report.gate.findings[i].status);
        EXPECT_EQ(kept_report.gate.findings[i].reason, released_report.gate.findings[i].reason);
        unstable = unstable || kept_report.gate.findings[i].status == GateStatus::unstable;
    }
    EXPECT_TRUE(unstable);  // the integer-flip case is among them
    EXPECT_EQ(kept_report.gate.passed, released_report.gate.passed);
}

TEST(GateEdge, EachCaseGetsTheRightStatus) {
    Report report = edge_report();
    apply_gate(report, enabled());
    const std::string d = dump(report);

    // 0.31 -> 0.62 ns: a code-placement artifact under the time floor.
    const GateFinding* chart = finding(report, "BenchmarkChartSpec/Basic-4", "sec/op");
    ASSERT_NE(chart, nullptr) << d;
    EXPECT_EQ(chart->status, GateStatus::below_threshold);
    EXPECT_NE(chart->reason.find("floor"), std::string::npos);

    // 9 -> mostly 10 allocs: integer division of a true ~9.98.
    const GateFinding* poll = finding(report, "BenchmarkPollForReadiness_SingleCheck-4", "allocs/op");
    ASSERT_NE(poll, nullptr) << d;
    EXPECT_EQ(poll->status, GateStatus::unstable);
    EXPECT_EQ(poll->reason.rfind("allocs/op flips between 9 and 10 (", 0), 0u) << poll->reason;
    EXPECT_NE(poll->reason.find("): an integer-rounded value near the boundary, not a change; not gated"),
              std::string::npos)
        << poll->reason;

    // 55 -> 166 ns crosses the floor on the larger side: a real regression on all three units.
    for (const char* unit : {"sec/op", "B/op", "allocs/op"}) {
        const GateFinding* f = finding(report, "BenchmarkFormatRegistryURL_WithoutPort-4", unit);
        ASSERT_NE(f, nullptr) << unit << "\n" << d;
        EXPECT_EQ(f->status, GateStatus::failed) << unit;
    }

    const GateFinding* tarball = finding(report, "BenchmarkCreateTarball_Medium-4", "sec/op");
    ASSERT_NE(tarball, nullptr) << d;
    EXPECT_EQ(tarball->status, GateStatus::failed);

    for (const char* name : {"BenchmarkDetectRegistryFromViper_Set-4", "BenchmarkFormatRegistryURL_WithPort-4",
                             "BenchmarkFormatRegistryURL/WithPort-4", "BenchmarkChartSpec/Basic-4"}) {
        for (const auto& f : findings_for(report, name)) EXPECT_NE(f.status, GateStatus::failed) << f.reason;
    }
    EXPECT_FALSE(report.gate.passed);
}

TEST(GateEdge, ExcludedBenchmarksAreNotGated) {
    Report report = edge_report();
    GateOptions options = enabled();
    options.excludes = {"BenchmarkCreateTarball_*"};
    apply_gate(report, options);
    const GateFinding* tarball = finding(report, "BenchmarkCreateTarball_Medium-4", "sec/op");
    ASSERT_NE(tarball, nullptr);
    EXPECT_EQ(tarball->status, GateStatus::not_gated);
    EXPECT_NE(tarball->reason.find("BenchmarkCreateTarball_*"), std::string::npos);

    // Globs also match without the Benchmark prefix.
    options.excludes = {"CreateTarball_*", "FormatRegistryURL_*"};
    apply_gate(report, options);
    EXPECT_TRUE(report.gate.passed) << dump(report);
}

TEST(GateEdge, CpuMismatchDoesNotGateTime) {
    Report report = compare_files("ksail/edge/cpu-mismatch-before.txt", "ksail/edge/cpu-mismatch-after.txt");
    apply_gate(report, enabled());
    EXPECT_TRUE(report.gate.passed) << dump(report);
    EXPECT_TRUE(any_note(report, "different CPUs"));
    for (const auto& f : report.gate.findings) {
        EXPECT_NE(f.status, GateStatus::failed) << f.reason;
    }
    // compare() puts both CPUs in one table: the -16% from the faster runner is shown, not gated.
    const GateFinding* time = finding(report, "BenchmarkComputeDiff_NoChanges-4", "sec/op");
    ASSERT_NE(time, nullptr) << dump(report);
    EXPECT_EQ(time->status, GateStatus::not_gated);
}

// A report grouped the way benchstat groups (the cpu splits the tables), built by hand: nothing is
// compared, and the gate must say so instead of passing silently.
TEST(GateEdge, CpuSplitTablesAreReportedAsUncompared) {
    Report report;
    report.inputs.push_back({"base", "base.txt", {}});
    report.inputs.push_back({"head", "head.txt", {}});
    for (std::size_t in = 0; in < 2; ++in) {
        Table t;
        t.config = {{"pkg", "example.com/p"}, {"cpu", in == 0 ? "CPU A" : "CPU B"}};
        t.unit = "sec/op";
        t.columns = {in};
        Row r;
        r.name = "BenchmarkA-4";
        r.set_display("A-4");
        r.cells.resize(2);
        Cell cell;
        cell.sorted = {1e-6, 1e-6};
        cell.summary.n = 2;
        cell.summary.center = 1e-6;
        r.cells[in] = cell;
        t.rows.push_back(std::move(r));
        report.tables.push_back(std::move(t));
    }
    apply_gate(report, enabled());
    EXPECT_TRUE(report.gate.passed);
    EXPECT_TRUE(any_note(report, "different CPUs"));
    EXPECT_TRUE(any_note(report, "No comparison was possible for 1 benchmark"));
}

TEST(GateEdge, CpuMismatchWithinOneTableIsNotGatedForTime) {
    // When the configurations are compared together (as if compare() ignored the cpu), time rows of
    // the mismatched inputs are still not gated, but allocations are.
    std::string before = go_lines("BenchmarkA", {100, 101, 99, 100, 102, 100}, {1, 1, 1, 1, 1, 1});
    std::string after = go_lines("BenchmarkA", {200, 201, 199, 200, 202, 200}, {2, 2, 2, 2, 2, 2});
    Report report = compare_texts(before, after);
    // Make the inputs' hardware differ without splitting the table.
    report.inputs[1].parsed.configs[0].back().second = "Other CPU";
    apply_gate(report, enabled());
    const GateFinding* time = finding(report, "BenchmarkA-4", "sec/op");
    ASSERT_NE(time, nullptr) << dump(report);
    EXPECT_EQ(time->status, GateStatus::not_gated);
    const GateFinding* allocs = finding(report, "BenchmarkA-4", "allocs/op");
    ASSERT_NE(allocs, nullptr);
    EXPECT_EQ(allocs->status, GateStatus::failed);

    GateOptions options = enabled();
    options.allow_cpu_mismatch = true;
    apply_gate(report, options);
    EXPECT_EQ(finding(report, "BenchmarkA-4", "sec/op")->status, GateStatus::failed);
}

// A Google Benchmark document: BM_A at `ns` nanoseconds per repetition, with a user counter `nodes`,
// and a context of the given host name, clock and caches.
std::string gbench_document(const std::vector<double>& ns, double nodes, const std::string& host, int mhz,
                            int l2_kib = 512) {
    std::string out = fmt::format(
        "{{\"context\": {{\"host_name\": \"{}\", \"num_cpus\": 4, \"mhz_per_cpu\": {}, \"caches\": ["
        "{{\"type\": \"Unified\", \"level\": 2, \"size\": {}, \"num_sharing\": 2}}]}},\n\"benchmarks\": [\n",
        host, mhz, l2_kib * 1024);
    for (std::size_t i = 0; i < ns.size(); ++i) {
        out += fmt::format(
            "{}{{\"name\": \"BM_A\", \"run_name\": \"BM_A\", \"run_type\": \"iteration\", \"repetitions\": {}, "
            "\"repetition_index\": {}, \"iterations\": 1000, \"real_time\": {}, \"cpu_time\": {}, "
            "\"time_unit\": \"ns\", \"nodes\": {}}}\n",
            i ? "," : "", ns.size(), i, ns[i], ns[i], nodes + static_cast<double>(i));
    }
    return out + "]}\n";
}

Report compare_gbench(const std::string& before, const std::string& after) {
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.json", parse_gbench_json(before, "before.json")});
    inputs.push_back({"after", "after.json", parse_gbench_json(after, "after.json")});
    return compare(std::move(inputs), {});
}

TEST(GateGbench, HostNameAndClockAreNotHardware) {
    // A CI runner gets a new host name every run, and mhz_per_cpu moves with frequency scaling: a
    // +20% regression must still fail the gate.
    const std::vector<double> base = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
    const std::vector<double> slow = {120, 121, 122, 123, 124, 125, 126, 127, 128, 129};
    Report report = compare_gbench(gbench_document(base, 100, "runner-a", 3000),
                                   gbench_document(slow, 100, "runner-b", 3001));
    apply_gate(report, enabled());
    const GateFinding* time = finding(report, "BM_A", "sec/op");
    ASSERT_NE(time, nullptr) << dump(report);
    EXPECT_EQ(time->status, GateStatus::failed) << dump(report);
    EXPECT_FALSE(report.gate.passed);

    // Different caches are different processors: time is not gated, and the alert says so.
    Report other = compare_gbench(gbench_document(base, 100, "runner-a", 3000),
                                  gbench_document(slow, 100, "runner-a", 3000, 1024));
    apply_gate(other, enabled());
    ASSERT_NE(finding(other, "BM_A", "sec/op"), nullptr) << dump(other);
    EXPECT_EQ(finding(other, "BM_A", "sec/op")->status, GateStatus::not_gated);
    ASSERT_FALSE(other.gate.alerts.empty());
    EXPECT_NE(other.gate.alerts.front().find("different CPUs"), std::string::npos);
}

TEST(GateGbench, CounterOfUnknownDirectionIsNotGated) {
    const std::vector<double> same = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
    Report report = compare_gbench(gbench_document(same, 1000, "h", 3000), gbench_document(same, 1500, "h", 3000));
    ASSERT_EQ(report.tables.size(), 3U);  // sec/op, cpu-sec/op and nodes
    apply_gate(report, enabled());
    const GateFinding* nodes = finding(report, "BM_A", "nodes");
    ASSERT_NE(nodes, nullptr) << dump(report);
    EXPECT_EQ(nodes->status, GateStatus::not_gated);
    EXPECT_TRUE(report.gate.passed);
    EXPECT_TRUE(any_note(report, "do not say whether higher or lower is better for nodes"));
    ASSERT_EQ(report.gate.alerts.size(), 1U);

    // Stating the direction makes the row count.
    std::vector<InputFile> inputs;
    inputs.push_back({"before", "before.json", parse_gbench_json(gbench_document(same, 1000, "h", 3000), "before.json")});
    inputs.push_back({"after", "after.json", parse_gbench_json(gbench_document(same, 1500, "h", 3000), "after.json")});
    for (auto& input : inputs) {
        for (auto& info : input.parsed.units) {
            if (info.unit == "nodes") {
                info.has_better = true;
                info.better = Better::higher;
            }
        }
    }
    Report stated = compare(std::move(inputs), {});
    apply_gate(stated, enabled());
    EXPECT_EQ(finding(stated, "BM_A", "nodes"), nullptr) << dump(stated);  // an improvement: no finding
    EXPECT_TRUE(stated.gate.passed);
    EXPECT_TRUE(stated.gate.alerts.empty());
}

TEST(GateGbench, BenchmarkThatFailedInEveryRunOfTheHeadFails) {
    const std::vector<double> base = {100, 101, 102, 103, 104, 105, 106, 107, 108, 109};
    std::string after = gbench_document(base, 100, "h", 3000);
    // BM_A errors in every repetition of the head: its entries carry error_occurred.
    for (std::size_t at = 0; (at = after.find("\"iterations\": 1000", at)) != std::string::npos; at += 10) {
        after.insert(at, "\"error_occurred\": true, \"error_message\": \"boom\", ");
        at += 50;
    }
    Report report = compare_gbench(gbench_document(base, 100, "h", 3000), after);
    apply_gate(report, enabled());
    const GateFinding* failed = finding(report, "BM_A", "sec/op");
    ASSERT_NE(failed, nullptr) << dump(report);
    EXPECT_EQ(failed->status, GateStatus::failed);
    EXPECT_NE(failed->reason.find("failed in every run of after"), std::string::npos) << failed->reason;
    EXPECT_NE(failed->reason.find("boom"), std::string::npos) << failed->reason;
    EXPECT_FALSE(report.gate.passed);
}

TEST(Compare, ContradictoryDirectionsAreWarnedAbout) {
    const std::string rows = "BenchmarkX-8 100 10 hits/op\nBenchmarkX-8 100 11 hits/op\n";
    Report report = compare_texts("Unit hits/op better=higher\n" + rows, "Unit hits/op better=lower\n" + rows);
    ASSERT_EQ(report.tables.size(), 1U);
    EXPECT_EQ(report.tables[0].better, Better::higher);  // the first input that states it decides
    ASSERT_EQ(report.warnings.size(), 1U);
    EXPECT_EQ(report.warnings[0], "before says higher is better for hits/op, after says lower; higher is used");
}

// --- the rules on synthetic samples ---

// +11.5% with an interval that reaches well inside the threshold: the situation that makes
// same-versus-same suites fail under the point rule.
Report noisy_eleven_percent() {
    std::string before = go_lines("BenchmarkNoisy", {1000, 1040, 960, 1080, 930, 1010});
    std::string after = go_lines("BenchmarkNoisy", {1150, 1060, 1200, 1090, 1230, 1100});
    return compare_texts(before, after);
}

TEST(GateRules, PointRuleFailsWhereIntervalRuleDoesNot) {
    Report report = noisy_eleven_percent();
    const Comparison& c = *report.tables.front().rows.front().comparisons[1];
    ASSERT_TRUE(c.significant);
    ASSERT_TRUE(c.change.estimate_pct && *c.change.estimate_pct >= 10) << *c.change.estimate_pct;
    ASSERT_TRUE(c.change.low_pct && *c.change.low_pct < 10);

    apply_gate(report, enabled());
    const GateFinding* f = finding(report, "BenchmarkNoisy-4", "sec/op");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, GateStatus::possible_regression) << f->reason;
    EXPECT_GT(f->samples_needed, 6u);
    EXPECT_NE(f->reason.find("samples"), std::string::npos);
    EXPECT_TRUE(report.gate.passed);

    GateOptions point = enabled();
    point.rule = GateRule::point;
    apply_gate(report, point);
    EXPECT_EQ(finding(report, "BenchmarkNoisy-4", "sec/op")->status, GateStatus::failed);
    EXPECT_FALSE(report.gate.passed);
}

// A raw-scale percentage of a negative baseline median has the opposite sign to the values'
// movement: a lower-is-better score rising from about -10 to about -7 is "-30%", and worse.
TEST(GateRules, NegativeBaselineIsJudgedByTheMovementOfTheValues) {
    std::string low = "Unit score better=lower\n";
    std::string high = low;
    for (int i = 0; i < 6; ++i) {
        low += fmt::format("BenchmarkScore-4\t1\t{} score\n", -10 - 0.1 * i);
        high += fmt::format("BenchmarkScore-4\t1\t{} score\n", -7 - 0.1 * i);
    }
    GateOptions options = enabled();
    options.requirements = {parse_requirement("BenchmarkScore*:score:-20%")};

    Report worse = compare_texts(low, high);
    const Comparison& rose = *worse.tables.front().rows.front().comparisons[1];
    ASSERT_FALSE(rose.change.log_scale);
    EXPECT_EQ(rose.verdict, Verdict::regressed);
    apply_gate(worse, options);
    const auto rose_findings = findings_for(worse, "BenchmarkScore-4");
    ASSERT_EQ(rose_findings.size(), 2U) << dump(worse);
    EXPECT_EQ(rose_findings[0].status, GateStatus::failed) << dump(worse);
    EXPECT_EQ(rose_findings[1].status, GateStatus::goal_unmet) << dump(worse);
    EXPECT_NE(rose_findings[0].reason.find("of a negative baseline"), std::string::npos) << rose_findings[0].reason;
    EXPECT_FALSE(worse.gate.passed);

    Report better = compare_texts(high, low);
    const Comparison& fell = *better.tables.front().rows.front().comparisons[1];
    EXPECT_EQ(fell.verdict, Verdict::improved);
    apply_gate(better, options);
    const auto fell_findings = findings_for(better, "BenchmarkScore-4");
    ASSERT_EQ(fell_findings.size(), 1U) << dump(better);  // an improvement fails nothing
    EXPECT_EQ(fell_findings[0].status, GateStatus::goal_met) << dump(better);
    EXPECT_TRUE(better.gate.passed) << dump(better);
}

// Steady, unchanged (equivalent); noisy and unchanged (inconclusive); clearly slower (regressed).
Report three_way_report() {
    const std::string head = "goos: linux\ngoarch: amd64\npkg: example.com/three\n";
    std::string before = head;
    std::string after = head;
    const double steady[] = {100, 101, 100.5, 99.5, 100.2, 100.8};
    const double noisy_before[] = {100, 140, 90, 125, 80, 110};
    const double noisy_after[] = {95, 130, 115, 85, 140, 105};
    for (int i = 0; i < 6; ++i) {
        before += fmt::format("BenchmarkSteady-4\t1000\t{} ns/op\n", steady[i]);
        after += fmt::format("BenchmarkSteady-4\t1000\t{} ns/op\n", steady[5 - i]);
        before += fmt::format("BenchmarkNoisy-4\t1000\t{} ns/op\n", noisy_before[i]);
        after += fmt::format("BenchmarkNoisy-4\t1000\t{} ns/op\n", noisy_after[i]);
        before += fmt::format("BenchmarkSlower-4\t1000\t{} ns/op\n", steady[i]);
        after += fmt::format("BenchmarkSlower-4\t1000\t{} ns/op\n", steady[i] * 1.5);
    }
    return compare_texts(before, after);
}

TEST(GateInconclusive, ThreeWayVerdicts) {
    const Report report = three_way_report();
    const auto& rows = report.tables.front().rows;
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].comparisons[1]->equivalence, Equivalence::equivalent);
    EXPECT_EQ(rows[1].comparisons[1]->equivalence, Equivalence::inconclusive);
    EXPECT_EQ(rows[2].comparisons[1]->equivalence, Equivalence::regressed);
    // The noisy row could not see a change of its own noise's size, and says how many runs would.
    const Detectability& d = rows[1].comparisons[1]->detect;
    ASSERT_TRUE(d.mde_pct.has_value());
    EXPECT_GT(*d.mde_pct, 5);
    EXPECT_GT(d.samples_needed, 6u);
}

TEST(GateInconclusive, FailsOnlyWhenAsked) {
    Report report = three_way_report();
    apply_gate(report, enabled());
    EXPECT_EQ(finding(report, "BenchmarkNoisy-4", "sec/op"), nullptr);

    GateOptions certain = enabled();
    certain.fail_on_inconclusive = true;
    apply_gate(report, certain);
    const GateFinding* f = finding(report, "BenchmarkNoisy-4", "sec/op");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, GateStatus::inconclusive);
    EXPECT_NE(f->reason.find("neither a significant change nor within ±5%"), std::string::npos) << f->reason;
    EXPECT_EQ(finding(report, "BenchmarkSteady-4", "sec/op"), nullptr);
    EXPECT_FALSE(report.gate.passed);

    // Excluded rows are not asked for certainty either.
    certain.excludes = {"BenchmarkNoisy*"};
    apply_gate(report, certain);
    EXPECT_EQ(finding(report, "BenchmarkNoisy-4", "sec/op"), nullptr);
}

TEST(GateRules, PerUnitThresholdOverridesDefault) {
    Report report = noisy_eleven_percent();
    GateOptions options = enabled();
    options.rule = GateRule::point;
    options.thresholds = {parse_threshold("5"), parse_threshold("sec/op=50")};
    apply_gate(report, options);
    EXPECT_EQ(finding(report, "BenchmarkNoisy-4", "sec/op")->status, GateStatus::below_threshold);
    EXPECT_NE(report.gate.rule_text.find("sec/op 50%"), std::string::npos) << report.gate.rule_text;
}

TEST(GateRules, ExactIntegerChangeFailsAndImprovementsNever) {
    // 1 -> 2 allocs in every sample: exact, beyond threshold and floor.
    std::string before = go_lines("BenchmarkX", {500, 505, 495, 500, 502, 498}, {1, 1, 1, 1, 1, 1});
    std::string after = go_lines("BenchmarkX", {500, 506, 494, 501, 502, 497}, {2, 2, 2, 2, 2, 2});
    Report report = compare_texts(before, after);
    apply_gate(report, enabled());
    const GateFinding* f = finding(report, "BenchmarkX-4", "allocs/op");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->status, GateStatus::failed);
    EXPECT_NE(f->reason.find("exact"), std::string::npos);

    // The reverse is an improvement: no failure, no finding.
    Report reverse = compare_texts(after, before);
    apply_gate(reverse, enabled());
    EXPECT_TRUE(reverse.gate.passed) << dump(reverse);
    EXPECT_EQ(finding(reverse, "BenchmarkX-4", "allocs/op"), nullptr);
}

TEST(GateRules, AllocsFloorStopsTinyAbsoluteChanges) {
    // 4 -> 5 allocs is +25% but exactly 1 alloc: at the floor, so it fails; with a floor of 2 it does not.
    std::string before = go_lines("BenchmarkY", {500, 505, 495, 500, 502, 498}, {4, 4, 4, 4, 4, 4});
    std::string after = go_lines("BenchmarkY", {500, 506, 494, 501, 502, 497}, {5, 5, 5, 5, 5, 5});
    Report report = compare_texts(before, after);
    apply_gate(report, enabled());
    EXPECT_EQ(finding(report, "BenchmarkY-4", "allocs/op")->status, GateStatus::failed);
    GateOptions options = enabled();
    options.min_allocs = 2;
    apply_gate(report, options);
    EXPECT_EQ(finding(report, "BenchmarkY-4", "allocs/op")->status, GateStatus::below_threshold);
    EXPECT_TRUE(report.gate.passed);
}

TEST(GateRules, DeterministicModeComparesMemoryOnly) {
    // Single runs (-count=1): time +50% is not gated; allocs 1 -> 3 fails on the medians.
    std::string before = go_lines("BenchmarkZ", {1000}, {1});
    std::string after = go_lines("BenchmarkZ", {1500}, {3});
    Report report = compare_texts(before, after);
    apply_gate(report, enabled());
    EXPECT_FALSE(report.gate.passed) << dump(report);
    EXPECT_EQ(finding(report, "BenchmarkZ-4", "allocs/op")->status, GateStatus::failed);
    const GateFinding* time = finding(report, "BenchmarkZ-4", "sec/op");
    ASSERT_NE(time, nullptr);
    EXPECT_EQ(time->status, GateStatus::not_gated);
    EXPECT_TRUE(any_note(report, "Single runs"));
    EXPECT_NE(report.gate.rule_text.find("single runs"), std::string::npos);

    // Equal memory: passes whatever the time does.
    Report same = compare_texts(go_lines("BenchmarkZ", {1000}, {1}), go_lines("BenchmarkZ", {3000}, {1}));
    apply_gate(same, enabled());
    EXPECT_TRUE(same.gate.passed) << dump(same);
}

// --- goals ---

TEST(GateGoals, MetUnmetAndUnmatched) {
    Report report = compare_files("ksail/before.txt", "ksail/after.txt");
    GateOptions options = enabled();
    options.excludes = {"BenchmarkComputeDiff_*"};  // leave only the goals to decide
    options.requirements = {parse_requirement("BenchmarkWriteMessage_Multiline*:sec/op:-20%")};
    apply_gate(report, options);
    const GateFinding* met = finding(report, "BenchmarkWriteMessage_Multiline-4", "sec/op");
    ASSERT_NE(met, nullptr) << dump(report);
    EXPECT_EQ(met->status, GateStatus::goal_met) << met->reason;
    EXPECT_TRUE(report.gate.passed) << dump(report);

    options.requirements = {parse_requirement("WriteMessage_Multiline*:sec/op:-60%")};
    apply_gate(report, options);
    EXPECT_EQ(finding(report, "BenchmarkWriteMessage_Multiline-4", "sec/op")->status, GateStatus::goal_unmet);
    EXPECT_FALSE(report.gate.passed);

    options.requirements = {parse_requirement("BenchmarkNoSuchThing*:sec/op:-20%")};
    apply_gate(report, options);
    const GateFinding* none = finding(report, "BenchmarkNoSuchThing*", "sec/op");
    ASSERT_NE(none, nullptr);
    EXPECT_EQ(none->status, GateStatus::goal_unmet);
    EXPECT_NE(none->reason.find("no compared benchmark"), std::string::npos);
    EXPECT_FALSE(report.gate.passed);
}

TEST(GateGoals, OnlyTheEstimateReachesTheGoal) {
    // The noisy pair read backwards: about -10% faster, with an interval that reaches short of -10%.
    GateOptions options;
    Report reverse = compare_texts(go_lines("BenchmarkNoisy", {1150, 1060, 1200, 1090, 1230, 1100}),
                                   go_lines("BenchmarkNoisy", {1000, 1040, 960, 1080, 930, 1010}));
    const Comparison& c = *reverse.tables.front().rows.front().comparisons[1];
    ASSERT_TRUE(c.change.estimate_pct && *c.change.estimate_pct <= -10);
    ASSERT_TRUE(c.change.high_pct && *c.change.high_pct > -10);
    options.requirements = {parse_requirement("BenchmarkNoisy*:sec/op:-10%")};
    apply_gate(reverse, options);
    const GateFinding* f = finding(reverse, "BenchmarkNoisy-4", "sec/op");
    ASSERT_NE(f, nullptr) << dump(reverse);
    EXPECT_EQ(f->status, GateStatus::goal_unmet);
    EXPECT_NE(f->reason.find("only the estimate reaches the goal"), std::string::npos) << f->reason;
    EXPECT_TRUE(reverse.gate.passed);  // the gate is off: findings only
}

}  // namespace
}  // namespace ksail_benchstat
