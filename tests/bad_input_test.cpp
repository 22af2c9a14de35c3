// Bad input too big or too environment-dependent for a golden file: generated in a scratch folder,
// run through the whole CLI in-process, asserting the exact message and exit code. Also the
// "nothing lost" guarantees of -o and --summary, and byte-for-byte determinism.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ksail_benchstat/cli.hpp"

namespace fs = std::filesystem;

namespace {

struct Result {
    int code;
    std::string out;
    std::string err;
};

// A fresh folder per test, made the working directory so messages show short relative paths.
class BadInput : public ::testing::Test {
protected:
    void SetUp() override {
        m_saved = fs::current_path();
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() / ("ksail-bad-input-" + std::to_string(::getpid()) + "-" + info->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        fs::current_path(m_dir);
    }
    void TearDown() override {
        fs::current_path(m_saved);
        fs::permissions(m_dir / "locked.txt", fs::perms::owner_all, m_ignore);
        fs::remove_all(m_dir, m_ignore);
    }

    static void write(const std::string& path, const std::string& content) {
        std::ofstream(path, std::ios::binary) << content;
    }
    static std::string read(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
    // Go benchmark text: `count` samples of BenchmarkA-2, values base, base+1, ... ns/op.
    static std::string samples(int count, int base) {
        std::string text = "goos: linux\ngoarch: amd64\n";
        for (int i = 0; i < count; ++i) text += "BenchmarkA-2 1000 " + std::to_string(base + i % 7) + " ns/op\n";
        return text;
    }
    static Result run(const std::vector<std::string>& args) {
        std::ostringstream out;
        std::ostringstream err;
        int code = ksail_benchstat::run(args, out, err);
        return {code, out.str(), err.str()};
    }
    // Everything a descriptor still has to give, until its writers are gone; then closes it.
    static std::string drain(int fd) {
        std::string data;
        char buf[4096];
        for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) data.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        return data;
    }
    // Files in the scratch folder other than `keep` (leftover temporary files would show here).
    std::vector<std::string> others(const std::vector<std::string>& keep) const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(m_dir)) {
            std::string n = e.path().filename().string();
            if (std::find(keep.begin(), keep.end(), n) == keep.end()) names.push_back(n);
        }
        return names;
    }

    fs::path m_dir;
    fs::path m_saved;
    std::error_code m_ignore;
};

TEST_F(BadInput, TenMegabyteLineIsSkippedLikeAnyOtherNonBenchmarkLine) {
    write("long.txt", std::string(10'000'000, 'x') + "\nBenchmarkA-2 100 5 ns/op\n");
    Result r = run({"long.txt"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("A-2   5.000n ± ∞ ¹"), std::string::npos) << r.out;
}

TEST_F(BadInput, TenMegabyteBenchmarkNameStillCompares) {
    const std::string name = "Benchmark" + std::string(10'000'000, 'n');
    write("old.txt", name + " 100 5 ns/op\n");
    write("new.txt", name + " 100 6 ns/op\n");
    Result r = run({"--format", "json", "old.txt", "new.txt"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto json = nlohmann::json::parse(r.out);
    ASSERT_EQ(json["rows"].size(), 1U);
    EXPECT_EQ(json["rows"][0]["benchmark"].get<std::string>(), name);
}

TEST_F(BadInput, TenThousandSamplesOfOneBenchmark) {
    write("old.txt", samples(10'000, 100));
    write("new.txt", samples(10'000, 110));
    Result r = run({"old.txt", "new.txt"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.err, "");
    // Medians 103 and 113 ns; a 10% change that 10,000 samples make unmistakable. The p-value
    // underflows to 0 in double precision, and a p of 0 is not printed (as benchstat does).
    EXPECT_NE(r.out.find("A-2   103.0n ± 0%   113.0n ± 0%  +9.71% (n=10000)"), std::string::npos) << r.out;
}

TEST_F(BadInput, TwoHundredInputFiles) {
    std::vector<std::string> args = {"--format", "json"};
    for (int i = 0; i < 200; ++i) {
        std::string path = "run" + std::to_string(i) + ".txt";
        write(path, samples(3, 100 + i));
        args.push_back(path);
    }
    Result r = run(args);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    auto json = nlohmann::json::parse(r.out);
    EXPECT_EQ(json["inputs"].size(), 200U);
    EXPECT_EQ(json["inputs"][199]["label"], "run199.txt");
    ASSERT_EQ(json["rows"].size(), 1U);
    EXPECT_EQ(json["rows"][0]["summaries"].size(), 200U);
}

// Permissions do not stop root, and CI runs as root. So the test asserts what actually happens
// for the user running it: root reads the file (and the result is the ordinary one); anyone else
// gets the error. The error path itself is pinned by paths that nobody can open, below.
TEST_F(BadInput, FileWithoutReadPermission) {
    write("locked.txt", samples(3, 100));
    fs::permissions("locked.txt", fs::perms::none);
    Result r = run({"locked.txt"});
    if (::geteuid() == 0) {
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_NE(r.out.find("A-2   101.0n ± ∞ ¹"), std::string::npos) << r.out;
    } else {
        EXPECT_EQ(r.code, 2);
        EXPECT_EQ(r.err, "ksail-benchstat: error: locked.txt: cannot open: Permission denied\n");
    }
}

TEST_F(BadInput, PathThroughAFileCannotBeOpened) {
    write("plain.txt", samples(3, 100));
    Result r = run({"plain.txt/inner.txt"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ksail-benchstat: error: plain.txt/inner.txt: cannot open: Not a directory\n");
}

TEST_F(BadInput, OverlongFileName) {
    const std::string name(300, 'f');
    Result r = run({name});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ksail-benchstat: error: " + name + ": cannot open: File name too long\n");
}

TEST_F(BadInput, FailedRunLeavesPreviousOutputUntouched) {
    write("out.txt", "previous report\n");
    write("empty.txt", "");
    Result r = run({"-o", "out.txt", "empty.txt"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ksail-benchstat: error: empty.txt: the input is empty\n");
    EXPECT_EQ(read("out.txt"), "previous report\n");
    EXPECT_EQ(others({"out.txt", "empty.txt"}), std::vector<std::string>{});
}

TEST_F(BadInput, OutputFileHoldsExactlyWhatStandardOutputWould) {
    write("old.txt", samples(6, 100));
    write("new.txt", samples(6, 120));
    write("out.md", "previous report\n");
    Result to_stdout = run({"--format", "markdown", "old.txt", "new.txt"});
    Result to_file = run({"--format", "markdown", "-o", "out.md", "old.txt", "new.txt"});
    EXPECT_EQ(to_file.code, 0);
    EXPECT_EQ(to_file.out, "");
    EXPECT_EQ(read("out.md"), to_stdout.out);
    EXPECT_EQ(others({"old.txt", "new.txt", "out.md"}), std::vector<std::string>{});
}

TEST_F(BadInput, SummaryAppendsAndKeepsWhatWasThere) {
    write("old.txt", samples(6, 100));
    write("new.txt", samples(6, 120));
    write("summary.md", "# Earlier step");  // no final newline: one is added before the report
    Result md = run({"--format", "markdown", "old.txt", "new.txt"});
    Result r = run({"--summary", "summary.md", "old.txt", "new.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read("summary.md"), "# Earlier step\n" + md.out);
}

// A full disk, simulated with the file-size limit: writes beyond it fail with EFBIG (the signal
// that would otherwise kill the process is ignored). The previous file must survive and no
// temporary file may be left behind.
TEST_F(BadInput, FullDiskIsAClearErrorAndLosesNothing) {
    write("old.txt", samples(6, 100));
    write("new.txt", samples(6, 120));
    write("out.txt", "previous report\n");
    write("summary.md", "previous summary\n");
    auto saved_handler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit saved{};
    ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
    rlimit small = saved;
    small.rlim_cur = 64;
    ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
    Result out = run({"-o", "out.txt", "old.txt", "new.txt"});
    Result summary = run({"--summary", "summary.md", "old.txt", "new.txt"});
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, saved_handler);

    EXPECT_EQ(out.code, 2);
    EXPECT_EQ(out.err, "ksail-benchstat: error: cannot write out.txt: File too large\n");
    EXPECT_EQ(read("out.txt"), "previous report\n");
    EXPECT_EQ(summary.code, 2);
    EXPECT_EQ(summary.err, "ksail-benchstat: error: cannot write summary.md: File too large\n");
    EXPECT_EQ(read("summary.md"), "previous summary\n");
    EXPECT_EQ(others({"old.txt", "new.txt", "out.txt", "summary.md"}), std::vector<std::string>{});
}

TEST_F(BadInput, UnwritableOutputFolder) {
    write("old.txt", samples(6, 100));
    Result r = run({"-o", "missing/out.txt", "old.txt"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ksail-benchstat: error: cannot write missing/out.txt: No such file or directory\n");
    EXPECT_FALSE(fs::exists("missing"));
}

TEST_F(BadInput, OutputThroughASymlinkWritesItsTargetAndKeepsTheLink) {
    write("old.txt", samples(6, 100));
    write("real.txt", "previous report\n");
    fs::create_symlink("real.txt", "link.txt");
    fs::create_symlink("created.txt", "dangling.txt");
    const Result text = run({"old.txt"});
    const Result markdown = run({"--format", "markdown", "old.txt"});

    Result r = run({"-o", "link.txt", "old.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::is_symlink("link.txt"));
    EXPECT_EQ(read("real.txt"), text.out);
    r = run({"--summary", "link.txt", "old.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::is_symlink("link.txt"));
    EXPECT_EQ(read("real.txt"), text.out + markdown.out);
    // A dangling link: its target is created.
    r = run({"-o", "dangling.txt", "old.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(fs::is_symlink("dangling.txt"));
    EXPECT_EQ(read("created.txt"), text.out);
    EXPECT_EQ(others({"old.txt", "real.txt", "link.txt", "dangling.txt", "created.txt"}), std::vector<std::string>{});
}

TEST_F(BadInput, OutputThroughASymlinkToAFolderOrInACircleIsAnError) {
    write("old.txt", samples(6, 100));
    fs::create_directory("folder");
    fs::create_directory_symlink("folder", "to-folder");
    fs::create_symlink("circle.txt", "circle.txt");
    Result r = run({"-o", "to-folder", "old.txt"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ksail-benchstat: error: cannot write to-folder: is a directory\n");
    r = run({"-o", "circle.txt", "old.txt"});
    EXPECT_EQ(r.code, 2);
    EXPECT_EQ(r.err, "ksail-benchstat: error: cannot write circle.txt: Too many levels of symbolic links\n");
    EXPECT_TRUE(fs::is_symlink("to-folder"));
    EXPECT_TRUE(fs::is_empty("folder"));
}

// The replaced file keeps its permission bits, and its owner and group where the writer may set
// them (root may give a file to anyone).
TEST_F(BadInput, OutputKeepsTheModeAndOwnerOfTheFileItReplaces) {
    write("old.txt", samples(6, 100));
    const Result text = run({"old.txt"});
    for (const auto mode : {fs::perms(0600), fs::perms(0444), fs::perms(0640), fs::perms(0755)}) {
        write("out.txt", "previous report\n");
        fs::permissions("out.txt", mode);
        Result r = run({"-o", "out.txt", "old.txt"});
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_EQ(fs::status("out.txt").permissions(), mode) << static_cast<int>(mode);
        EXPECT_EQ(read("out.txt"), text.out);
        fs::remove("out.txt");
    }
    write("owned.txt", "previous report\n");
    if (::geteuid() == 0 && ::chown("owned.txt", 4321, 8765) == 0) {
        Result r = run({"-o", "owned.txt", "old.txt"});
        EXPECT_EQ(r.code, 0) << r.err;
        struct stat st {};
        ASSERT_EQ(::stat("owned.txt", &st), 0);
        EXPECT_EQ(st.st_uid, 4321U);
        EXPECT_EQ(st.st_gid, 8765U);
    }
}

// A FIFO is written in place: a rename would put a regular file where it was, and its reader
// would get nothing. --summary appends to it without reading it first.
TEST_F(BadInput, OutputToAFifoWritesThroughIt) {
    write("old.txt", samples(6, 100));
    const Result text = run({"old.txt"});
    const Result markdown = run({"--format", "markdown", "old.txt"});
    ASSERT_EQ(::mkfifo("pipe", 0644), 0);
    // A reader first, so that opening the FIFO for writing does not wait; each report fits its buffer.
    int reader = ::open("pipe", O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    Result r = run({"-o", "pipe", "old.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(drain(reader), text.out);
    reader = ::open("pipe", O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    r = run({"--summary", "pipe", "old.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(drain(reader), markdown.out);
    EXPECT_TRUE(fs::is_fifo("pipe"));
    EXPECT_EQ(others({"old.txt", "pipe"}), std::vector<std::string>{});
}

// A device is written in place too. As root (who could replace /dev/null) the test makes a null
// device of its own; anyone else writes to /dev/null itself.
TEST_F(BadInput, OutputToADeviceWritesThroughIt) {
    write("old.txt", samples(6, 100));
    std::string null_device = "/dev/null";
    if (::geteuid() == 0) {
        if (::mknod("null", S_IFCHR | 0666, ::makedev(1, 3)) != 0) GTEST_SKIP() << "cannot make a device here";
        null_device = "null";
    }
    Result r = run({"-o", null_device, "--summary", null_device, "old.txt"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_TRUE(fs::is_character_file(null_device));
    EXPECT_EQ(others({"old.txt", "null"}), std::vector<std::string>{});
}

// /dev/fd/N, like /dev/stdout, names an open descriptor: the report goes to it, and a file the
// descriptor writes is continued, not replaced.
TEST_F(BadInput, OutputToAnOpenDescriptorWritesThroughIt) {
    write("old.txt", samples(6, 100));
    const Result text = run({"old.txt"});
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    Result r = run({"-o", "/dev/fd/" + std::to_string(fds[1]), "old.txt"});
    ::close(fds[1]);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(drain(fds[0]), text.out);
    write("log.txt", "earlier output\n");
    const int log = ::open("log.txt", O_WRONLY | O_APPEND);
    ASSERT_GE(log, 0);
    r = run({"-o", "/dev/fd/" + std::to_string(log), "old.txt"});
    ::close(log);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(read("log.txt"), "earlier output\n" + text.out);
    EXPECT_EQ(others({"old.txt", "log.txt"}), std::vector<std::string>{});
}

// An option given with an empty value is a mistake, not a request for the default.
TEST_F(BadInput, EmptyOptionValuesAreRejected) {
    write("old.txt", samples(6, 100));
    write("new.txt", samples(6, 120));
    const std::pair<std::string, std::string> cases[] = {
        {"--min-time", "--min-time must be a duration such as 100ns, 2us or 0.5ms, got \"\""},
        {"--alpha", "--alpha must be a number, got \"\""},
        {"--confidence", "--confidence must be a number, got \"\""},
        {"--equivalence", "--equivalence must be a percentage above 0 and below 100, such as 5%, got \"\""},
    };
    for (const auto& [option, message] : cases) {
        Result r = run({"--fail-on-regression", option, "", "old.txt", "new.txt"});
        EXPECT_EQ(r.code, 2) << option;
        EXPECT_EQ(r.err, "ksail-benchstat: error: " + message + "\nRun 'ksail-benchstat --help' for usage.\n");
        r = run({"--fail-on-regression", option + "=", "old.txt", "new.txt"});
        EXPECT_EQ(r.code, 2) << option << "=";
    }
}

// --alpha, --confidence and --equivalence read a whole decimal number, with an optional '+', no
// blanks around it and no hexadecimal (std::stod took leading blanks and hexadecimal before).
TEST_F(BadInput, LevelOptionsReadWholeDecimalNumbers) {
    write("old.txt", samples(6, 100));
    write("new.txt", samples(6, 120));
    for (const std::string option : {"--alpha", "--confidence"}) {
        for (const std::string value : {" 0.05", "0.05 ", "0x1p-4", "0.05x", "inf", "nan", "+-0.05"}) {
            const Result r = run({option, value, "old.txt", "new.txt"});
            EXPECT_EQ(r.code, 2) << option << " " << value;
            EXPECT_NE(r.err.find(option.substr(2) + " must be a number"), std::string::npos) << option << " " << value;
        }
        for (const std::string value : {"0.05", "+0.05", "5e-2", ".05"}) {
            const Result r = run({option, value, "old.txt", "new.txt"});
            EXPECT_EQ(r.code, 0) << option << " " << value << ": " << r.err;
        }
    }
    for (const std::string value : {" 5%", "5 %", "0x5", "5%%"}) {
        EXPECT_EQ(run({"--equivalence", value, "old.txt", "new.txt"}).code, 2) << value;
    }
    for (const std::string value : {"5%", "+2.5", "2.5e0%"}) {
        const Result r = run({"--equivalence", value, "old.txt", "new.txt"});
        EXPECT_EQ(r.code, 0) << value << ": " << r.err;
    }
}

// Determinism: the same inputs give the same bytes, whatever the run, the input order on disk,
// the colour environment or the global C++ locale; nothing machine-specific (absolute paths)
// reaches the output.
TEST_F(BadInput, OutputIsDeterministicByteForByte) {
    const std::string data = KSAIL_TESTDATA_DIR;
    for (const std::string format : {"text", "json", "markdown", "csv"}) {
        std::vector<std::string> args = {"--format", format, "--fail-on-regression", data + "/ksail/before.txt",
                                         data + "/ksail/after.txt"};
        Result first = run(args);
        ::setenv("NO_COLOR", "1", 1);
        std::locale saved = std::locale::global(std::locale("C.UTF-8"));
        Result second = run(args);
        std::locale::global(saved);
        ::unsetenv("NO_COLOR");
        EXPECT_EQ(first.code, second.code) << format;
        EXPECT_EQ(first.out, second.out) << format;
        EXPECT_EQ(first.err, second.err) << format;
        EXPECT_EQ(first.out.find(fs::current_path().string()), std::string::npos) << format;
    }
}

// Parsing, statistics and layout run on several threads for large inputs; KSAIL_THREADS forces the
// count for inputs of any size, so every format must come out the same with 1, 2 and 5 threads.
TEST_F(BadInput, OutputDoesNotDependOnTheThreadCount) {
    const std::string data = KSAIL_TESTDATA_DIR;
    for (const std::string format : {"text", "json", "markdown", "csv", "html"}) {
        std::vector<std::string> args = {"--format", format, "--fail-on-regression", data + "/ksail/before.txt",
                                         data + "/ksail/after.txt", data + "/ksail/edge/before.txt"};
        std::vector<Result> results;
        for (const char* threads : {"1", "2", "5"}) {
            ::setenv("KSAIL_THREADS", threads, 1);
            results.push_back(run(args));
        }
        ::unsetenv("KSAIL_THREADS");
        for (std::size_t i = 1; i < results.size(); ++i) {
            EXPECT_EQ(results[0].code, results[i].code) << format;
            EXPECT_EQ(results[0].out, results[i].out) << format;
            EXPECT_EQ(results[0].err, results[i].err) << format;
        }
        EXPECT_FALSE(results[0].out.empty()) << format;
    }
}

}  // namespace

TEST_F(BadInput, MinTimeIsReadLikeTheGateFilesMinTime) {
    write("old.txt", samples(10, 100));
    write("new.txt", samples(10, 300));
    // 2 µs is above both medians (about 0.1 and 0.3 µs), so the regression is under the floor.
    for (const std::string spelling : {"2000", "2us", "2 µs", "+2us", "0.002ms"}) {
        Result r = run({"--fail-on-regression", "--min-time", spelling, "old.txt", "new.txt"});
        EXPECT_EQ(r.code, 0) << spelling << ": " << r.err;
    }
    Result r = run({"--fail-on-regression", "--min-time", "1ns", "old.txt", "new.txt"});
    EXPECT_EQ(r.code, 1) << r.err;
    for (const std::string bad : {"0x10", "nan", "-1", "2 parsecs", "2KiB", ""}) {
        r = run({"--fail-on-regression", "--min-time", bad, "old.txt", "new.txt"});
        EXPECT_EQ(r.code, 2) << bad;
        EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
                  "ksail-benchstat: error: --min-time must be a duration such as 100ns, 2us or 0.5ms, got \"" + bad +
                      "\"");
    }
}
