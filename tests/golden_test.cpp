// Golden tests: run the whole CLI in-process over testdata/golden/<case>.{args,stdout,stderr,exit}.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ksail_benchstat/cli.hpp"

namespace fs = std::filesystem;

namespace {

fs::path testdata() { return fs::path(KSAIL_TESTDATA_DIR); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> golden_cases() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(testdata() / "golden")) {
        if (entry.path().extension() == ".args") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

// Restores the working directory when a case ends.
struct CwdGuard {
    fs::path saved = fs::current_path();
    ~CwdGuard() { fs::current_path(saved); }
};

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpectedOutput) {
    const fs::path base = testdata() / "golden" / GetParam();
    std::istringstream args_file(slurp(base.string() + ".args"));
    std::vector<std::string> args;
    fs::path cwd = testdata();
    std::string stdin_file;
    for (std::string line; std::getline(args_file, line);) {
        if (line.rfind("#cwd ", 0) == 0) {
            cwd = testdata() / line.substr(5);
        } else if (line.rfind("#stdin ", 0) == 0) {
            stdin_file = line.substr(7);
        } else if (!line.empty() && line[0] != '#') {
            args.push_back(line);
        }
    }
    CwdGuard guard;
    fs::current_path(cwd);
    std::streambuf* saved_cin = nullptr;
    std::ifstream stdin_stream;
    if (!stdin_file.empty()) {
        stdin_stream.open(stdin_file, std::ios::binary);
        saved_cin = std::cin.rdbuf(stdin_stream.rdbuf());
    }
    std::ostringstream out;
    std::ostringstream err;
    int code = ksail_benchstat::run(args, out, err);
    if (saved_cin != nullptr) std::cin.rdbuf(saved_cin);

    if (std::getenv("KSAIL_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(base.string() + ".stdout", std::ios::binary) << out.str();
        std::ofstream(base.string() + ".stderr", std::ios::binary) << err.str();
        std::ofstream(base.string() + ".exit") << code << "\n";
        GTEST_SKIP() << "golden rewritten";
    }
    EXPECT_EQ(out.str(), slurp(base.string() + ".stdout"));
    EXPECT_EQ(err.str(), slurp(base.string() + ".stderr"));
    EXPECT_EQ(code, std::stoi(slurp(base.string() + ".exit")));
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                             std::string name = param_info.param;
                             for (char& c : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             }
                             return name;
                         });

}  // namespace
