// The gate configuration file: a JSON document of defaults and per-benchmark / per-unit rules.
#include "ksail_benchstat/gate_config.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ksail_benchstat/errors.hpp"
#include "ksail_benchstat/gate.hpp"
#include "ksail_benchstat/units.hpp"

namespace ksail_benchstat {

namespace {

using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw InputError(where + ": " + message);
}

// A number at the start of `s`; the rest (the suffix) is returned through `rest`.
std::optional<double> leading_number(std::string_view s, std::string_view& rest) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
    if (res.ec != std::errc() || res.ptr == s.data()) return std::nullopt;
    rest = trim(std::string_view(res.ptr, static_cast<std::size_t>(s.data() + s.size() - res.ptr)));
    return v;
}

// "10%", "10", 10 or 7.5: a percentage. Negative values only where a goal needs them.
double read_pct(const Json& v, const std::string& where, bool allow_negative) {
    double value = 0;
    if (v.is_number()) {
        value = v.get<double>();
    } else if (v.is_string()) {
        const auto n = parse_percentage(v.get_ref<const std::string&>());
        if (!n) fail(where, fmt::format("{} is not a percentage (expected e.g. \"10%\" or 7.5)", v.dump()));
        value = *n;
    } else {
        fail(where, fmt::format("expected a percentage such as \"10%\", got {}", v.dump()));
    }
    if (!std::isfinite(value)) fail(where, "the percentage must be a finite number");
    if (!allow_negative && value < 0) {
        fail(where, "the percentage must not be negative (the unit decides which direction is worse)");
    }
    return value;
}

double read_non_negative(const Json& v, const std::string& where) {
    if (!v.is_number()) fail(where, fmt::format("expected a number, got {}", v.dump()));
    const double value = v.get<double>();
    if (!std::isfinite(value) || value < 0) fail(where, "expected a finite, non-negative number");
    return value;
}

const std::string& read_string(const Json& v, const std::string& where) {
    if (!v.is_string()) fail(where, fmt::format("expected a string, got {}", v.dump()));
    return v.get_ref<const std::string&>();
}

std::string read_unit(const Json& v, const std::string& where) {
    const std::string_view unit = trim(read_string(v, where));
    if (unit.empty()) fail(where, "the unit is empty");
    return tidy_unit(unit).first;
}

void check_keys(const Json& object, const std::string& where, std::initializer_list<std::string_view> allowed) {
    for (const auto& item : object.items()) {
        if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
            std::string list;
            for (const auto k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
            fail(where, fmt::format("unknown key \"{}\" (known keys: {})", item.key(), list));
        }
    }
}

std::size_t line_of(std::string_view text, std::size_t byte) {
    byte = std::min(byte, text.size());
    return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

BenchmarkRule read_rule(const Json& v, const std::string& where) {
    if (!v.is_object()) fail(where, fmt::format("expected an object, got {}", v.dump()));
    check_keys(v, where, {"benchmark", "unit", "threshold", "min_change", "ignore", "comment"});
    BenchmarkRule rule;
    rule.origin = where;
    std::string unit_as_written;
    if (v.contains("benchmark")) {
        rule.glob = std::string(trim(read_string(v["benchmark"], where + ".benchmark")));
        if (rule.glob.empty()) fail(where + ".benchmark", "the benchmark glob is empty");
    }
    if (v.contains("unit")) {
        unit_as_written = std::string(trim(read_string(v["unit"], where + ".unit")));
        rule.unit = read_unit(v["unit"], where + ".unit");
    }
    if (v.contains("threshold")) rule.threshold = read_pct(v["threshold"], where + ".threshold", false);
    if (v.contains("min_change")) {
        if (rule.unit.empty()) {
            fail(where + ".min_change", "an absolute limit needs the rule's \"unit\" (it is measured in that unit)");
        }
        const Json& m = v["min_change"];
        const std::string at = where + ".min_change";
        if (m.is_number()) {
            rule.min_change = parse_absolute_limit(fmt::format("{}", m.get<double>()), unit_as_written, at);
        } else {
            rule.min_change = parse_absolute_limit(read_string(m, at), unit_as_written, at);
        }
    }
    if (v.contains("ignore")) {
        if (!v["ignore"].is_boolean()) fail(where + ".ignore", "expected true or false");
        rule.ignore = v["ignore"].get<bool>();
    }
    if (v.contains("comment")) read_string(v["comment"], where + ".comment");
    if (!rule.threshold && !rule.min_change && !rule.ignore) {
        fail(where, "the rule sets nothing: give \"threshold\", \"min_change\" or \"ignore\": true");
    }
    return rule;
}

}  // namespace

std::optional<double> parse_percentage(std::string_view text) {
    std::string_view rest;
    const auto n = leading_number(trim(text), rest);
    if (!n || !(rest.empty() || rest == "%")) return std::nullopt;
    return n;
}

double parse_absolute_limit(std::string_view text, std::string_view unit_as_written, const std::string& where) {
    const auto [unit, factor] = tidy_unit(trim(unit_as_written));
    std::string_view suffix;
    const auto n = leading_number(trim(text), suffix);
    if (!n || !std::isfinite(*n) || *n < 0) {
        fail(where, fmt::format("\"{}\" is not a non-negative amount of {}", text, unit_as_written));
    }
    if (suffix.empty()) return *n * factor;
    const bool time = unit.rfind("sec/", 0) == 0;
    const bool bytes = unit.rfind("B/", 0) == 0;
    struct Suffix {
        std::string_view text;
        double factor;
    };
    static constexpr Suffix time_suffixes[] = {{"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3}, {"s", 1}};
    static constexpr Suffix byte_suffixes[] = {{"B", 1},          {"kB", 1e3},          {"KB", 1e3},
                                               {"KiB", 1024.0},   {"MB", 1e6},          {"MiB", 1048576.0},
                                               {"GB", 1e9},       {"GiB", 1073741824.0}};
    if (time) {
        for (const auto& s : time_suffixes) {
            if (suffix == s.text) return *n * s.factor;
        }
        fail(where, fmt::format("\"{}\": use a duration such as 20ms, 500us or 100ns for {}", text, unit));
    }
    if (bytes) {
        for (const auto& s : byte_suffixes) {
            if (suffix == s.text) return *n * s.factor;
        }
        fail(where, fmt::format("\"{}\": use a size such as 64B, 4KiB or 1MB for {}", text, unit));
    }
    fail(where, fmt::format("\"{}\": {} takes a plain number", text, unit));
}

void read_gate_config(std::string_view text, const std::string& name, GateOptions& options) {
    Json doc;
    try {
        doc = Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        // nlohmann's message starts "[json.exception.parse_error.101] parse error at line 3, column 5: ";
        // keep the part after the position, the line goes where our messages put it.
        std::string what = e.what();
        const auto colon = what.find(": ");
        if (colon != std::string::npos) what = what.substr(colon + 2);
        throw InputError(located(name, line_of(text, e.byte == 0 ? 0 : e.byte - 1), "not valid JSON: " + what));
    }
    if (!doc.is_object()) fail(name, "a gate configuration is a JSON object (see docs/ci.md)");
    check_keys(doc, name,
               {"version", "rule", "threshold", "thresholds", "min_time", "min_allocs", "min_bytes", "exclude",
                "require", "rules", "comment"});
    const auto at = [&](std::string_view key) { return fmt::format("{}: {}", name, key); };

    if (doc.contains("version")) {
        const Json& v = doc["version"];
        if (!v.is_number_integer() || v.get<long long>() != 1) {
            fail(at("version"), fmt::format("this tool reads version 1, got {}", v.dump()));
        }
    }
    if (doc.contains("rule")) {
        const std::string& rule = read_string(doc["rule"], at("rule"));
        if (rule == "interval") options.rule = GateRule::interval;
        else if (rule == "point") options.rule = GateRule::point;
        else fail(at("rule"), fmt::format("expected \"interval\" or \"point\", got \"{}\"", rule));
    }
    if (doc.contains("threshold")) {
        options.thresholds.push_back(Threshold{"", read_pct(doc["threshold"], at("threshold"), false)});
    }
    if (doc.contains("thresholds")) {
        const Json& t = doc["thresholds"];
        if (!t.is_object()) fail(at("thresholds"), "expected an object of UNIT: PCT, e.g. {\"allocs/op\": \"5%\"}");
        for (const auto& item : t.items()) {
            const std::string where = at("thresholds." + item.key());
            if (trim(item.key()).empty()) fail(where, "the unit is empty");
            options.thresholds.push_back(Threshold{tidy_unit(trim(item.key())).first, read_pct(item.value(), where, false)});
        }
    }
    if (doc.contains("min_time")) {
        const Json& m = doc["min_time"];
        const std::string where = at("min_time");
        options.min_time = m.is_number() ? parse_absolute_limit(fmt::format("{}", m.get<double>()), "ns/op", where)
                                         : parse_absolute_limit(read_string(m, where), "sec/op", where);
    }
    if (doc.contains("min_allocs")) options.min_allocs = read_non_negative(doc["min_allocs"], at("min_allocs"));
    if (doc.contains("min_bytes")) {
        const Json& m = doc["min_bytes"];
        const std::string where = at("min_bytes");
        options.min_bytes = m.is_number() ? read_non_negative(m, where)
                                          : parse_absolute_limit(read_string(m, where), "B/op", where);
    }
    if (doc.contains("exclude")) {
        const Json& e = doc["exclude"];
        if (!e.is_array()) fail(at("exclude"), "expected an array of benchmark globs");
        for (std::size_t i = 0; i < e.size(); ++i) {
            const std::string glob(trim(read_string(e[i], at(fmt::format("exclude[{}]", i)))));
            if (glob.empty()) fail(at(fmt::format("exclude[{}]", i)), "the glob is empty");
            options.excludes.push_back(glob);
        }
    }
    if (doc.contains("require")) {
        const Json& r = doc["require"];
        if (!r.is_array()) fail(at("require"), "expected an array of {\"benchmark\", \"unit\", \"change\"} goals");
        for (std::size_t i = 0; i < r.size(); ++i) {
            const std::string where = at(fmt::format("require[{}]", i));
            const Json& g = r[i];
            if (!g.is_object()) fail(where, fmt::format("expected an object, got {}", g.dump()));
            check_keys(g, where, {"benchmark", "unit", "change", "comment"});
            for (const char* key : {"benchmark", "unit", "change"}) {
                if (!g.contains(key)) fail(where, fmt::format("missing \"{}\"", key));
            }
            Requirement goal;
            goal.glob = std::string(trim(read_string(g["benchmark"], where + ".benchmark")));
            if (goal.glob.empty()) fail(where + ".benchmark", "the benchmark glob is empty");
            goal.unit = read_unit(g["unit"], where + ".unit");
            goal.pct = read_pct(g["change"], where + ".change", true);
            options.requirements.push_back(goal);
        }
    }
    if (doc.contains("rules")) {
        const Json& r = doc["rules"];
        if (!r.is_array()) fail(at("rules"), "expected an array of rules");
        for (std::size_t i = 0; i < r.size(); ++i) {
            options.rules.push_back(read_rule(r[i], at(fmt::format("rules[{}]", i))));
        }
    }
    options.config_path = name;
}

}  // namespace ksail_benchstat
