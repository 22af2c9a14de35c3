// Tests of GbenchJsonParser, the Google Benchmark reader fed in blocks: for any way of cutting a
// document into blocks it must give what parse_gbench_json gives for the whole text, results,
// warnings and errors alike, also where its fast reader gives up and nlohmann's parser takes over
// part way through.
#include "ksail_benchstat/parse_gbench_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "ksail_benchstat/detect.hpp"
#include "ksail_benchstat/errors.hpp"

#include "test_support.hpp"

namespace ksail_benchstat {
namespace {

using testing_support::read_testdata;

// Everything a parse gave, or the error it threw, as text to compare.
std::string describe(const ParsedInput& parsed) {
    std::string out = fmt::format("format {} aggregates_only {}\n", static_cast<int>(parsed.format),
                                  parsed.aggregates_only);
    for (const Config& config : parsed.configs) {
        out += "config\n";
        for (const auto& [key, value] : config) out += fmt::format("  {}={}\n", key, value);
    }
    for (const Series& series : parsed.series) {
        out += fmt::format("series {} {} {} line {}:", series.config, series.name, series.unit, series.line);
        for (double value : series.values) out += fmt::format(" {}", value);
        out += '\n';
    }
    for (const UnitInfo& unit : parsed.units) {
        out += fmt::format("unit {} {} {} {}\n", unit.unit, unit.has_better, static_cast<int>(unit.better),
                           unit.assume_exact);
    }
    for (const Diagnostic& warning : parsed.warnings) {
        out += fmt::format("warning {}:{}: {}\n", warning.file, warning.line, warning.message);
    }
    return out;
}

std::string whole(std::string_view text) {
    try {
        return describe(parse_gbench_json(text, "in.json"));
    } catch (const InputError& error) {
        return std::string("error ") + error.what();
    }
}

// `text` fed in blocks of `block` bytes.
std::string in_blocks(std::string_view text, std::size_t block) {
    try {
        GbenchJsonParser parser("in.json");
        for (std::size_t at = 0; at < text.size(); at += block) parser.add(text.substr(at, block));
        return describe(parser.finish());
    } catch (const InputError& error) {
        return std::string("error ") + error.what();
    }
}

// Every block size from 1 to 64 bytes, and one block.
void expect_same_in_blocks(std::string_view text, const std::string& what) {
    const std::string expected = whole(text);
    for (std::size_t block = 1; block <= 64; ++block) {
        ASSERT_EQ(in_blocks(text, block), expected) << what << ", blocks of " << block;
    }
    ASSERT_EQ(in_blocks(text, text.size() + 1), expected) << what << ", one block";
}

const char* const k_document = R"({
  "context": {
    "date": "2024-01-01T00:00:00+00:00",
    "host_name": "box",
    "num_cpus": 8,
    "mhz_per_cpu": 3000,
    "cpu_scaling_enabled": false,
    "caches": [
      {"type": "Data", "level": 1, "size": 32768, "num_sharing": 2}
    ],
    "load_avg": [1.5, 1.2, 0.9],
    "library_build_type": "release"
  },
  "benchmarks": [
    {
      "name": "BM_A/8",
      "run_name": "BM_A/8",
      "run_type": "iteration",
      "repetitions": 2,
      "iterations": 1000,
      "real_time": 1.5e3,
      "cpu_time": 1499,
      "time_unit": "ns",
      "items_per_second": 6.6e5,
      "label": "caf\u00e9 \"x\""
    },
    {
      "name": "BM_A/8",
      "run_name": "BM_A/8",
      "run_type": "iteration",
      "real_time": 1510,
      "cpu_time": 1508,
      "time_unit": "ns",
      "items_per_second": 6.5e5
    },
    {
      "name": "BM_B",
      "run_type": "iteration",
      "error_occurred": true,
      "error_message": "boom",
      "real_time": 0,
      "cpu_time": 0,
      "time_unit": "us"
    },
    {"name": "BM_C", "real_time": 2, "cpu_time": 2, "time_unit": "ms", "nested": {"a": [1, {"b": null}]}}
  ]
}
)";

// Google Benchmark's bare NaN and Infinity in every place a value stands, and a value after
// them that the fast reader leaves to nlohmann (1e-400 is valid but below double's range), so
// that nlohmann takes over at a literal.
const char* const k_non_finite_document = R"({
  "context": {
    "mhz_per_cpu": NaN,
    "load_avg": [NaN, -Infinity, 1e-400],
    "caches": [{"type": "Data", "level": 1, "size": Infinity, "num_sharing": NaN}]
  },
  "benchmarks": [
    {
      "name": "BM_A",
      "run_type": "iteration",
      "real_time": NaN,
      "cpu_time": 2,
      "ns_per_node": Infinity,
      "nodes": [Infinity],
      "ns_per_node": -Infinity
    },
    {"name": "BM_A", "real_time": 1,
     "cpu_time": Infinity
    , "x": NaN}
  ]
}
)";

TEST(GbenchJsonStream, SameAsWholeTextForEveryBlockSize) {
    expect_same_in_blocks(k_document, "document");
    expect_same_in_blocks(k_non_finite_document, "non-finite document");
}

TEST(GbenchJsonStream, TestdataFilesInBlocks) {
    const std::filesystem::path root(KSAIL_TESTDATA_DIR);
    std::size_t files = 0;
    for (const char* dir : {"gbench", "bad", "fuzz/gbench_json", "golden", "reference"}) {
        if (!std::filesystem::exists(root / dir)) continue;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root / dir)) {
            if (!entry.is_regular_file() || entry.file_size() > 200000) continue;
            const std::string relative = std::filesystem::relative(entry.path(), root).string();
            const std::string text = read_testdata(relative);
            // A few block sizes per file keep this quick; the inline documents try them all.
            const std::string expected = whole(text);
            for (std::size_t block : {1, 2, 3, 7, 64, 4096}) {
                ASSERT_EQ(in_blocks(text, block), expected) << relative << ", blocks of " << block;
            }
            ++files;
        }
    }
    EXPECT_GT(files, 100U);
}

// Every truncation of the document: nlohmann's parser takes over at the end of the input, in
// every state the fast reader can be in, and must word the same error at the same line.
TEST(GbenchJsonStream, TruncatedAnywhere) {
    for (const std::string_view text : {k_document, k_non_finite_document}) {
        for (std::size_t size = 0; size < text.size(); ++size) {
            const std::string_view cut = text.substr(0, size);
            const std::string expected = whole(cut);
            for (std::size_t block : {1, 5, 64}) {
                ASSERT_EQ(in_blocks(cut, block), expected) << "cut at " << size << ", blocks of " << block;
            }
        }
    }
}

// One byte changed, inserted or removed anywhere: syntax errors in every context, and
// documents the fast reader leaves to nlohmann although they are valid.
TEST(GbenchJsonStream, OneByteMutations) {
    const std::string replacements = "{}[]\",:x0-.e\\\n \x80\xff";
    for (const auto& [text, mutations] : {std::pair{std::string(k_document), 600},
                                          std::pair{std::string(k_non_finite_document), 300}}) {
        std::uint32_t seed = 12345;
        auto next = [&seed] { return seed = seed * 1103515245U + 12345U, seed >> 8; };
        for (int i = 0; i < mutations; ++i) {
            std::string mutated = text;
            const std::size_t at = next() % mutated.size();
            const char c = replacements[next() % replacements.size()];
            switch (next() % 3) {
            case 0: mutated[at] = c; break;
            case 1: mutated.insert(mutated.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            default: mutated.erase(at, 1); break;
            }
            const std::string expected = whole(mutated);
            for (std::size_t block : {1, 3, 16, 64}) {
                ASSERT_EQ(in_blocks(mutated, block), expected) << "mutation " << i << ", blocks of " << block;
            }
        }
    }
}

TEST(GbenchJsonStream, ValidDocumentsTheFastReaderLeavesToNlohmann) {
    // A number out of range, literals with no string or number before them, a huge string.
    const std::string big(100000, 'x');
    for (const std::string& text : std::vector<std::string>{
             "{\"benchmarks\": [{\"name\": \"BM_A\", \"real_time\": 1e999, \"cpu_time\": 1}]}",
             "{\n\"benchmarks\"\n:\n[\n{\n\"name\"\n:\n\"BM_A\"\n,\n\"real_time\"\n:\n1\n,\"x\":\n1E400\n}\n]\n}\n",
             "{\"a\": [true, false, null, [[]], {}, {\"b\": [null]}],\n \"benchmarks\": [{\"name\": \"BM\", \"x\": 1e9999}]}",
             "{\"context\": {\"s\": \"" + big + "\"},\n\"benchmarks\": [\n{\"name\": \"BM\", \"real_time\": 2}\n]}\n",
             "{\"benchmarks\": [{\"name\": \"BM\", \"real_time\": 2}]}\n}",
             "{\"benchmarks\": [{\"name\": \"BM\", \"real_time\": 2}]}\n{}",
             "\r\n{\"benchmarks\": [{\"name\": \"BM\", \"real_time\": 2,\r\n \"cpu_time\": 3}]}\r\n",
         }) {
        expect_same_in_blocks(text, text.substr(0, 60));
    }
}

// parse_input_stream streams a large Google Benchmark file in blocks, and must give what
// parse_input gives for the whole text.
std::string through_input(std::string_view text, bool stream) {
    try {
        if (!stream) return describe(parse_input(text, "in.json"));
        std::size_t at = 0;
        return describe(parse_input_stream(
            [&](char* buffer, std::size_t size) {
                const std::size_t n = std::min(size, text.size() - at);
                std::copy_n(text.data() + at, n, buffer);
                at += n;
                return n;
            },
            "in.json"));
    } catch (const InputError& error) {
        return std::string("error ") + error.what();
    }
}

TEST(GbenchJsonStream, LargeInputsThroughParseInputStream) {
    const std::string big(std::size_t{1} << 20, 'x');
    const std::string big_space(std::size_t{1} << 20, ' ');
    const std::string benchmarks = std::string(k_document).substr(std::string_view(k_document).find("  \"benchmarks\""));
    for (const std::string& text : std::vector<std::string>{
             // Streamed: the first line ends in the first block.
             "{\n  \"context\": {\"s\": \"" + big + "\"},\n" + benchmarks,
             "\xEF\xBB\xBF{\n  \"context\": {\"s\": \"" + big + "\"},\n" + benchmarks,
             "{\n  \"context\": {\"s\": \"" + big + "\"},\n" + benchmarks.substr(0, 300),
             // The first line goes past the first block; its first key decides the format.
             "{\"s\": \"" + big + "\", \"Action\": \"output\"}\n",
             "{\"s\": \"" + big + "\",\n" + benchmarks,
             // The first key lies beyond the first block: the whole text decides.
             "{" + big_space + "\"Action\":\"output\",\"Package\":\"p\",\"Output\":\"BenchmarkA 1 5 ns/op\\n\"}\n",
             "{" + big_space + "\"benchmarks\": [{\"name\": \"BM_A\", \"real_time\": 5}]}\n",
             "// generated\n" + std::string(std::size_t{1} << 20, '/') + "\n{" + benchmarks,
         }) {
        EXPECT_EQ(through_input(text, true), through_input(text, false)) << text.substr(0, 40);
    }
}

}  // namespace
}  // namespace ksail_benchstat
