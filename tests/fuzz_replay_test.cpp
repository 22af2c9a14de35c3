// Replays every fuzz corpus file (testdata/fuzz/<target>/*) through the fuzz targets' own entry
// functions, compiled here with the normal compiler: each past crash stays fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

// fuzz/fuzz_<target>.cpp, with LLVMFuzzerTestOneInput renamed by tests/CMakeLists.txt.
extern "C" int ksail_fuzz_go_text(const std::uint8_t* data, std::size_t size);
extern "C" int ksail_fuzz_go_test_json(const std::uint8_t* data, std::size_t size);
extern "C" int ksail_fuzz_gbench_json(const std::uint8_t* data, std::size_t size);
extern "C" int ksail_fuzz_cli(const std::uint8_t* data, std::size_t size);
extern "C" int ksail_fuzz_pipeline(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

using Entry = int (*)(const std::uint8_t*, std::size_t);

struct Target {
    const char* name;
    Entry entry;
};

constexpr Target k_targets[] = {
    {"go_text", ksail_fuzz_go_text}, {"go_test_json", ksail_fuzz_go_test_json},
    {"gbench_json", ksail_fuzz_gbench_json}, {"cli", ksail_fuzz_cli}, {"pipeline", ksail_fuzz_pipeline},
};

std::vector<fs::path> corpus_of(const char* target) {
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(fs::path(KSAIL_TESTDATA_DIR) / "fuzz" / target)) {
        paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    return paths;
}

// One test per target (a corpus has hundreds of files; one ctest case each would cost more in
// process start-up than the replay itself). The name of each file goes to standard error before
// it runs, so a crash shows which file broke.
class FuzzCorpus : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzCorpus, EveryFileRunsCleanly) {
    const auto paths = corpus_of(GetParam().name);
    EXPECT_FALSE(paths.empty());
    for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        ASSERT_TRUE(in) << path;
        std::ostringstream bytes;
        bytes << in.rdbuf();
        const std::string data = bytes.str();
        // Passed in a buffer of exactly its size, as libFuzzer passes it: a string's terminating
        // NUL would hide a read one byte past the input from the sanitizers.
        const std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[data.size()]);
        std::copy(data.begin(), data.end(), exact.get());
        std::fprintf(stderr, "replaying %s\n", path.filename().string().c_str());
        // The targets abort on a broken invariant, which fails this test with the target's message.
        EXPECT_EQ(GetParam().entry(exact.get(), data.size()), 0) << path;
    }
}

std::string target_name(const ::testing::TestParamInfo<Target>& param) { return param.param.name; }

INSTANTIATE_TEST_SUITE_P(Replay, FuzzCorpus, ::testing::ValuesIn(k_targets), target_name);

}  // namespace
