#include <warden/auth/full_name.hpp>

#include <warden/core/utf8.hpp>

namespace warden::auth {
namespace {

/// Control characters, bidi controls (a name must not reorder the text shown around it) and
/// line breaks (a name is one line in a table, a log or an e-mail header).
bool is_refused(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x2028 ||
           c == 0x2029;
}

/// The code point starting at `text[i]` of valid UTF-8; advances `i`.
char32_t next_code_point(std::string_view text, std::size_t& i) {
    auto const lead = static_cast<unsigned char>(text[i++]);
    if (lead < 0x80) return lead;
    int const extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1;
    char32_t c = lead & (0x3FU >> extra);
    for (int k = 0; k < extra; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i++]) & 0x3FU);
    return c;
}

}  // namespace

full_name_check check_full_name(std::string_view name) noexcept {
    if (!is_valid_utf8(name)) return full_name_check::invalid_text;
    std::size_t characters = 0;
    for (std::size_t i = 0; i < name.size();) {
        if (is_refused(next_code_point(name, i))) return full_name_check::invalid_text;
        ++characters;
    }
    return characters > max_full_name_length ? full_name_check::too_long : full_name_check::ok;
}

}  // namespace warden::auth
