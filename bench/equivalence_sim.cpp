// Simulation check of the three-way verdicts and the minimum detectable effect (MDE), through the
// same compare() the command line runs: every trial is one row of a synthetic two-input suite.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "ksail_benchstat/compare.hpp"

namespace {

using namespace ksail_benchstat;

constexpr double k_equivalence_pct = 5;              // X
constexpr std::size_t k_trials = 4000;               // rows per (noise, n, shift)
constexpr std::uint64_t k_seed = 0x65717569760aULL;  // fixed: the tables must be reproducible

using Draw = std::function<double(std::mt19937_64&)>;

struct Noise {
    std::string name;
    Draw draw;
};

std::vector<Noise> noise_models() {
    std::vector<Noise> models;
    models.push_back({"log-normal(ln 100, 0.03)", [](std::mt19937_64& rng) {
                          std::lognormal_distribution<double> d(std::log(100.0), 0.03);
                          return d(rng);
                      }});
    // Heavy tails: Student t with 3 degrees of freedom (redrawn below 1 to stay positive).
    models.push_back({"100 + 2 t(3)", [](std::mt19937_64& rng) {
                          std::student_t_distribution<double> d(3);
                          for (;;) {
                              const double v = 100 + 2 * d(rng);
                              if (v > 1) return v;
                          }
                      }});
    return models;
}

ParsedInput suite(std::mt19937_64& rng, const Draw& draw, std::size_t n, double ratio) {
    ParsedInput parsed;
    parsed.configs.push_back({});
    parsed.units.push_back(UnitInfo{"sec/op", true, Better::lower, false});
    for (std::size_t row = 0; row < k_trials; ++row) {
        Series s;
        s.name = "BenchmarkSim" + std::to_string(row);
        s.unit = "sec/op";
        for (std::size_t i = 0; i < n; ++i) s.values.push_back(draw(rng) * ratio);
        parsed.series.push_back(std::move(s));
    }
    return parsed;
}

// Compares a baseline suite with a suite scaled by `ratio` (a true change of (ratio - 1) * 100%).
std::vector<Comparison> run(std::mt19937_64& rng, const Draw& draw, std::size_t n, double ratio) {
    std::vector<InputFile> inputs(2);
    inputs[0].label = inputs[0].path = "base";
    inputs[1].label = inputs[1].path = "new";
    inputs[0].parsed = suite(rng, draw, n, 1.0);
    inputs[1].parsed = suite(rng, draw, n, ratio);
    CompareOptions options;
    options.equivalence_pct = k_equivalence_pct;
    const Report report = compare(std::move(inputs), options);
    std::vector<Comparison> out;
    for (const auto& table : report.tables) {
        for (const auto& row : table.rows) {
            if (row.comparisons[1]) out.push_back(*row.comparisons[1]);
        }
    }
    return out;
}

double share(const std::vector<Comparison>& cs, const std::function<bool(const Comparison&)>& pred) {
    const auto hits = std::count_if(cs.begin(), cs.end(), pred);
    return 100.0 * static_cast<double>(hits) / static_cast<double>(cs.size());
}

}  // namespace

int main() {
    std::mt19937_64 rng(k_seed);
    const std::size_t sizes[] = {6, 10, 20};
    const double shifts[] = {0, k_equivalence_pct / 2, -k_equivalence_pct / 2, 2 * k_equivalence_pct,
                             -2 * k_equivalence_pct};

    std::printf("Three-way verdicts, X = %g%%, %zu rows per line, alpha 0.05, confidence 0.95\n\n", k_equivalence_pct,
                k_trials);
    std::printf("| noise | n | true change | equivalent | inconclusive | regressed | improved |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    for (const auto& noise : noise_models()) {
        for (std::size_t n : sizes) {
            for (double shift : shifts) {
                const auto cs = run(rng, noise.draw, n, 1 + shift / 100);
                std::printf("| %s | %zu | %+g%% | %.1f%% | %.1f%% | %.1f%% | %.1f%% |\n", noise.name.c_str(), n, shift,
                            share(cs, [](const Comparison& c) { return c.equivalence == Equivalence::equivalent; }),
                            share(cs, [](const Comparison& c) { return c.equivalence == Equivalence::inconclusive; }),
                            share(cs, [](const Comparison& c) { return c.equivalence == Equivalence::regressed; }),
                            share(cs, [](const Comparison& c) { return c.equivalence == Equivalence::improved; }));
            }
        }
    }

    std::printf(
        "\nMinimum detectable effect: median MDE under no change, then the share of rows whose true\n"
        "change equals that MDE (upwards) that come out significant (target: 80%%)\n\n");
    std::printf(
        "| noise | n | median MDE | detected at +MDE | median -count for ±%g%% | detected at +%g%% with that "
        "count |\n",
        k_equivalence_pct, k_equivalence_pct);
    std::printf("|---|---:|---:|---:|---:|---:|\n");
    for (const auto& noise : noise_models()) {
        for (std::size_t n : {6UL, 10UL, 20UL}) {
            const auto null_cs = run(rng, noise.draw, n, 1.0);
            std::vector<double> mdes;
            std::vector<std::size_t> needed;
            for (const auto& c : null_cs) {
                if (c.detect.mde_pct) mdes.push_back(*c.detect.mde_pct);
                needed.push_back(c.detect.samples_needed);
            }
            std::sort(mdes.begin(), mdes.end());
            std::sort(needed.begin(), needed.end());
            const double mde = mdes[mdes.size() / 2];
            const auto cs = run(rng, noise.draw, n, 1 + mde / 100);
            // The advice checked: at the recommended count, is a true change of +X% detected 80% of the time?
            const std::size_t advised = needed[needed.size() / 2];
            const auto at_advice = run(rng, noise.draw, advised, 1 + k_equivalence_pct / 100);
            std::printf("| %s | %zu | ±%.2f%% | %.1f%% | %zu | %.1f%% |\n", noise.name.c_str(), n, mde,
                        share(cs, [](const Comparison& c) { return c.significant; }), advised,
                        share(at_advice, [](const Comparison& c) { return c.significant; }));
        }
    }
    return 0;
}
