// Unit tidying, direction and benchstat-compatible display scaling.
#include "ksail_benchstat/units.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
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
    std::string_view prefix;
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

namespace {

__extension__ typedef unsigned __int128 uint128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet

// Writes `q` so that it ends at `last`, with at least `precision` + 1 digits (precision <= 19)
// and a point before the last `precision` of them; returns where it starts. It takes at most 21
// characters. Written backwards, two digits per division where it can: the numbers a report
// prints have a handful of digits, and their length need not be known first.
[[gnu::always_inline]] inline char* write_scaled(char* last, std::uint64_t q, int precision) {
    static constexpr char k_pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char* p = last;
    if (precision > 0) {
        int left = precision;
        for (; left >= 2; left -= 2) {
            p -= 2;
            std::memcpy(p, k_pairs + 2 * (q % 100), 2);
            q /= 100;
        }
        if (left == 1) {
            *--p = static_cast<char>('0' + q % 10);
            q /= 10;
        }
        *--p = '.';
    }
    while (q >= 100) {
        p -= 2;
        std::memcpy(p, k_pairs + 2 * (q % 100), 2);
        q /= 100;
    }
    if (q >= 10) {
        p -= 2;
        std::memcpy(p, k_pairs + 2 * q, 2);
    } else {
        *--p = static_cast<char>('0' + q);
    }
    return p;
}

// The same rounding as scaled_round below, for the numbers most cells hold: at most 3 decimals
// and a magnitude below 2^52. Their m * 10^precision (m < 2^53, 10^precision < 2^10) fits in 64
// bits, so no 128-bit arithmetic is needed. Returns false for anything else (infinities and NaN
// included), which scaled_round or the general path handles.
bool small_scaled_round(double value, int precision, std::uint64_t& q) {
    if (precision < 0 || precision > 3) return false;
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    const auto biased = static_cast<int>((bits >> 52) & 0x7ff);
    if (biased >= 1075) return false;  // an integer of 53 bits or more, an infinity or NaN
    if (biased < 1075 - 63) {
        // value < 2^-11 (zero and subnormals included): m * 10^precision < 2^63 is below half of
        // the 2^(1075 - biased) >= 2^64 it is divided by, so the value rounds to zero.
        q = 0;
        return true;
    }
    static constexpr std::uint64_t k_pow10[] = {1, 10, 100, 1000};
    const std::uint64_t m = (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
    const std::uint64_t n = m * k_pow10[precision];
    const int k = 1075 - biased;  // value = m / 2^k, 1 <= k <= 63
    q = n >> k;
    const std::uint64_t rest = n & ((std::uint64_t{1} << k) - 1);
    const std::uint64_t half = std::uint64_t{1} << (k - 1);
    if (rest > half || (rest == half && (q & 1) != 0)) ++q;
    return true;
}

// value * 10^precision rounded to the nearest integer, ties to even: the digits of the exact
// binary value correctly rounded, as fmt and to_chars print them. Exact integer arithmetic on the
// double's parts (value = m * 2^e): m * 10^precision < 2^53 * 10^19 fits in 128 bits. Returns
// false when the result would not fit in 64 bits (huge values), which the general path handles.
bool scaled_round(double value, int precision, std::uint64_t& q) {
    if (precision < 0 || precision > 19) return false;
    std::uint64_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    const auto biased = static_cast<int>((bits >> 52) & 0x7ff);
    std::uint64_t m = bits & ((std::uint64_t{1} << 52) - 1);
    int e = -1074;  // subnormals and zero
    if (biased != 0) {
        m |= std::uint64_t{1} << 52;
        e = biased - 1075;
    }
    static constexpr std::uint64_t k_pow10[] = {1,
                                                10,
                                                100,
                                                1000,
                                                10000,
                                                100000,
                                                1000000,
                                                10000000,
                                                100000000,
                                                1000000000,
                                                10000000000,
                                                100000000000,
                                                1000000000000,
                                                10000000000000,
                                                100000000000000,
                                                1000000000000000,
                                                10000000000000000,
                                                100000000000000000,
                                                1000000000000000000,
                                                10000000000000000000U};
    const uint128 n = static_cast<uint128>(m) * k_pow10[precision];  // < 2^117
    if (e >= 0) {
        // An integer: exact when the shifted product still fits in 64 bits.
        if (e >= 64 || (n >> (64 - e)) != 0) return false;
        q = static_cast<std::uint64_t>(n << e);
        return true;
    }
    const int k = -e;
    if (k > 117) {
        q = 0;  // n < 2^117 <= 2^(k-1): below one half of the last digit
        return true;
    }
    const uint128 whole = n >> k;
    if ((whole >> 64) != 0) return false;
    q = static_cast<std::uint64_t>(whole);
    const uint128 rest = n - (whole << k);
    const uint128 half = static_cast<uint128>(1) << (k - 1);
    if (rest > half || (rest == half && (q & 1) != 0)) {
        if (q == UINT64_MAX) return false;  // rounding up would not fit either
        ++q;
    }
    return true;
}

// append_fixed for what its integer shortcuts do not cover (infinities, NaN, huge values, more
// than 19 decimals, suffixes too long for its buffer): kept out of line, so that the common path
// stays small.
[[gnu::noinline]] void append_fixed_general(std::string& out, double value, int precision, std::string_view suffix,
                                            bool plus) {
    // to_chars rounds exactly like fmt's fixed notation (both print the exact binary value
    // correctly rounded); anything it cannot do (infinities, NaN, no room) is left to fmt.
    char buf[400];
    std::to_chars_result res{buf, std::errc::value_too_large};
    if (std::isfinite(value)) res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, precision);
    if (res.ec != std::errc()) {
        out += plus ? fmt::format("{:+.{}f}{}", value, precision, suffix)
                    : fmt::format("{:.{}f}{}", value, precision, suffix);
        return;
    }
    if (plus && !std::signbit(value)) out += '+';
    out.append(buf, res.ptr);
    out += suffix;
}

}  // namespace

namespace {

constexpr std::size_t k_number_room = 24;  // a sign and write_scaled's 21 characters

// The number of append_fixed and write_fixed, without a suffix, ending at `last` (with
// k_number_room bytes before it); returns where it starts, or nullptr for what only the general
// path writes. Most numbers a report prints are small with a few decimals: exact integer
// arithmetic gives their digits at a fraction of the cost of to_chars' general algorithm (and
// rounds the same).
[[gnu::always_inline]] inline char* write_fixed_before(char* last, double value, int precision, bool plus) {
    std::uint64_t q = 0;
    if (!small_scaled_round(value, precision, q) && !(std::isfinite(value) && scaled_round(value, precision, q))) {
        return nullptr;
    }
    char* first = write_scaled(last, q, precision);
    if (std::signbit(value)) {
        *--first = '-';
    } else if (plus) {
        *--first = '+';
    }
    return first;
}

}  // namespace

void append_fixed(std::string& out, double value, int precision, std::string_view suffix, bool plus) {
    // The number is made in one buffer, its sign and suffix included, and appended at once.
    constexpr std::size_t k_suffix_room = 24;  // units and prefixes are a few bytes
    char buf[k_number_room + k_suffix_room];
    char* last = buf + k_number_room;
    char* first = suffix.size() <= k_suffix_room ? write_fixed_before(last, value, precision, plus) : nullptr;
    if (first == nullptr) {
        append_fixed_general(out, value, precision, suffix, plus);
        return;
    }
    // A suffix is "%" or a prefix of one or two bytes, too short for a call to memcpy: up to
    // four bytes are copied as two fixed-size, possibly overlapping pieces.
    const std::size_t n = suffix.size();
    if (n >= 2 && n <= 4) {
        std::memcpy(last, suffix.data(), 2);
        std::memcpy(last + n - 2, suffix.data() + n - 2, 2);
    } else if (n == 1) {
        *last = suffix.front();
    } else if (n > 4) {
        std::memcpy(last, suffix.data(), n);
    }
    out.append(first, last + n);
}

char* write_fixed(char* out, double value, int precision, bool plus) {
    // append_fixed's number, made at the end of the first half of `buf` and then moved to `out` in
    // one copy of a fixed k_number_room bytes (within the room at `out`; what follows the number
    // there is of no use), which takes a few moves where a copy of the number's own length would
    // take a call to memcpy.
    static_assert(k_number_room <= k_fixed_room);
    char buf[2 * k_number_room];
    char* last = buf + k_number_room;
    const char* first = write_fixed_before(last, value, precision, plus);
    if (first == nullptr) return nullptr;
    std::memcpy(out, first, k_number_room);
    return out + (last - first);
}

std::string fixed_text(double value, int precision, std::string_view suffix, bool plus) {
    std::string out;
    append_fixed(out, value, precision, suffix, plus);
    return out;
}

std::string Scaler::format(double value) const {
    std::string out;
    append(out, value);
    return out;
}

void Scaler::append(std::string& out, double value) const { append_fixed(out, value / factor, precision, prefix); }

char* Scaler::write(char* out, double value) const {
    // The number takes at most 22 bytes (a sign and write_scaled's 21), so a prefix of up to 8
    // bytes fits in the room after it.
    constexpr std::size_t k_longest_prefix = 8;
    static_assert(22 + k_longest_prefix <= k_scaled_room);
    const std::size_t n = prefix.size();
    if (n > k_longest_prefix) return nullptr;
    char* end = write_fixed(out, value / factor, precision);
    if (end == nullptr) return nullptr;
    // Prefixes are of one or two bytes ("k", "µ", "Ki"), too short for a call to memcpy.
    if (n >= 2) {
        std::memcpy(end, prefix.data(), 2);
        if (n > 2) std::memcpy(end + 2, prefix.data() + 2, n - 2);
    } else if (n == 1) {
        *end = prefix.front();
    }
    return end + n;
}

Scaler common_scale(std::span<const double> values, UnitClass cls) {
    double min = 0;
    for (double v : values) {
        v = std::fabs(v);
        if (v != 0 && (min == 0 || v < min)) min = v;
    }
    if (min == 0) return Scaler{3, 1, ""};
    const auto& factors = cls == UnitClass::binary ? iec_factors() : si_factors();
    // The thresholds fall from each one to the next, factor after factor: the value's factor is
    // the first whose smallest threshold it reaches, and only then are its other two tried.
    for (const auto& f : factors) {
        if (min < f.t1) continue;
        if (min >= f.t100) return Scaler{1, f.factor, f.prefix};
        if (min >= f.t10) return Scaler{2, f.factor, f.prefix};
        return Scaler{3, f.factor, f.prefix};
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
