// Google Benchmark micro-benchmarks of each parser, the statistics core and each renderer, on
// deterministic generated inputs (bench/generate.hpp). Run: build-bench/bench/micro_benchmarks.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <fmt/compile.h>
#include <fmt/format.h>

#include "generate.hpp"
#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/number_text.hpp"
#include "ksail_benchstat/parse_gbench_json.hpp"
#include "ksail_benchstat/parse_go_test_json.hpp"
#include "ksail_benchstat/parse_go_text.hpp"
#include "ksail_benchstat/render.hpp"
#include "ksail_benchstat/stats.hpp"

namespace {

using namespace ksail_benchstat;

const std::string& input(const std::string& format, bool after, double megabytes = 2) {
    static std::vector<std::pair<std::string, std::string>> cache;
    const std::string key = format + (after ? "/after/" : "/before/") + std::to_string(megabytes);
    for (const auto& [k, text] : cache) {
        if (k == key) return text;
    }
    ksail_bench::GenerateOptions options;
    options.format = format;
    options.megabytes = megabytes;
    options.after = after;
    cache.emplace_back(key, ksail_bench::generate(options));
    return cache.back().second;
}

void parse_benchmark(benchmark::State& state, const std::string& format,
                     ParsedInput (*parse)(std::string_view, std::string_view)) {
    const std::string& text = input(format, false);
    for (auto _ : state) {
        ParsedInput parsed = parse(text, "bench");
        benchmark::DoNotOptimize(parsed.series.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}

void BM_ParseGoText(benchmark::State& state) { parse_benchmark(state, "go-text", parse_go_text); }
void BM_ParseGoTestJson(benchmark::State& state) { parse_benchmark(state, "go-test-json", parse_go_test_json); }
void BM_ParseGbenchJson(benchmark::State& state) { parse_benchmark(state, "gbench-json", parse_gbench_json); }
BENCHMARK(BM_ParseGoText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseGoTestJson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseGbenchJson)->Unit(benchmark::kMillisecond);

// Samples like a real time metric: log-normal around 1µs, `shift` times larger.
std::vector<double> samples(std::size_t n, double shift, unsigned seed) {
    std::vector<double> out;
    unsigned s = seed;
    for (std::size_t i = 0; i < n; ++i) {
        s = s * 1103515245u + 12345u;
        out.push_back(1e-6 * shift * (1 + static_cast<double>(s % 1000) / 20000.0));
    }
    return out;
}

// Many different pairs of samples, taken in turn as a large comparison takes its rows. With one
// pair repeated, the processor learns the pair's branches, which flatters code that branches on
// the values (docs/performance.md, tenth round).
struct SamplePairs {
    std::vector<std::vector<double>> x;
    std::vector<std::vector<double>> y;
    std::size_t next = 0;
    std::pair<const std::vector<double>&, const std::vector<double>&> take() {
        const std::size_t at = next++ % x.size();
        return {x[at], y[at]};
    }
};

SamplePairs sample_pairs(std::size_t n, double shift, bool sorted) {
    constexpr unsigned k_pairs = 1024;
    SamplePairs pairs;
    for (unsigned k = 0; k < k_pairs; ++k) {
        pairs.x.push_back(samples(n, 1.0, 2 * k + 1));
        pairs.y.push_back(samples(n, shift, 2 * k + 2));
        if (sorted) {
            std::sort(pairs.x.back().begin(), pairs.x.back().end());
            std::sort(pairs.y.back().begin(), pairs.y.back().end());
        }
    }
    return pairs;
}

void BM_MannWhitney(benchmark::State& state) {
    SamplePairs pairs = sample_pairs(static_cast<std::size_t>(state.range(0)), 1.02, false);
    for (auto _ : state) {
        const auto [x, y] = pairs.take();
        benchmark::DoNotOptimize(mann_whitney(x, y));
    }
}
BENCHMARK(BM_MannWhitney)->Arg(6)->Arg(10)->Arg(20)->Arg(50)->Arg(200);

// As the comparison calls it: each side's samples already in ascending order.
void BM_MannWhitneySorted(benchmark::State& state) {
    SamplePairs pairs = sample_pairs(static_cast<std::size_t>(state.range(0)), 1.02, true);
    for (auto _ : state) {
        const auto [x, y] = pairs.take();
        benchmark::DoNotOptimize(mann_whitney(x, y));
    }
}
BENCHMARK(BM_MannWhitneySorted)->Arg(10)->Arg(20);

void BM_MannWhitneyTies(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> x;
    std::vector<double> y;
    for (std::size_t i = 0; i < n; ++i) {
        x.push_back(static_cast<double>(10 + i % 3));
        y.push_back(static_cast<double>(11 + i % 3));
    }
    for (auto _ : state) benchmark::DoNotOptimize(mann_whitney(x, y));
}
BENCHMARK(BM_MannWhitneyTies)->Arg(6)->Arg(10)->Arg(20);

// The ties of timings: distinct values but for one value both sides share, the usual shape of a
// tied time metric (its exact counting walks every value as a group of its own).
void BM_MannWhitneyOneTie(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    std::vector<double> x;
    std::vector<double> y;
    for (std::size_t i = 0; i < n; ++i) {
        x.push_back(100.0 + 2.0 * static_cast<double>(i));
        y.push_back(103.0 + 2.0 * static_cast<double>(i));
    }
    y.front() = x[n / 2];
    for (auto _ : state) benchmark::DoNotOptimize(mann_whitney(x, y));
}
BENCHMARK(BM_MannWhitneyOneTie)->Arg(6)->Arg(10)->Arg(20);

// Timings printed to a few digits, as a fast Go benchmark's ns/op often are: most values apart,
// a few tied, somewhere among them (the shape of a fifth of the time rows of docs/performance.md's
// generated suite). Sorted, as the comparison passes them; many pairs, taken in turn.
void BM_MannWhitneyRoundedTimes(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    SamplePairs pairs = sample_pairs(n, 1.02, true);
    for (auto* side : {&pairs.x, &pairs.y}) {
        for (auto& values : *side) {
            // 1e-6 * (1 .. 1.05) on a grid of 1e-9: about 50 levels.
            for (double& v : values) v = std::round(v * 1e9) / 1e9;
        }
    }
    for (auto _ : state) {
        const auto [x, y] = pairs.take();
        benchmark::DoNotOptimize(mann_whitney(x, y));
    }
}
BENCHMARK(BM_MannWhitneyRoundedTimes)->Arg(10)->Arg(20);

void BM_HodgesLehmann(benchmark::State& state) {
    SamplePairs pairs = sample_pairs(static_cast<std::size_t>(state.range(0)), 1.05, true);
    for (auto _ : state) {
        const auto [x, y] = pairs.take();
        benchmark::DoNotOptimize(hodges_lehmann(x, y, 0.95));
    }
}
BENCHMARK(BM_HodgesLehmann)->Arg(6)->Arg(10)->Arg(20)->Arg(200);

// Detectability of noisy rows (runs spread over 60%), which ask for hundreds of samples to
// resolve a ±5% change: the count is searched beyond the exact table's 50 a side. The intervals
// are made beforehand, as a comparison hands them over.
void BM_DetectabilityNoisy(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    constexpr unsigned k_pairs = 1024;
    std::vector<std::vector<double>> xs;
    std::vector<std::vector<double>> ys;
    std::vector<ChangeInterval> intervals;
    unsigned s = 7;
    const auto noisy = [&] {
        std::vector<double> out;
        for (std::size_t i = 0; i < n; ++i) {
            s = s * 1103515245u + 12345u;
            out.push_back(1e-6 * (0.7 + 0.6 * static_cast<double>(s % 1000) / 1000.0));
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    for (unsigned k = 0; k < k_pairs; ++k) {
        xs.push_back(noisy());
        ys.push_back(noisy());
        intervals.push_back(hodges_lehmann(Ascending{xs.back()}, Ascending{ys.back()}, 0.95));
    }
    std::size_t next = 0;
    for (auto _ : state) {
        const std::size_t at = next++ % k_pairs;
        benchmark::DoNotOptimize(detectability(Ascending{xs[at]}, Ascending{ys[at]}, 0.05, 5, &intervals[at]));
    }
}
BENCHMARK(BM_DetectabilityNoisy)->Arg(10)->Arg(20);

void BM_Summarize(benchmark::State& state) {
    const auto x = samples(static_cast<std::size_t>(state.range(0)), 1.0, 5);
    for (auto _ : state) benchmark::DoNotOptimize(summarize(x, 0.95));
}
BENCHMARK(BM_Summarize)->Arg(10)->Arg(200);

std::vector<InputFile> parsed_pair() {
    std::vector<InputFile> files;
    files.push_back({"before", "before.txt", parse_go_text(input("go-text", false), "before.txt")});
    files.push_back({"after", "after.txt", parse_go_text(input("go-text", true), "after.txt")});
    return files;
}

void BM_Compare(benchmark::State& state) {
    const std::vector<InputFile> files = parsed_pair();
    for (auto _ : state) {
        state.PauseTiming();
        std::vector<InputFile> copy = files;
        state.ResumeTiming();
        Report report = compare(std::move(copy), CompareOptions{});
        apply_gate(report, GateOptions{});
        benchmark::DoNotOptimize(report.tables.data());
    }
}
BENCHMARK(BM_Compare)->Unit(benchmark::kMillisecond);

const Report& report() {
    static const Report r = [] {
        Report rep = compare(parsed_pair(), CompareOptions{});
        apply_gate(rep, GateOptions{});
        return rep;
    }();
    return r;
}

void render_benchmark(benchmark::State& state, std::string (*render)(const Report&)) {
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string out = render(report());
        bytes = out.size();
        benchmark::DoNotOptimize(out.data());
    }
    state.counters["output_bytes"] = static_cast<double>(bytes);
}

std::string text(const Report& r) { return render_text(r); }
std::string markdown(const Report& r) { return render_markdown(r); }
void BM_RenderText(benchmark::State& state) { render_benchmark(state, text); }
void BM_RenderMarkdown(benchmark::State& state) { render_benchmark(state, markdown); }
void BM_RenderCsv(benchmark::State& state) { render_benchmark(state, render_csv); }
void BM_RenderJson(benchmark::State& state) { render_benchmark(state, render_json); }
void BM_RenderHtml(benchmark::State& state) { render_benchmark(state, render_html); }
BENCHMARK(BM_RenderText)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderMarkdown)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderCsv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderJson)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RenderHtml)->Unit(benchmark::kMillisecond);

// Numbers as the CSV report writes them, against fmt's "{}" they match byte for byte: doubles of
// full precision across a report's magnitudes (argument 0) or whole numbers (argument 1), many
// different ones so that the branches are not learnt.
std::vector<double> report_numbers(bool whole) {
    std::vector<double> out;
    unsigned s = 12345;
    for (int i = 0; i < 4096; ++i) {
        s = s * 1103515245u + 12345u;
        const double value = std::pow(10.0, static_cast<double>(s % 12000) / 1000.0 - 9) * (i % 3 == 0 ? -1 : 1);
        out.push_back(whole ? std::round(value * 1e9) : value);
    }
    return out;
}

template <typename Write>
void number_benchmark(benchmark::State& state, const Write& write) {
    const std::vector<double> values = report_numbers(state.range(0) == 1);
    char buffer[64];
    std::size_t at = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(write(values[at++ % values.size()], buffer));
        benchmark::ClobberMemory();
    }
}

void BM_NumberText(benchmark::State& state) { number_benchmark(state, write_number_text); }
void BM_NumberTextFmt(benchmark::State& state) {
    number_benchmark(state, [](double value, char* out) { return fmt::format_to(out, FMT_COMPILE("{}"), value); });
}
void BM_JsonNumberText(benchmark::State& state) { number_benchmark(state, write_json_number_text); }
void BM_JsonNumberTextToChars(benchmark::State& state) {
    // The standard library's shortest digits, the JSON report's writer before number_text.
    number_benchmark(state, [](double value, char* out) { return std::to_chars(out, out + 64, value).ptr; });
}
BENCHMARK(BM_NumberText)->Arg(0)->Arg(1);
BENCHMARK(BM_NumberTextFmt)->Arg(0)->Arg(1);
BENCHMARK(BM_JsonNumberText)->Arg(0)->Arg(1);
BENCHMARK(BM_JsonNumberTextToChars)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
