// What fresh memory costs on this machine: maps anonymous memory, touches one byte of every page
// (the first touch, when the kernel finds and zeroes a page), then writes all of it again (memory
// that is already there), and hands it back; several rounds in a row, with small pages and with
// large (2 MiB, transparent) pages. On bare metal the first touch costs a fraction of a
// millisecond per megabyte. On some virtual machines it costs far more, and more again when the
// memory has been left free for a while (the host may have taken it back).
// A benchmark, not a test: `fresh_memory [MEGABYTES] [ROUNDS] [PAUSE_SECONDS]`. With a pause, each
// round starts that long after the previous one handed its memory back.
#include <sys/mman.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace {

double now_ms() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// One round: milliseconds for the first touch and for writing it all again, or false when the
// memory cannot be had.
bool round_trip(std::size_t bytes, bool large_pages, double& first_touch_ms, double& rewrite_ms) {
    const double start = now_ms();
    void* mapped = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) return false;
    auto* memory = static_cast<volatile char*>(mapped);
#if defined(MADV_HUGEPAGE) && defined(MADV_NOHUGEPAGE)
    madvise(mapped, bytes, large_pages ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
#else
    (void)large_pages;
#endif
    for (std::size_t at = 0; at < bytes; at += 4096) memory[at] = 1;
    const double touched = now_ms();
    std::memset(mapped, 2, bytes);
    const double rewritten = now_ms();
    munmap(mapped, bytes);
    first_touch_ms = touched - start;
    rewrite_ms = rewritten - touched;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    const long megabytes = argc > 1 ? std::atol(argv[1]) : 100;
    const long rounds = argc > 2 ? std::atol(argv[2]) : 3;
    const double pause_s = argc > 3 ? std::atof(argv[3]) : 0;
    if (megabytes <= 0 || rounds <= 0 || pause_s < 0) {
        std::fprintf(stderr, "usage: fresh_memory [MEGABYTES] [ROUNDS] [PAUSE_SECONDS]\n");
        return 2;
    }
    const std::size_t bytes = static_cast<std::size_t>(megabytes) << 20;
    for (const bool large : {false, true}) {
        for (long r = 0; r < rounds; ++r) {
            if (pause_s > 0) std::this_thread::sleep_for(std::chrono::duration<double>(pause_s));
            double first = 0;
            double again = 0;
            if (!round_trip(bytes, large, first, again)) {
                std::fprintf(stderr, "fresh_memory: cannot map %ld MB\n", megabytes);
                return 1;
            }
            std::printf("%-12s round %ld: first touch %8.1f ms (%5.2f ms/MB)   written again %6.1f ms (%5.3f ms/MB)\n",
                        large ? "2 MiB pages" : "4 KiB pages", r + 1, first, first / static_cast<double>(megabytes),
                        again, again / static_cast<double>(megabytes));
        }
    }
    return 0;
}
