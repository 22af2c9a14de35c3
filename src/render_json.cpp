// JSON renderer: the versioned machine-readable report (schema in docs/output-formats.md).
// Written directly into the output, row by row (rows in parallel), in exactly the layout of
// nlohmann's dump(2): a 100 MB input makes a report of hundreds of thousands of rows, and a
// document tree of it took gigabytes.
#include <cmath>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ksail_benchstat/parallel.hpp"
#include "ksail_benchstat/render.hpp"

namespace ksail_benchstat {
namespace {

// Appends JSON with two-space indentation: objects and arrays open with a newline, elements are
// separated by ",\n", and empty containers print as {} and [].
class JsonWriter {
public:
    JsonWriter(std::string& out, std::size_t depth) : m_out(out), m_depth(depth) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }

    // The next value is the member `name` of the current object.
    JsonWriter& key(std::string_view name) {
        element();
        write_string(name);
        m_out += ": ";
        m_after_key = true;
        return *this;
    }

    void value(std::string_view s) {
        element();
        write_string(s);
    }
    void value(const char* s) { value(std::string_view(s)); }
    void value(const std::string& s) { value(std::string_view(s)); }
    void value(bool b) {
        element();
        m_out += b ? "true" : "false";
    }
    void value(std::size_t n) {
        element();
        fmt::format_to(std::back_inserter(m_out), "{}", n);
    }
    void value(int n) {
        element();
        fmt::format_to(std::back_inserter(m_out), "{}", n);
    }
    void value(double d) {
        element();
        if (!std::isfinite(d)) {
            m_out += "null";
            return;
        }
        // nlohmann's own shortest round-trip formatting, so the bytes match its dump().
        char buffer[64];
        char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, d);
        m_out.append(buffer, end);
    }
    void value(const std::optional<double>& d) {
        if (d) {
            value(*d);
        } else {
            null();
        }
    }
    // A value already written in this layout at this depth, appended by `write(out)`.
    template <typename Write>
    void raw(Write&& write) {
        element();
        write(m_out);
    }
    void null() {
        element();
        m_out += "null";
    }
    void value(const std::vector<std::string>& strings) {
        begin_array();
        for (const auto& s : strings) value(s);
        end_array();
    }

private:
    struct Level {
        std::size_t count = 0;
    };

    void element() {
        if (m_after_key) {
            m_after_key = false;
            return;
        }
        if (m_levels.empty()) return;
        m_out += m_levels.back().count++ == 0 ? "\n" : ",\n";
        indent(m_depth + m_levels.size());
    }
    void open(char bracket) {
        element();
        m_out += bracket;
        m_levels.push_back({});
    }
    void close(char bracket) {
        const bool empty = m_levels.back().count == 0;
        m_levels.pop_back();
        if (!empty) {
            m_out += '\n';
            indent(m_depth + m_levels.size());
        }
        m_out += bracket;
    }
    void indent(std::size_t depth) { m_out.append(2 * depth, ' '); }

    void write_string(std::string_view s) {
        bool plain = true;
        for (const char c : s) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            m_out += '"';
            m_out.append(s);
            m_out += '"';
        } else {
            // Escapes and UTF-8 checks exactly as the rest of the document's library does.
            m_out += nlohmann::json(std::string(s)).dump();
        }
    }

    std::string& m_out;
    std::size_t m_depth;
    std::vector<Level> m_levels;
    bool m_after_key = false;
};

using StatusMap = std::map<std::tuple<std::size_t, std::size_t, std::size_t>, GateStatus>;

void write_row(JsonWriter& w, const Report& report, std::size_t ti, std::size_t ri, const StatusMap& status_of) {
    const Table& table = report.tables[ti];
    const Row& row = table.rows[ri];
    // Cells are indexed by column: by default the inputs, with --col the projected columns.
    const std::size_t n_inputs = report.columns.size();
    const std::size_t base = baseline_column(report, table);
    const std::string_view pkg = config_value(table.config, "pkg");
    w.begin_object();
    w.key("benchmark").value(row.name);
    if (pkg.empty()) {
        w.key("package").null();
    } else {
        w.key("package").value(pkg);
    }
    w.key("unit").value(table.unit);
    w.key("better").value(table.better == Better::lower ? "lower" : "higher");
    w.key("config").begin_object();
    for (const auto& [k, v] : table.config) {
        if (!v.empty()) w.key(k).value(v);
    }
    w.end_object();
    w.key("summaries").begin_array();
    for (std::size_t in = 0; in < n_inputs; ++in) {
        if (!row.cells[in]) continue;
        const Cell& c = *row.cells[in];
        w.begin_object();
        w.key("input").value(in);
        w.key("n").value(c.summary.n);
        w.key("center").value(c.summary.center);
        w.key("ci_low").value(c.summary.lo);
        w.key("ci_high").value(c.summary.hi);
        w.key("warnings").value(c.warnings);
        w.end_object();
    }
    w.end_array();
    w.key("comparisons").begin_array();
    for (std::size_t in = base + 1; in < n_inputs; ++in) {
        const bool has_base = row.cells[base].has_value();
        const bool has_new = row.cells[in].has_value();
        if (!has_base && !has_new) continue;
        w.begin_object();
        w.key("input").value(in);
        w.key("baseline").value(base);
        if (has_base && has_new && row.comparisons[in]) {
            const Comparison& cmp = *row.comparisons[in];
            w.key("delta_pct").value(cmp.delta_pct);
            w.key("p_value").value(cmp.test.p);
            w.key("significant").value(cmp.significant);
            w.key("verdict").value(verdict_name(cmp.verdict));
            w.key("change_pct").value(cmp.change.estimate_pct);
            w.key("change_low_pct").value(cmp.change.low_pct);
            w.key("change_high_pct").value(cmp.change.high_pct);
            w.key("change_exact").value(cmp.change.exact);
            w.key("delta_text").value(cmp.delta_text);
            w.key("test_text").value(cmp.test_text);
            w.key("warnings").value(cmp.warnings);
            w.key("equivalence").value(equivalence_name(cmp.equivalence));
            w.key("mde_pct").value(cmp.detect.mde_pct);
            if (cmp.detect.samples_needed > 0) {
                w.key("samples_needed").value(cmp.detect.samples_needed);
            } else {
                w.key("samples_needed").null();
            }
            const auto st = status_of.find({ti, ri, in});
            if (st == status_of.end()) {
                w.key("gate").null();
            } else {
                w.key("gate").value(gate_status_name(st->second));
            }
        } else {
            w.key("delta_pct").null();
            w.key("p_value").null();
            w.key("significant").value(false);
            w.key("verdict").value(has_new ? "added" : "removed");
            w.key("change_pct").null();
            w.key("change_low_pct").null();
            w.key("change_high_pct").null();
            w.key("equivalence").null();
            w.key("mde_pct").null();
            w.key("samples_needed").null();
        }
        w.end_object();
    }
    w.end_array();
    w.end_object();
}

}  // namespace

std::string render_json(const Report& report) {
    // Gate status per (table, row, input), for the rows' comparisons.
    StatusMap status_of;
    for (const auto& f : report.gate.findings) {
        if (f.status != GateStatus::goal_met && f.status != GateStatus::goal_unmet) {
            status_of[{f.table, f.row, f.input}] = f.status;
        }
    }
    // Rows are independent: each chunk of rows is written on its own core, then joined in order.
    std::vector<std::pair<std::size_t, std::size_t>> rows;
    for (std::size_t ti = 0; ti < report.tables.size(); ++ti) {
        for (std::size_t ri = 0; ri < report.tables[ti].rows.size(); ++ri) rows.emplace_back(ti, ri);
    }
    constexpr std::size_t k_chunk = 512;
    std::vector<std::string> chunks((rows.size() + k_chunk - 1) / k_chunk);
    parallel_for(chunks.size(), 4, 1, [&](std::size_t c) {
        std::string& text = chunks[c];
        for (std::size_t i = c * k_chunk; i < std::min(rows.size(), (c + 1) * k_chunk); ++i) {
            if (i != c * k_chunk) text += ",\n";
            text += "    ";
            JsonWriter w(text, 2);
            write_row(w, report, rows[i].first, rows[i].second, status_of);
        }
    });

    std::string out;
    JsonWriter w(out, 0);
    w.begin_object();
    w.key("schema_version").value(1);
    w.key("tool").value("ksail-benchstat");
    w.key("version").value(KSAIL_BENCHSTAT_VERSION);
    w.key("alpha").value(report.options.alpha);
    w.key("confidence").value(report.options.confidence);
    w.key("equivalence_pct").value(report.options.equivalence_pct);
    w.key("center").value(center_name(report.options.center));
    w.key("inputs").begin_array();
    for (const auto& in : report.inputs) {
        w.begin_object();
        w.key("label").value(in.label);
        w.key("path").value(in.path);
        w.key("format").value(format_name(in.parsed.format));
        w.end_object();
    }
    w.end_array();
    // With --col, cells are indexed by projected columns rather than inputs: list them.
    if (!report.columns_are_inputs) {
        w.key("column_keys").value(report.column_keys);
        w.key("columns").begin_array();
        for (const auto& column : report.columns) {
            w.begin_object();
            w.key("label").value(column.label);
            w.key("values").value(column.values);
            w.end_object();
        }
        w.end_array();
    }
    if (rows.empty()) {
        w.key("rows").begin_array();
        w.end_array();
    } else {
        w.key("rows").raw([&](std::string& text) {
            text += "[\n";
            for (std::size_t c = 0; c < chunks.size(); ++c) {
                if (c != 0) text += ",\n";
                text += chunks[c];
                std::string().swap(chunks[c]);
            }
            text += "\n  ]";
        });
    }
    const GateResult& gate = report.gate;
    w.key("gate").begin_object();
    w.key("enabled").value(gate.enabled);
    w.key("passed").value(gate.passed);
    w.key("rule").value(gate.rule_text);
    w.key("failures").begin_array();
    for (const auto& f : gate.findings) {
        if (f.status != GateStatus::failed && f.status != GateStatus::goal_unmet &&
            f.status != GateStatus::inconclusive) {
            continue;
        }
        w.begin_object();
        w.key("benchmark").value(f.benchmark);
        w.key("unit").value(f.unit);
        w.key("reason").value(f.reason);
        w.end_object();
    }
    w.end_array();
    w.key("findings").begin_array();
    for (const auto& f : gate.findings) {
        w.begin_object();
        w.key("benchmark").value(f.benchmark);
        if (f.package.empty()) {
            w.key("package").null();
        } else {
            w.key("package").value(f.package);
        }
        w.key("unit").value(f.unit);
        w.key("input").value(f.input);
        w.key("status").value(gate_status_name(f.status));
        w.key("reason").value(f.reason);
        if (f.samples_needed > 0) w.key("samples_needed").value(f.samples_needed);
        w.end_object();
    }
    w.end_array();
    w.key("notes").value(gate.notes);
    w.end_object();
    const SuiteDetectability& d = report.detectability;
    w.key("detectability").begin_object();
    w.key("compared").value(d.compared);
    if (d.compared > 0) {
        w.key("min_possible_p").value(d.min_possible_p);
    } else {
        w.key("min_possible_p").null();
    }
    w.key("n_baseline").value(d.n1);
    w.key("n_compared").value(d.n2);
    w.key("unreachable").value(d.unreachable);
    if (d.warning.empty()) {
        w.key("warning").null();
    } else {
        w.key("warning").value(d.warning);
    }
    w.end_object();
    w.key("warnings").value(report.warnings);
    w.end_object();
    out += '\n';
    return out;
}

}  // namespace ksail_benchstat
