// Renderers: each turns the one report model into a string in one output format.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "ksail_benchstat/compare.hpp"

namespace ksail_benchstat {

// Where a renderer's output goes, piece by piece and in order: into a string, or onto a stream
// as it is made, so that a large report's output (hundreds of megabytes of JSON) never has to
// exist whole in memory.
class TextSink {
public:
    virtual ~TextSink() = default;
    virtual void write(std::string_view text) = 0;
    // About `bytes` more will follow: a string makes room for them once; a stream has no use for it.
    virtual void expect(std::size_t bytes) { (void)bytes; }
};

class StringSink final : public TextSink {
public:
    explicit StringSink(std::string& out) : m_out(out) {}
    void write(std::string_view text) override { m_out += text; }
    void expect(std::size_t bytes) override;

private:
    std::string& m_out;
};

class StreamSink final : public TextSink {
public:
    explicit StreamSink(std::ostream& out) : m_out(out) {}
    void write(std::string_view text) override { m_out.write(text.data(), static_cast<std::streamsize>(text.size())); }

private:
    std::ostream& m_out;
};

struct RenderOptions {
    bool color = false;  // ANSI colour in text output
    // Footnote every ~ row with its three-way verdict and what it could have detected, and add the
    // suite's smallest possible p-value when it exceeds alpha (--equivalence or --fail-on-inconclusive).
    bool detectability = false;
    // A table of more rows than this is laid out and written this many rows at a time, to keep its
    // memory small (render_text only; the output is the same). Tests lower it.
    std::size_t rows_per_piece = 8192;
};

// benchstat-compatible aligned text tables with footnoted warnings.
std::string render_text(const Report& report, const RenderOptions& options = {});
void render_text(const Report& report, const RenderOptions& options, TextSink& sink);

// The beginning of render_text's output: whole tables until at least `min_bytes` bytes, or all of
// it when it is shorter. Lays out only the tables it prints.
std::string render_text_prefix(const Report& report, std::size_t min_bytes, const RenderOptions& options = {});

// What render_text's output would hold, without laying the tables out: its number of lines and its
// longest run of backticks (which a markdown code fence must exceed).
struct TextShape {
    std::size_t lines = 0;
    std::size_t longest_backticks = 0;
};
TextShape text_shape(const Report& report, const RenderOptions& options = {});

// The versioned JSON report described in docs/output-formats.md (schema_version 1).
std::string render_json(const Report& report);
void render_json(const Report& report, TextSink& sink);
// A number as the JSON report writes it: nlohmann's dump() format, "null" when not finite.
std::string json_double(double d);
// A string as the JSON report writes it: quoted, escaped as nlohmann's dump() escapes it.
std::string json_string(std::string_view s);

struct MarkdownOptions {
    // Upper bound on the output size in bytes; GitHub rejects comments and job summaries larger than
    // 65,536 characters, and bytes >= characters, so a byte cap is always safe.
    std::size_t max_chars = 65536;
};

// A GitHub-flavoured markdown report for pull-request comments and job summaries: a hidden
// marker, a one-line verdict, sections by gate status and verdict, and the text table collapsed.
// Never longer than options.max_chars bytes: the least important sections are shortened or left
// out first, and the output says what was left out.
std::string render_markdown(const Report& report, const MarkdownOptions& options = {});

// RFC 4180 CSV with LF line ends: a header row, then one row per (benchmark, unit, input) with raw
// numbers in base units and, for compared inputs, the comparison and gate columns.
std::string render_csv(const Report& report);
void render_csv(const Report& report, TextSink& sink);

// One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): the markdown
// report's headline and tables, and for every significantly changed row a plot of each input's
// samples with the median and its confidence interval. Every name is escaped.
std::string render_html(const Report& report);

}  // namespace ksail_benchstat
