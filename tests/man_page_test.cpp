// Tests that the manual page and the zsh completion stay in sync with --help: every long option
// and every output format the program offers is documented and completed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "ksail_benchstat/cli.hpp"

namespace ksail_benchstat {
namespace {

std::string slurp(const std::string& relative_to_root) {
    std::ifstream in(std::string(KSAIL_TESTDATA_DIR) + "/../" + relative_to_root, std::ios::binary);
    EXPECT_TRUE(in) << relative_to_root;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string help_text() {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(run({"--help"}, out, err), 0) << err.str();
    return out.str();
}

std::set<std::string> long_options(const std::string& help) {
    std::set<std::string> names;
    const std::regex option("--[a-z][a-z0-9-]*");
    for (auto it = std::sregex_iterator(help.begin(), help.end(), option); it != std::sregex_iterator(); ++it) {
        names.insert(it->str());
    }
    return names;
}

// The man page as plain text for searching: roff writes a hyphen as "\-" and fonts as "\fB".."\fR".
std::string man_text() {
    std::string page = slurp("docs/ksail-benchstat.1");
    page = std::regex_replace(page, std::regex(R"(\\f[BIRP])"), "");
    page = std::regex_replace(page, std::regex(R"(\\-)"), "-");
    return page;
}

// The formats --help lists, in its order: "Output format: text, markdown, csv, json, html (default ...".
std::vector<std::string> formats(const std::string& help) {
    std::smatch m;
    // CLI11 may wrap the description; collapse whitespace first.
    const std::string flat = std::regex_replace(help, std::regex(R"(\s+)"), " ");
    EXPECT_TRUE(std::regex_search(flat, m, std::regex(R"(Output format: ([a-z, ]+))"))) << help;
    std::vector<std::string> out;
    const std::string list = m[1].str();
    const std::regex word("[a-z]+");
    for (auto it = std::sregex_iterator(list.begin(), list.end(), word); it != std::sregex_iterator(); ++it) {
        out.push_back(it->str());
    }
    return out;
}

TEST(ManPage, DocumentsEveryLongOptionOfHelp) {
    const std::set<std::string> options = long_options(help_text());
    ASSERT_GT(options.size(), 10u);
    const std::string page = man_text();
    for (const auto& option : options) {
        // As an option of its own: followed by a space, a comma or the end of a font run, not a longer name.
        EXPECT_TRUE(std::regex_search(page, std::regex("(^|[^a-z-])" + option + "([^a-z-]|$)")))
            << option << " is in --help but not in docs/ksail-benchstat.1";
    }
}

TEST(ManPage, DocumentsEveryFormat) {
    const std::vector<std::string> listed = formats(help_text());
    EXPECT_EQ(listed.front(), "text");
    EXPECT_EQ(std::count(listed.begin(), listed.end(), "html"), 1);
    const std::string page = man_text();
    const std::size_t start = page.find(".BI --format");
    ASSERT_NE(start, std::string::npos);
    const std::string entry = page.substr(start, page.find(".TP", start) - start);
    for (const auto& format : listed) EXPECT_NE(entry.find(format), std::string::npos) << format;
}

TEST(ManPage, NamesTheCurrentVersion) {
    EXPECT_NE(slurp("docs/ksail-benchstat.1").find("\"ksail-benchstat " KSAIL_BENCHSTAT_VERSION "\""), std::string::npos);
}

TEST(ManPage, GroffFormatsItWithoutWarnings) {
    // -ww turns on every warning, -z discards the output: only diagnostics are printed.
    const std::string cmd = "groff -man -Tutf8 -ww -z '" + std::string(KSAIL_TESTDATA_DIR) + "/../docs/ksail-benchstat.1' 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string diagnostics;
    char buf[512];
    for (std::size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) diagnostics.append(buf, n);
    const int status = pclose(pipe);
    EXPECT_EQ(status, 0) << "groff is required by this test: apt-get install groff-base\n" << diagnostics;
    EXPECT_EQ(diagnostics, "");
}

TEST(ZshCompletion, CompletesEveryLongOptionAndFormat) {
    const std::string help = help_text();
    const std::string zsh = slurp("completions/_ksail-benchstat");
    for (const auto& option : long_options(help)) {
        EXPECT_TRUE(std::regex_search(zsh, std::regex("[',*)]" + option + "[=\\['}]")))
            << option << " is in --help but not in completions/_ksail-benchstat";
    }
    std::string words;
    for (const auto& format : formats(help)) words += (words.empty() ? "" : ".*") + format;
    // The --format spec lists the formats in --help's order.
    EXPECT_TRUE(std::regex_search(zsh, std::regex("--format=.*:format:\\(" + words + "\\)"))) << words;
}

}  // namespace
}  // namespace ksail_benchstat
