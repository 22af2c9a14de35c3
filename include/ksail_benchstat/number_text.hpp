// Doubles as text with the fewest digits that read back as the same double, in the layouts of the
// CSV report (fmt's "{}") and of the JSON report (nlohmann's dump()).
#pragma once

#include <cstddef>

namespace ksail_benchstat {

// Room a writer below needs at `out`. The longest text, "-2.2250738585072014e-308", has 24
// characters; a writer may also leave a few bytes past the end of a shorter text.
inline constexpr std::size_t k_number_text_room = 40;

// A finite double exactly as fmt::format("{}", value) writes it: plain notation for decimal
// exponents from -4 up to 15 ("0.0001", "-2.5", "10", "1000000000000000"), exponent notation
// beyond ("1e-05", "1.5e+16", "5e-324"), and "-0" for negative zero. Returns the end of the text.
char* write_number_text(double value, char* out) noexcept;

// A finite double as nlohmann's dump() lays it out: plain notation from 1e-4 up to below 1e15,
// whole numbers with ".0" ("10.0", "-0.0"), exponent notation beyond ("1e-05", "1.5e+15"). The
// digits are the same as above (nlohmann's own search sometimes keeps a digit more). Returns the
// end of the text.
char* write_json_number_text(double value, char* out) noexcept;

}  // namespace ksail_benchstat
