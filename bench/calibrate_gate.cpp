// Calibration of the CI gate by simulation: false-failure rate on same-versus-same suites, detection
// of injected regressions and coverage of the change interval, for the interval and point rules.
#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/gate.hpp"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace {

using namespace ksail_benchstat;

constexpr std::uint64_t k_seed = 0x67617465;  // fixed: the table in docs/ci.md must be reproducible
constexpr int k_benchmarks = 200;
constexpr int k_null_suites = 1000;     // per sample size: enough to see a 1% failure rate
constexpr int k_injected_suites = 200;  // per (sample size, regression size)
constexpr int k_injected_per_suite = 10;

// One simulated benchmark: a true time, a noise level and optionally an allocation count.
struct Bench {
    std::string name;
    double seconds = 0;
    double sigma = 0;          // log-normal jitter of one sample
    bool has_allocs = false;
    double allocs = 0;         // true (possibly fractional) allocations per op
};

// A suite of benchmarks with KSail-like spread: 20 ns to 2 ms, σ 2–6%, a quarter reporting allocs,
// some of those fractional (goroutine-heavy code whose count go test rounds down per run).
std::vector<Bench> make_suite(std::mt19937_64& rng) {
    std::uniform_real_distribution<double> log_time(std::log(20e-9), std::log(2e-3));
    std::uniform_real_distribution<double> sigma(0.02, 0.06);
    std::uniform_real_distribution<double> unit(0, 1);
    std::uniform_int_distribution<int> count(1, 120);
    std::vector<Bench> suite(k_benchmarks);
    for (int i = 0; i < k_benchmarks; ++i) {
        Bench& b = suite[static_cast<std::size_t>(i)];
        b.name = fmt::format("BenchmarkSim{:03d}-4", i);
        b.seconds = std::exp(log_time(rng));
        b.sigma = sigma(rng);
        b.has_allocs = unit(rng) < 0.25;
        b.allocs = count(rng);
        if (b.has_allocs && unit(rng) < 0.3) b.allocs += 0.5 + 0.49 * unit(rng);
    }
    return suite;
}

// One run of the suite with `n` samples per benchmark, its time scaled by `drift` and by `factor[i]`.
ParsedInput run_suite(const std::vector<Bench>& suite, std::size_t n, double drift, const std::vector<double>& factor,
                      std::mt19937_64& rng) {
    ParsedInput in;
    in.format = InputFormat::go_text;
    in.configs.push_back({{"goos", "linux"}, {"pkg", "sim"}, {"cpu", "sim"}});
    std::normal_distribution<double> z(0, 1);
    std::uniform_real_distribution<double> unit(0, 1);
    std::uniform_real_distribution<double> neighbour(1.15, 1.6);
    for (std::size_t i = 0; i < suite.size(); ++i) {
        const Bench& b = suite[i];
        Series time;
        time.name = b.name;
        time.unit = "sec/op";
        Series allocs;
        allocs.name = b.name;
        allocs.unit = "allocs/op";
        for (std::size_t s = 0; s < n; ++s) {
            double v = b.seconds * drift * factor[i] * std::exp(b.sigma * z(rng));
            if (unit(rng) < 0.02) v *= neighbour(rng);  // a noisy neighbour on the runner
            time.values.push_back(v);
            // go test divides total allocations by iterations: a fractional count prints as k or k+1.
            const double frac = b.allocs - std::floor(b.allocs);
            allocs.values.push_back(std::floor(b.allocs) + (unit(rng) < frac ? 1 : 0));
        }
        in.series.push_back(std::move(time));
        if (b.has_allocs) in.series.push_back(std::move(allocs));
    }
    return in;
}

struct Outcome {
    int suites = 0;
    int failed_suites[2] = {0, 0};  // [interval, point]
    long injected = 0;
    long detected[2] = {0, 0};
    long false_rows[2] = {0, 0};  // failed rows that had no injected change
    long possible = 0;            // possible regressions (interval rule)
    long covered = 0;
    long intervals = 0;
};

void simulate(Outcome& out, std::size_t n, double regression, int suites, std::mt19937_64& rng) {
    std::uniform_real_distribution<double> drift_d(1.01, 1.015);
    for (int s = 0; s < suites; ++s) {
        const std::vector<Bench> suite = make_suite(rng);
        std::vector<double> factor(suite.size(), 1.0);
        std::vector<bool> injected(suite.size(), false);
        if (regression > 0) {
            // Inject only above the time floor: below it the gate ignores time by design.
            int placed = 0;
            for (std::size_t i = 0; i < suite.size() && placed < k_injected_per_suite; ++i) {
                if (suite[i].seconds >= 100e-9) {
                    factor[i] = 1 + regression;
                    injected[i] = true;
                    ++placed;
                }
            }
        }
        const double drift = drift_d(rng);
        std::vector<InputFile> inputs;
        inputs.push_back({"base", "base", run_suite(suite, n, 1.0, std::vector<double>(suite.size(), 1.0), rng)});
        inputs.push_back({"head", "head", run_suite(suite, n, drift, factor, rng)});
        Report report = compare(std::move(inputs), CompareOptions{});

        for (const Table& t : report.tables) {
            if (t.unit != "sec/op") continue;
            for (const Row& r : t.rows) {
                const auto& c = r.comparisons[1];
                if (!c || !c->change.low_pct || !c->change.high_pct) continue;
                const std::size_t i = static_cast<std::size_t>(std::stoi(std::string(r.name.view().substr(12, 3))));
                const double truth = (drift * factor[i] - 1) * 100;
                ++out.intervals;
                if (*c->change.low_pct <= truth && truth <= *c->change.high_pct) ++out.covered;
            }
        }
        for (int rule = 0; rule < 2; ++rule) {
            GateOptions options;
            options.enabled = true;
            options.rule = rule == 0 ? GateRule::interval : GateRule::point;
            apply_gate(report, options);
            if (!report.gate.passed) ++out.failed_suites[rule];
            for (const GateFinding& f : report.gate.findings) {
                const std::size_t i = static_cast<std::size_t>(std::stoi(f.benchmark.substr(12, 3)));
                if (rule == 0 && f.status == GateStatus::possible_regression) ++out.possible;
                if (f.status != GateStatus::failed) continue;
                if (injected[i] && f.unit == "sec/op") {
                    ++out.detected[rule];
                } else if (!injected[i]) {
                    ++out.false_rows[rule];
                }
            }
        }
        for (bool b : injected) out.injected += b ? 1 : 0;
        ++out.suites;
    }
}

double pct(double a, double b) { return b > 0 ? 100 * a / b : 0; }

}  // namespace

int main() {
    const auto start = std::chrono::steady_clock::now();
    std::mt19937_64 rng(k_seed);
    std::puts("Same-versus-same suites (200 benchmarks, σ 2–6%, 2% noisy-neighbour samples, head drift +1–1.5%,");
    std::puts("fractional allocation counts); default thresholds (10%, floors 100ns / 1 alloc / 64 B):\n");
    std::puts("| samples per side | suites | suites failing, interval rule | suites failing, point rule | "
              "possible regressions per suite | interval coverage |");
    std::puts("|---|---|---|---|---|---|");
    for (std::size_t n : {6u, 10u}) {
        Outcome o;
        simulate(o, n, 0, k_null_suites, rng);
        std::printf("| %zu | %d | %.1f%% | %.1f%% | %.2f | %.1f%% |\n", n, o.suites, pct(o.failed_suites[0], o.suites),
                    pct(o.failed_suites[1], o.suites), static_cast<double>(o.possible) / o.suites,
                    pct(static_cast<double>(o.covered), static_cast<double>(o.intervals)));
    }
    std::puts("\nInjected time regressions (10 of 200 benchmarks, all above the time floor):\n");
    std::puts("| samples per side | regression | detected, interval rule | detected, point rule | "
              "other rows failing per suite (interval / point) | interval coverage |");
    std::puts("|---|---|---|---|---|---|");
    for (std::size_t n : {6u, 10u}) {
        for (double r : {0.05, 0.10, 0.20, 0.50}) {
            Outcome o;
            simulate(o, n, r, k_injected_suites, rng);
            std::printf("| %zu | +%.0f%% | %.1f%% | %.1f%% | %.3f / %.3f | %.1f%% |\n", n, r * 100,
                        pct(static_cast<double>(o.detected[0]), static_cast<double>(o.injected)),
                        pct(static_cast<double>(o.detected[1]), static_cast<double>(o.injected)),
                        static_cast<double>(o.false_rows[0]) / o.suites, static_cast<double>(o.false_rows[1]) / o.suites,
                        pct(static_cast<double>(o.covered), static_cast<double>(o.intervals)));
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "seed %#llx, %.1f s\n", static_cast<unsigned long long>(k_seed), seconds);
    return 0;
}
