// Unit tidying, direction and benchstat-compatible display scaling.
#include "ksail_benchstat/units.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

namespace ksail_benchstat {
namespace {

// A unit is a sequence of tokens separated by '*', '/', '-' or spaces; tokens after '/' (up to the
// next '*') are in the denominator. This mirrors the benchfmt unit grammar.
struct UnitToken {
    std::size_t pos;
    std::string_view text;
    bool denominator;
};

bool is_separator(char c) { return c == '*' || c == '/' || c == '-' || c == ' ' || c == '\t'; }

std::vector<UnitToken> tokenize(std::string_view unit) {
    std::vector<UnitToken> tokens;
    bool denominator = false;
    std::size_t i = 0;
    while (i < unit.size()) {
        char c = unit[i];
        if (c == '*') {
            denominator = false;
            ++i;
        } else if (c == '/') {
            denominator = true;
            ++i;
        } else if (is_separator(c)) {
            ++i;
        } else {
            std::size_t start = i;
            while (i < unit.size() && !is_separator(unit[i])) ++i;
            tokens.push_back({start, unit.substr(start, i - start), denominator});
        }
    }
    return tokens;
}

}  // namespace

std::pair<std::string, double> tidy_unit(std::string_view unit) {
    if (unit == "ns/op") return {"sec/op", 1e-9};
    if (unit == "MB/s") return {"B/s", 1e6};
    if (unit.find("ns") == std::string_view::npos && unit.find("MB") == std::string_view::npos) {
        return {std::string(unit), 1.0};
    }
    std::string out(unit);
    double factor = 1.0;
    auto tokens = tokenize(unit);
    // Apply edits right to left so earlier positions stay valid.
    for (auto it = tokens.rbegin(); it != tokens.rend(); ++it) {
        if (it->denominator) continue;
        if (it->text == "ns") {
            out.replace(it->pos, 2, "sec");
            factor /= 1e9;
        } else if (it->text == "MB") {
            out.replace(it->pos, 2, "B");
            factor *= 1e6;
        }
    }
    return {out, factor};
}

Better default_better(std::string_view unit) {
    if (unit.size() >= 2 && unit.substr(unit.size() - 2) == "/s") return Better::higher;
    return Better::lower;
}

UnitClass unit_class(std::string_view unit) {
    for (const auto& token : tokenize(unit)) {
        if (!token.denominator && (token.text == "B" || token.text == "MB" || token.text == "bytes")) {
            return UnitClass::binary;
        }
    }
    return UnitClass::decimal;
}

namespace {

struct Factor {
    double factor;
    const char* prefix;
    double t100, t10, t1;  // smallest values shown with 1, 2 and 3 decimals in this factor
};

// Thresholds are the values that round up to the next display width, so that the choice of scale
// agrees with how the number will print (99.995 prints as 100.0, not 99.99).
std::vector<Factor> make_si_factors() {
    std::vector<Factor> factors;
    int exp = 12;
    for (const char* prefix : {"T", "G", "M", "k", "", "m", "µ", "n"}) {
        factors.push_back({std::pow(10.0, exp), prefix, std::strtod(fmt::format("99.995e{}", exp).c_str(), nullptr),
                           std::strtod(fmt::format("9.9995e{}", exp).c_str(), nullptr),
                           std::strtod(fmt::format(".99995e{}", exp).c_str(), nullptr)});
        exp -= 3;
    }
    return factors;
}

std::vector<Factor> make_iec_factors() {
    std::vector<Factor> factors;
    int exp = 40;
    for (const char* prefix : {"Ti", "Gi", "Mi", "Ki", ""}) {
        // 99.995, 9.9995 and .99995 times 2^exp, as exact binary literals.
        factors.push_back({std::ldexp(1.0, exp), prefix, std::ldexp(0x1.8ffae147ae148p0, 6 + exp),
                           std::ldexp(0x1.3ffbe76c8b439p0, 3 + exp), std::ldexp(0x1.fff972474538fp0, -1 + exp)});
        exp -= 10;
    }
    return factors;
}

const std::vector<Factor>& si_factors() {
    static const std::vector<Factor> factors = make_si_factors();
    return factors;
}
const std::vector<Factor>& iec_factors() {
    static const std::vector<Factor> factors = make_iec_factors();
    return factors;
}

}  // namespace

std::string fixed_text(double value, int precision, std::string_view suffix, bool plus) {
    // to_chars rounds exactly like fmt's fixed notation (both print the exact binary value
    // correctly rounded); anything it cannot do (infinities, NaN, no room) is left to fmt.
    char buf[400];
    std::to_chars_result res{buf, std::errc::value_too_large};
    if (std::isfinite(value)) res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, precision);
    if (res.ec != std::errc()) {
        return plus ? fmt::format("{:+.{}f}{}", value, precision, suffix)
                    : fmt::format("{:.{}f}{}", value, precision, suffix);
    }
    std::string out;
    out.reserve(static_cast<std::size_t>(res.ptr - buf) + suffix.size() + 1);
    if (plus && !std::signbit(value)) out += '+';
    out.append(buf, res.ptr);
    out += suffix;
    return out;
}

std::string Scaler::format(double value) const { return fixed_text(value / factor, precision, prefix); }

Scaler common_scale(std::span<const double> values, UnitClass cls) {
    double min = 0;
    for (double v : values) {
        v = std::fabs(v);
        if (v != 0 && (min == 0 || v < min)) min = v;
    }
    if (min == 0) return Scaler{3, 1, ""};
    const auto& factors = cls == UnitClass::binary ? iec_factors() : si_factors();
    for (const auto& f : factors) {
        if (min >= f.t100) return Scaler{1, f.factor, f.prefix};
        if (min >= f.t10) return Scaler{2, f.factor, f.prefix};
        if (min >= f.t1) return Scaler{3, f.factor, f.prefix};
    }
    // Smaller than the smallest prefix: add decimals (up to 10) to keep three significant digits.
    const auto& last = factors.back();
    double scaled = min / last.factor;
    int precision = 3;
    for (int exp = -1; exp > -9; --exp) {
        double threshold = std::strtod(fmt::format("9.9995e{}", exp).c_str(), nullptr);
        if (scaled >= threshold || exp == -8) break;
        ++precision;
    }
    return Scaler{precision, last.factor, last.prefix};
}

std::string scale_value(double value, UnitClass cls) {
    const double values[] = {value};
    return common_scale(values, cls).format(value);
}

}  // namespace ksail_benchstat
