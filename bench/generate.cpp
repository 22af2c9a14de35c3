// Deterministic generator of large benchmark result files (Go text, go test -json, Google
// Benchmark JSON) for the performance benchmarks. The same options always give the same bytes.
#include "generate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace ksail_bench {

namespace {


// splitmix64: small, fast, and the same on every platform (unlike std:: distributions).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double normal() {
        // Box-Muller; one value per call keeps the sequence simple.
        const double u1 = 1.0 - uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
    }

private:
    std::uint64_t m_state;
};


// A benchmark's true values, shared by both files of a pair (seeded by the benchmark index only).
struct Truth {
    double ns = 0;
    double bytes = 0;
    double allocs = 0;
    double shift = 1;  // the "after" file's multiplier on time
};

Truth truth_of(std::uint64_t index) {
    Rng r(index * 7919 + 17);
    Truth t;
    t.ns = std::exp(r.uniform() * 16);  // 1 ns .. ~9 ms
    t.allocs = std::floor(r.uniform() * 40);
    t.bytes = t.allocs * std::floor(16 + r.uniform() * 200);
    const double pick = r.uniform();
    t.shift = pick < 0.03 ? 1.2 : pick < 0.06 ? 0.85 : 1.0;
    return t;
}

std::string go_name(std::uint64_t index) {
    static constexpr const char* k_ops[] = {"Parse", "Encode", "Decode", "Render", "Marshal", "Apply", "Diff", "Sort"};
    static constexpr const char* k_kinds[] = {"small", "medium", "large", "huge"};
    return fmt::format("BenchmarkComponent{}{}/{}/size={}-8", index / 64, k_ops[index % 8], k_kinds[(index / 8) % 4],
                       1 << (index % 13));
}

std::string pkg_of(std::uint64_t index) { return fmt::format("example.com/project/internal/pkg{:04}", index / 1000); }

std::string go_result_line(const std::string& name, Rng& rng, const Truth& t, bool after, double spread) {
    const double noise = std::exp(spread * rng.normal()) * (rng.uniform() < 0.02 ? 1.3 : 1.0);
    const double ns = t.ns * (after ? t.shift : 1.0) * noise;
    const long long iters = std::max<long long>(1, static_cast<long long>(1e9 / std::max(ns, 1.0)));
    return fmt::format("{}\t{:>10}\t{:>14.2f} ns/op\t{:>8.0f} B/op\t{:>6.0f} allocs/op\n", name, iters, ns, t.bytes,
                       t.allocs);
}

std::string json_escape(std::string_view s) {
    std::string out;
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '\t') {
            out += "\\t";
            continue;
        }
        out += c;
    }
    return out;
}


void generate_go(const GenerateOptions& p, bool as_test_json, const Sink& write) {
    const double limit = p.megabytes * 1e6;
    double written = 0;
    Rng rng(p.after ? 2 : 1);
    std::string current_pkg;
    const auto emit = [&](const std::string& pkg, const std::string& line) {
        std::string out;
        if (as_test_json) {
            out = fmt::format("{{\"Time\":\"2026-01-01T00:00:00.000000Z\",\"Action\":\"output\",\"Package\":\"{}\","
                              "\"Output\":\"{}\"}}\n",
                              pkg, json_escape(line));
        } else {
            out = line;
        }
        written += static_cast<double>(out.size());
        write(out);
    };
    const auto per_package = static_cast<std::uint64_t>(std::max(p.per_package, 0));
    for (std::uint64_t i = 0; written < limit; ++i) {
        const std::string pkg =
            per_package == 0 ? pkg_of(i) : fmt::format("example.com/monorepo/pkg{:05}", i / per_package);
        if (pkg != current_pkg) {
            if (!current_pkg.empty() && as_test_json) {
                emit(current_pkg, "PASS\n");
                written += 80;
                write(fmt::format("{{\"Time\":\"2026-01-01T00:00:00.000000Z\",\"Action\":\"pass\",\"Package\":\"{}\","
                                  "\"Elapsed\":1.5}}\n",
                                  current_pkg));
            }
            current_pkg = pkg;
            emit(pkg, "goos: linux\n");
            emit(pkg, "goarch: amd64\n");
            emit(pkg, fmt::format("pkg: {}\n", pkg));
            emit(pkg, "cpu: AMD EPYC 7763 64-Core Processor\n");
        }
        const Truth t = truth_of(i);
        const std::string name = go_name(per_package == 0 ? i : i % per_package);
        for (int r = 0; r < p.count; ++r) emit(pkg, go_result_line(name, rng, t, p.after, p.noise));
    }
    if (as_test_json) {
        emit(current_pkg, "PASS\n");
        write(fmt::format("{{\"Time\":\"2026-01-01T00:00:00.000000Z\",\"Action\":\"pass\",\"Package\":\"{}\","
                          "\"Elapsed\":1.5}}\n",
                          current_pkg));
    } else {
        write("PASS\n");
    }
}

void generate_gbench(const GenerateOptions& p, const Sink& write) {
    const double limit = p.megabytes * 1e6;
    Rng rng(p.after ? 2 : 1);
    std::string head = R"({
  "context": {
    "date": "2026-01-01T00:00:00+00:00",
    "host_name": "runner",
    "executable": "./bench",
    "num_cpus": 4,
    "mhz_per_cpu": 2800,
    "cpu_scaling_enabled": false,
    "caches": [],
    "load_avg": [1.0, 0.5, 0.25],
    "library_build_type": "release"
  },
  "benchmarks": [
)";
    write(head);
    double written = static_cast<double>(head.size());
    bool first = true;
    for (std::uint64_t i = 0; written < limit; ++i) {
        const Truth t = truth_of(i);
        const std::string name = fmt::format("BM_Component{}/{}", i / 8, 1 << (i % 13));
        for (int r = 0; r < p.count; ++r) {
            const double noise = std::exp(0.03 * rng.normal()) * (rng.uniform() < 0.02 ? 1.3 : 1.0);
            const double real = t.ns * (p.after ? t.shift : 1.0) * noise;
            const double cpu = real * (0.97 + 0.02 * rng.uniform());
            const long long iters = std::max<long long>(1, static_cast<long long>(1e9 / std::max(real, 1.0)));
            std::string entry = fmt::format(
                R"({}    {{
      "name": "{}",
      "family_index": {},
      "per_family_instance_index": 0,
      "run_name": "{}",
      "run_type": "iteration",
      "repetitions": {},
      "repetition_index": {},
      "threads": 1,
      "iterations": {},
      "real_time": {:.6e},
      "cpu_time": {:.6e},
      "time_unit": "ns",
      "items_per_second": {:.6e}
    }})",
                first ? "" : ",\n", name, i, name, p.count, r, iters, real, cpu, 1e9 / cpu);
            first = false;
            written += static_cast<double>(entry.size());
            write(entry);
        }
    }
    write("\n  ]\n}\n");
}

}  // namespace

void generate(const GenerateOptions& options, const Sink& write) {
    if (options.format == "go-text") generate_go(options, false, write);
    else if (options.format == "go-test-json") generate_go(options, true, write);
    else generate_gbench(options, write);
}

std::string generate(const GenerateOptions& options) {
    std::string out;
    generate(options, [&](std::string_view piece) { out.append(piece); });
    return out;
}

}  // namespace ksail_bench
