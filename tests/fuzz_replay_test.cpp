// Replays every fuzz corpus file (testdata/fuzz/<target>/*) through the fuzz targets' own entry
// functions, compiled here with the normal compiler: each past crash stays fixed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
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

struct CorpusFile {
    std::size_t target;
    fs::path path;
};

std::vector<CorpusFile> corpus_files() {
    std::vector<CorpusFile> files;
    for (std::size_t t = 0; t < std::size(k_targets); ++t) {
        const fs::path dir = fs::path(KSAIL_TESTDATA_DIR) / "fuzz" / k_targets[t].name;
        std::vector<fs::path> paths;
        for (const auto& entry : fs::directory_iterator(dir)) paths.push_back(entry.path());
        std::sort(paths.begin(), paths.end());
        for (auto& p : paths) files.push_back({t, std::move(p)});
    }
    return files;
}

class FuzzCorpus : public ::testing::TestWithParam<CorpusFile> {};

TEST_P(FuzzCorpus, RunsCleanly) {
    const CorpusFile& file = GetParam();
    std::ifstream in(file.path, std::ios::binary);
    ASSERT_TRUE(in) << file.path;
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string data = bytes.str();
    // The targets abort on a broken invariant, which fails this test with the target's message.
    EXPECT_EQ(k_targets[file.target].entry(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), 0);
}

std::string case_name(const ::testing::TestParamInfo<CorpusFile>& info) {
    std::string name = std::string(k_targets[info.param.target].name) + "_" + info.param.path.filename().string();
    for (char& c : name) {
        if ((c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9')) c = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Replay, FuzzCorpus, ::testing::ValuesIn(corpus_files()), case_name);

}  // namespace
