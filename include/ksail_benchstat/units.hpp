// Units: tidying pre-scaled units to base units, their direction, and benchstat-style scaling.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <span>

#include "ksail_benchstat/model.hpp"

namespace ksail_benchstat {

// Converts a unit as written ("ns/op", "MB/s", "ns/row") into its base unit and the factor that
// converts values: {"sec/op", 1e-9}. Units with nothing to convert come back unchanged with 1.
std::pair<std::string, double> tidy_unit(std::string_view unit);

// Whether lower or higher values of a tidied unit are better: rates (anything "/s") are
// higher-is-better, everything else lower-is-better.
Better default_better(std::string_view unit);

// Prefix class for display: binary (Ki, Mi) when the numerator counts bytes, decimal otherwise.
enum class UnitClass { decimal, binary };
UnitClass unit_class(std::string_view unit);

// `value` with `precision` digits after the point and then `suffix`, exactly as fmt's "{:.Nf}"
// prints it ("{:+.Nf}" with `plus`: a sign also before positive numbers). Renderers print
// several numbers per row, so this avoids parsing a format string each time.
std::string fixed_text(double value, int precision, std::string_view suffix = {}, bool plus = false);
// fixed_text appended to `out`, for renderers that write cells in place.
void append_fixed(std::string& out, double value, int precision, std::string_view suffix = {}, bool plus = false);
// fixed_text without a suffix, written at `out` (room for k_fixed_room bytes); returns the end,
// or nullptr for a value only fixed_text writes (not finite, or of 20 digits or more before the
// point).
inline constexpr std::size_t k_fixed_room = 32;
char* write_fixed(char* out, double value, int precision, bool plus = false);

// A display scale: digits after the point, divisor and prefix (e.g. {3, 1e-6, "µ"}).
struct Scaler {
    int precision = 3;
    double factor = 1;
    // A constant of the prefix tables (or a literal): a view, so that choosing a scale for each
    // row of a table copies no string.
    std::string_view prefix;
    // Formats `value` in this scale, e.g. "1.718µ".
    std::string format(double value) const;
    // The same text appended to `out`.
    void append(std::string& out, double value) const;
    // The same text written at `out` (room for k_scaled_room bytes); returns the end, or nullptr
    // for a value only format writes (as write_fixed), or a prefix longer than 8 bytes.
    char* write(char* out, double value) const;
};
// Room Scaler::write needs: write_fixed's and a prefix, within the same k_fixed_room bytes.
inline constexpr std::size_t k_scaled_room = k_fixed_room;
// The scale that shows every value of `values` with at least three significant digits
// (benchstat's CommonScale: decided by the non-zero magnitude closest to zero).
Scaler common_scale(std::span<const double> values, UnitClass cls);
// Formats one value in its own scale.
std::string scale_value(double value, UnitClass cls);

}  // namespace ksail_benchstat
