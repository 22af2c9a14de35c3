// Short texts the program gives (a verdict's name, the fields around it), kept with room to be
// copied in one fixed size, where copying by their length would be a call for a few bytes.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace ksail_benchstat {

struct ShortText {
    std::array<char, 32> text{};
    std::size_t size = 0;  // what of `text` is the text
};

// `text`, of at most 32 bytes (the rest is cut off: the program's own words are far shorter).
inline ShortText short_text(std::string_view text) {
    ShortText out;
    out.size = std::min(text.size(), out.text.size());
    std::memcpy(out.text.data(), text.data(), out.size);
    return out;
}

// Writes the text at `out`, which has room for 32 bytes, and returns its end.
inline char* put(char* out, const ShortText& text) noexcept {
    std::memcpy(out, text.text.data(), text.text.size());
    return out + text.size;
}

}  // namespace ksail_benchstat
