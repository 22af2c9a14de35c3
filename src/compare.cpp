// Groups samples into tables (benchstat's default projection), summarises and compares them.
#include "ksail_benchstat/compare.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "ksail_benchstat/errors.hpp"

namespace ksail_benchstat {

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
    case Verdict::improved: return "improved";
    case Verdict::regressed: return "regressed";
    case Verdict::unchanged: return "unchanged";
    case Verdict::insufficient: return "insufficient";
    case Verdict::added: return "added";
    case Verdict::removed: return "removed";
    }
    return "unchanged";
}

std::string go_float(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    auto e = sci.find('e');
    int exponent = std::stoi(sci.substr(e + 1));
    // Go's %v switches to exponent form outside [1e-4, 1e21).
    if (exponent < -4 || exponent >= 21) {
        std::string mantissa = sci.substr(0, e);
        return fmt::format("{}e{}{:02d}", mantissa, exponent < 0 ? '-' : '+', std::abs(exponent));
    }
    res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    return std::string(buf, res.ptr);
}

namespace {

// First-observation order of distinct strings.
class ObservationOrder {
public:
    std::size_t observe(const std::string& value) {
        auto [it, inserted] = m_index.emplace(value, m_index.size());
        return it->second;
    }
    std::size_t index(const std::string& value) const { return m_index.at(value); }

private:
    std::unordered_map<std::string, std::size_t> m_index;
};

std::string display_name(const std::string& name, InputFormat format) {
    if (format != InputFormat::gbench_json && name.rfind("Benchmark", 0) == 0) return name.substr(9);
    return name;
}

std::string need_samples_for_ci(double confidence) {
    std::size_t n = min_samples_for_ci(confidence);
    if (n == 0) return fmt::format("need > 50 samples for confidence interval at level {}", go_float(confidence));
    return fmt::format("need >= {} samples for confidence interval at level {}", n, go_float(confidence));
}

// benchstat's smallest equal sample size that can reach alpha, searched up to 9.
std::string need_samples_for_alpha(double alpha, std::size_t& n_out) {
    for (std::size_t n = 1; n <= 9; ++n) {
        if (min_possible_p(n, n) <= alpha) {
            n_out = n;
            return fmt::format("need >= {} samples to detect a difference at alpha level {}", n, go_float(alpha));
        }
    }
    n_out = 10;
    return fmt::format("need > 9 samples to detect a difference at alpha level {}", go_float(alpha));
}

double geomean(const std::vector<double>& xs) {
    if (xs.empty()) return NAN;
    double m = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        if (xs[i] <= 0) return NAN;
        m += (std::log(xs[i]) - m) / static_cast<double>(i + 1);
    }
    return std::exp(m);
}

Cell make_cell(std::vector<double> values, const CompareOptions& options, bool assume_exact) {
    Cell cell;
    std::sort(values.begin(), values.end());
    cell.summary = summarize(values, options.confidence);
    if (assume_exact) {
        // Exact units: the summary is the most common value; any spread is a warning.
        cell.summary.lo = values.front();
        cell.summary.hi = values.back();
        if (values.front() != values.back()) {
            cell.warnings.push_back(fmt::format("exact distribution expected, but values range from {} to {}",
                                                go_float(values.front()), go_float(values.back())));
        }
    } else if (!cell.summary.lo || !cell.summary.hi) {
        cell.warnings.push_back(need_samples_for_ci(options.confidence));
    }
    cell.sorted = std::move(values);
    return cell;
}

Comparison make_comparison(const Cell& base, const Cell& cell, std::size_t base_input, std::size_t input,
                           Better better, const CompareOptions& options, bool assume_exact) {
    Comparison c;
    c.baseline = base_input;
    c.input = input;
    const double old_center = base.summary.center;
    const double new_center = cell.summary.center;
    const std::size_t n1 = base.sorted.size();
    const std::size_t n2 = cell.sorted.size();
    if (assume_exact) {
        c.test.p = 0;
        c.test.method = UTestMethod::exact;
        c.significant = true;
    } else {
        c.test = mann_whitney(base.sorted, cell.sorted);
        c.significant = c.test.p <= options.alpha;
        if (c.test.method == UTestMethod::all_equal) {
            c.warnings.push_back("all samples are equal");
        } else if (!c.significant) {
            std::size_t need = 0;
            std::string message = need_samples_for_alpha(options.alpha, need);
            if (n1 < need && n2 < need) c.warnings.push_back(message);
        }
        c.significance_impossible = min_possible_p(n1, n2) > options.alpha;
    }
    if (old_center != 0) c.delta_pct = (new_center / old_center - 1.0) * 100.0;
    // Beyond the range of a double (1e-9 s against 1e299 s) there is no honest percentage.
    if (c.delta_pct && !std::isfinite(*c.delta_pct)) c.delta_pct.reset();
    if (!c.significant) {
        c.delta_text = "~";
    } else if (old_center == new_center) {
        c.delta_text = "0.00%";
    } else if (!c.delta_pct) {
        c.delta_text = "?";
    } else {
        c.delta_text = fmt::format("{:+.2f}%", *c.delta_pct);
    }
    std::string p_text = c.test.p != 0 ? fmt::format("p={:.3f} ", c.test.p) : std::string();
    c.test_text = n1 == n2 ? fmt::format("{}n={}", p_text, n1) : fmt::format("{}n={}+{}", p_text, n1, n2);
    c.change = hodges_lehmann(base.sorted, cell.sorted, options.confidence);

    if (c.significance_impossible && !c.significant) {
        c.verdict = Verdict::insufficient;
    } else if (!c.significant) {
        c.verdict = Verdict::unchanged;
    } else {
        double direction = 0;
        if (new_center != old_center) {
            direction = new_center > old_center ? 1 : -1;
        } else if (c.change.estimate_pct) {
            direction = *c.change.estimate_pct > 0 ? 1 : (*c.change.estimate_pct < 0 ? -1 : 0);
        }
        if (direction == 0) {
            c.verdict = Verdict::unchanged;
        } else {
            bool worse = (direction > 0) == (better == Better::lower);
            c.verdict = worse ? Verdict::regressed : Verdict::improved;
        }
    }
    return c;
}

}  // namespace

Report compare(std::vector<InputFile> inputs, const CompareOptions& options) {
    Report report;
    report.options = options;

    // Configuration keys, and the observation order of every key's values, of units and of names.
    std::vector<std::string> keys;
    std::unordered_map<std::string, std::size_t> key_index;
    ObservationOrder unit_order;
    ObservationOrder name_order;
    std::map<std::string, UnitInfo> unit_info;

    for (const auto& input : inputs) {
        for (const auto& config : input.parsed.configs) {
            for (const auto& entry : config) {
                if (key_index.emplace(entry.first, keys.size()).second) {
                    keys.push_back(entry.first);
                }
            }
        }
        for (const auto& info : input.parsed.units) {
            auto [it, inserted] = unit_info.emplace(info.unit, info);
            if (!inserted && info.has_better && !it->second.has_better) {
                it->second.has_better = true;
                it->second.better = info.better;
            }
            if (info.assume_exact) it->second.assume_exact = true;
        }
    }

    // A table key is the tuple of configuration values plus the unit, compared by observation
    // order of each component (benchstat's ordering of tables).
    struct TableBuild {
        Config config;
        std::string unit;
        std::map<std::size_t, std::size_t> rows;  // name order -> row index
        std::vector<Row> rows_data;
    };
    // Keys that describe the machine or the run rather than the benchmark never split tables when
    // the inputs disagree on them: benchstat would silently make separate tables and compare
    // nothing, which is how a real gate once passed without looking. We compare and warn instead.
    // Every Google Benchmark context key is of that kind. Different platforms cannot be compared.
    {
        auto input_values = [&](std::size_t in, const std::string& key) {
            std::set<std::string> values;
            for (const auto& config : inputs[in].parsed.configs) {
                std::string_view v = config_value(config, key);
                if (!v.empty()) values.emplace(v);
            }
            return values;
        };
        auto join = [](const std::set<std::string>& values) {
            std::string out;
            for (const auto& v : values) {
                std::string_view t = v;
                while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
                if (!out.empty()) out += ", ";
                out += t;
            }
            return out;
        };
        std::vector<std::string> kept;
        for (const auto& key : keys) {
            bool soft = key == "cpu";
            for (const auto& input : inputs) {
                if (input.parsed.format == InputFormat::gbench_json) {
                    for (const auto& config : input.parsed.configs) {
                        if (!config_value(config, key).empty()) soft = true;
                    }
                }
            }
            const bool hard = key == "goos" || key == "goarch";
            if (!soft && !hard) {
                kept.push_back(key);
                continue;
            }
            std::vector<std::set<std::string>> per_input;
            for (std::size_t in = 0; in < inputs.size(); ++in) per_input.push_back(input_values(in, key));
            bool differ = false;
            for (std::size_t in = 1; in < inputs.size(); ++in) {
                if (!per_input[0].empty() && !per_input[in].empty() && per_input[in] != per_input[0]) differ = true;
            }
            if (!differ) {
                kept.push_back(key);
                continue;
            }
            std::string detail;
            for (std::size_t in = 0; in < inputs.size(); ++in) {
                if (per_input[in].empty()) continue;
                if (!detail.empty()) detail += "; ";
                detail += fmt::format("{}: {}", inputs[in].label, join(per_input[in]));
            }
            if (hard) {
                throw InputError(located(inputs.back().path, 0,
                                         fmt::format("the inputs were run on different platforms ({} differs: {}); "
                                                     "results from different platforms cannot be compared",
                                                     key, detail)));
            }
            static const std::set<std::string> k_machine_keys = {
                "cpu", "host", "num_cpus", "mhz_per_cpu", "caches", "library_build_type", "cpu_scaling_enabled"};
            if (k_machine_keys.count(key) != 0) {
                report.warnings.push_back(fmt::format(
                    "the inputs differ in {} ({}); they are compared anyway, but time differences may come from "
                    "the machines rather than the code",
                    key, detail));
            }
        }
        keys = std::move(kept);
    }

    // benchstat orders tables by their configuration values as strings (key by key, in the order
    // the keys were first seen), then by the unit's first observation.
    struct TableKey {
        std::vector<std::string> values;
        std::size_t unit;
        bool operator<(const TableKey& o) const {
            if (values != o.values) return values < o.values;
            return unit < o.unit;
        }
    };
    std::map<TableKey, TableBuild> tables;
    const std::size_t n_inputs = inputs.size();

    for (std::size_t in = 0; in < n_inputs; ++in) {
        const auto& parsed = inputs[in].parsed;
        std::vector<std::vector<std::string>> config_values(parsed.configs.size());
        std::vector<Config> config_full(parsed.configs.size());
        std::vector<bool> config_seen(parsed.configs.size(), false);
        for (const auto& series : parsed.series) {
            if (series.values.empty()) continue;
            const std::size_t ci = series.config;
            if (!config_seen[ci]) {
                config_seen[ci] = true;
                auto& values = config_values[ci];
                auto& full = config_full[ci];
                for (const auto& key : keys) {
                    std::string value(config_value(parsed.configs[ci], key));
                    values.push_back(value);
                    full.emplace_back(key, std::move(value));
                }
            }
            std::size_t u = unit_order.observe(series.unit);
            std::string display = display_name(series.name, parsed.format);
            std::size_t name_idx = name_order.observe(display);

            TableKey table_id{config_values[ci], u};
            auto [it, inserted] = tables.try_emplace(table_id);
            TableBuild& tb = it->second;
            if (inserted) {
                tb.config = config_full[ci];
                tb.unit = series.unit;
            }
            auto [rit, rinserted] = tb.rows.try_emplace(name_idx, tb.rows_data.size());
            if (rinserted) {
                Row row;
                row.name = series.name;
                row.display = display;
                row.cells.resize(n_inputs);
                row.comparisons.resize(n_inputs);
                tb.rows_data.push_back(std::move(row));
            }
            Row& row = tb.rows_data[rit->second];
            auto info_it = unit_info.find(series.unit);
            bool exact = info_it != unit_info.end() && info_it->second.assume_exact;
            if (row.cells[in]) {
                // The same benchmark twice under one configuration in one input (e.g. two runs
                // appended to one file): its samples pool.
                std::vector<double> values = row.cells[in]->sorted;
                values.insert(values.end(), series.values.begin(), series.values.end());
                row.cells[in] = make_cell(std::move(values), options, exact);
            } else {
                row.cells[in] = make_cell(series.values, options, exact);
            }
        }
    }

    for (auto& [id, tb] : tables) {
        Table table;
        table.config = std::move(tb.config);
        table.unit = tb.unit;
        auto info_it = unit_info.find(tb.unit);
        table.better = (info_it != unit_info.end() && info_it->second.has_better) ? info_it->second.better
                                                                                   : default_better(tb.unit);
        bool exact = info_it != unit_info.end() && info_it->second.assume_exact;
        table.unit_class = unit_class(tb.unit);
        // Rows in global observation order of their names.
        for (auto& [name_idx, row_idx] : tb.rows) table.rows.push_back(std::move(tb.rows_data[row_idx]));
        for (std::size_t in = 0; in < n_inputs; ++in) {
            for (const auto& row : table.rows) {
                if (row.cells[in]) {
                    table.columns.push_back(in);
                    break;
                }
            }
        }
        const std::size_t base = table.columns.front();
        for (auto& row : table.rows) {
            if (!row.cells[base]) continue;
            for (std::size_t ci = 1; ci < table.columns.size(); ++ci) {
                std::size_t in = table.columns[ci];
                if (!row.cells[in]) continue;
                row.comparisons[in] =
                    make_comparison(*row.cells[base], *row.cells[in], base, in, table.better, options, exact);
            }
        }
        std::size_t n_base = 0;
        for (const auto& row : table.rows) {
            if (row.cells[base]) ++n_base;
        }
        for (std::size_t ci = 0; ci < table.columns.size(); ++ci) {
            std::size_t in = table.columns[ci];
            ColumnSummary s;
            s.has_ratio_cell = ci > 0;
            std::vector<double> centers;
            std::vector<double> ratios;
            bool bad_ratio = false;
            for (const auto& row : table.rows) {
                if (!row.cells[in]) continue;
                centers.push_back(row.cells[in]->summary.center);
                if (ci > 0 && row.cells[base]) {
                    double a = row.cells[in]->summary.center;
                    double b = row.cells[base]->summary.center;
                    if (a == b) {
                        ratios.push_back(1);
                    } else if (b == 0) {
                        bad_ratio = true;
                        ratios.push_back(0);
                    } else {
                        ratios.push_back(a / b);
                    }
                }
            }
            if (ci > 0 && n_base != ratios.size()) {
                s.warnings.push_back("benchmark set differs from baseline; geomeans may not be comparable");
            }
            double gm = geomean(centers);
            if (std::isnan(gm)) {
                s.warnings.push_back("summaries must be >0 to compute geomean");
            } else {
                s.geomean = gm;
            }
            if (ci > 0 && !bad_ratio) {
                double gr = geomean(ratios);
                if (std::isnan(gr)) {
                    s.warnings.push_back("ratios must be >0 to compute geomean");
                } else {
                    s.ratio = gr;
                }
            }
            table.summaries.push_back(std::move(s));
        }
        report.tables.push_back(std::move(table));
    }

    {
        bool any_gbench = false;
        bool any_go = false;
        for (const auto& input : inputs) {
            (input.parsed.format == InputFormat::gbench_json ? any_gbench : any_go) = true;
        }
        if (any_gbench && any_go) {
            report.warnings.push_back(
                "the inputs come from different tools (Google Benchmark and Go); only benchmarks with the same "
                "name and unit are compared");
        }
    }
    for (const auto& input : inputs) {
        for (const auto& d : input.parsed.warnings) {
            report.warnings.push_back(d.line ? fmt::format("{}:{}: {}", d.file, d.line, d.message)
                                             : fmt::format("{}: {}", d.file, d.message));
        }
    }
    report.inputs = std::move(inputs);
    return report;
}

}  // namespace ksail_benchstat
