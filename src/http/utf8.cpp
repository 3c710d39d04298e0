#include "http/utf8.hpp"

#include <cstddef>
#include <string_view>

namespace warden::http {
namespace {

/// The length of the well-formed UTF-8 sequence at the front of `s`, or 0.
std::size_t sequence_length(std::string_view s) noexcept {
    auto const b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto const cont = [&](std::size_t i) { return i < s.size() && (b(i) & 0xC0U) == 0x80U; };
    unsigned char const lead = b(0);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return cont(1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        if (lead == 0xE0 && b(1) < 0xA0) return 0;  // overlong
        if (lead == 0xED && b(1) > 0x9F) return 0;  // surrogate
        return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        if (lead == 0xF0 && b(1) < 0x90) return 0;  // overlong
        if (lead == 0xF4 && b(1) > 0x8F) return 0;  // past U+10FFFF
        return 4;
    }
    return 0;
}

}  // namespace

void replace_invalid_utf8(std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto const n = sequence_length(std::string_view{text}.substr(i));
        if (n > 0) {
            i += n;
            continue;
        }
        text.replace(i, 1, "\xEF\xBF\xBD");
        i += 3;
    }
}

}  // namespace warden::http
