// Times each phase of the pipeline (read + parse, compare, gate, each renderer) on the given
// inputs and prints wall milliseconds, the memory the program holds, and the process's resident
// memory after each phase.
// A benchmark, not a test: `phase_times [--format F] FILE...`.
#include <malloc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "ksail_benchstat/compare.hpp"
#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/parallel.hpp"
#include "ksail_benchstat/render.hpp"

using namespace ksail_benchstat;

namespace {

double rss_mb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0;
    long resident = 0;
    statm >> pages >> resident;
    return static_cast<double>(resident) * 4096.0 / 1e6;
}

double peak_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Bytes the program holds (allocated and not freed), which RSS hides behind memory the allocator
// keeps for reuse. Sums the main arena and the other threads' arenas.
double heap_mb() {
    const struct mallinfo2 info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / 1e6;
}

// User + system CPU time of the whole process so far, milliseconds: beside the wall time it shows
// how many cores a phase kept busy.
double cpu_ms() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

// Page faults so far: each one a page the kernel zeroed or mapped in for the process.
long faults() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt + usage.ru_majflt;
}

struct Clock {
    std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
    double last_cpu = cpu_ms();
    long last_faults = faults();
    void lap(const char* phase) {
        const auto now = std::chrono::steady_clock::now();
        const double cpu = cpu_ms();
        const long f = faults();
        std::printf("%-10s %9.1f ms   cpu %7.1f ms   faults %7ld   heap %7.1f MB   rss %7.1f MB   peak %7.1f MB\n",
                    phase, std::chrono::duration<double, std::milli>(now - last).count(), cpu - last_cpu,
                    f - last_faults, heap_mb(), rss_mb(), peak_mb());
        last = std::chrono::steady_clock::now();
        last_cpu = cpu_ms();
        last_faults = faults();
    }
};

}  // namespace

int main(int argc, char** argv) {
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
    mallopt(M_TOP_PAD, 64 << 20);
    std::vector<std::string> paths;
    std::string format = "all";
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--format" && i + 1 < argc) {
            format = argv[++i];
        } else {
            paths.push_back(a);
        }
    }
    if (paths.empty()) {
        std::fprintf(stderr, "usage: phase_times [--format text|markdown|csv|json|html|all] FILE...\n");
        return 2;
    }
    Clock clock;
    std::vector<InputFile> files(paths.size());
    parallel_for(paths.size(), 1, 1, [&](std::size_t i) {
        std::FILE* f = std::fopen(paths[i].c_str(), "rb");
        if (f == nullptr) return;
        files[i].label = paths[i];
        files[i].path = paths[i];
        // The size hint the command line gives, so that the parsers reserve what they would there.
        std::fseek(f, 0, SEEK_END);
        const long file_size = std::ftell(f);
        std::fseek(f, 0, SEEK_SET);
        files[i].parsed = parse_input_stream(
            [f](char* buffer, std::size_t size) { return std::fread(buffer, 1, size, f); }, paths[i],
            file_size > 0 ? static_cast<std::size_t>(file_size) : 0);
        std::fclose(f);
    });
    clock.lap("parse");
    // What the command line works out for the format: plain text without a gate needs neither
    // the change's interval nor the detectability nor the gate, and only HTML keeps the samples.
    CompareOptions options;
    const bool text_only = format == "text";
    options.detectability = !text_only;
    options.change_interval = !text_only;
    options.keep_samples = format == "html" || format == "all";
    Report report = compare(std::move(files), options);
    clock.lap("compare");
    if (!text_only) {
        apply_gate(report, GateOptions{});
        clock.lap("gate");
    }
    std::size_t bytes = 0;
    auto render = [&](const char* name, auto&& fn) {
        if (format != "all" && format != name) return;
        bytes = fn().size();
        clock.lap(name);
        std::printf("           %zu bytes\n", bytes);
    };
    render("text", [&] { return render_text(report); });
    render("markdown", [&] { return render_markdown(report); });
    render("csv", [&] { return render_csv(report); });
    render("json", [&] { return render_json(report); });
    render("html", [&] { return render_html(report); });
    { Report gone = std::move(report); }
    clock.lap("free");
    return 0;
}
