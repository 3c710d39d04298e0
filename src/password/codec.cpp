#include "password/codec.hpp"

#include <array>

namespace warden::password {
namespace {

constexpr std::string_view standard_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view bcrypt_chars =
    "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view ab64_chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./";

constexpr std::string_view characters(base64_alphabet alphabet) noexcept {
    switch (alphabet) {
        case base64_alphabet::standard:
            return standard_chars;
        case base64_alphabet::bcrypt:
            return bcrypt_chars;
        case base64_alphabet::ab64:
            return ab64_chars;
    }
    return standard_chars;
}

// int16_t, not a char type: -1 marks a character outside the alphabet.
using decode_table = std::array<std::int16_t, 256>;

constexpr decode_table make_table(std::string_view chars) noexcept {
    decode_table table{};
    for (auto& v : table) v = -1;
    for (std::size_t i = 0; i < chars.size(); ++i) {
        table[static_cast<unsigned char>(chars[i])] = static_cast<std::int16_t>(i);
    }
    return table;
}

constexpr decode_table standard_table = make_table(standard_chars);
constexpr decode_table bcrypt_table = make_table(bcrypt_chars);
constexpr decode_table ab64_table = make_table(ab64_chars);

constexpr decode_table const& table(base64_alphabet alphabet) noexcept {
    switch (alphabet) {
        case base64_alphabet::standard:
            return standard_table;
        case base64_alphabet::bcrypt:
            return bcrypt_table;
        case base64_alphabet::ab64:
            return ab64_table;
    }
    return standard_table;
}

}  // namespace

std::string base64_encode(std::string_view bytes, base64_alphabet alphabet, bool pad) {
    auto const chars = characters(alphabet);
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t const v =
            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
            static_cast<unsigned char>(bytes[i + 2]);
        out += chars[v >> 18 & 63];
        out += chars[v >> 12 & 63];
        out += chars[v >> 6 & 63];
        out += chars[v & 63];
    }
    std::size_t const rest = bytes.size() - i;
    if (rest == 1) {
        std::uint32_t const v = static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i]))
                                << 16;
        out += chars[v >> 18 & 63];
        out += chars[v >> 12 & 63];
        if (pad) out += "==";
    } else if (rest == 2) {
        std::uint32_t const v =
            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
            static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += chars[v >> 18 & 63];
        out += chars[v >> 12 & 63];
        out += chars[v >> 6 & 63];
        if (pad) out += '=';
    }
    return out;
}

std::optional<std::string> base64_decode(std::string_view text, base64_alphabet alphabet) {
    if (text.size() % 4 == 1) return std::nullopt;
    if (!base64_characters(text, alphabet) || !base64_canonical_tail(text, alphabet)) {
        return std::nullopt;
    }
    auto const& values = table(alphabet);
    std::string out;
    out.reserve(text.size() / 4 * 3 + 2);
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : text) {
        acc = (acc << 6 | static_cast<std::uint32_t>(values[static_cast<unsigned char>(c)])) &
              0xFFFFFF;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(acc >> bits & 0xFF);
        }
    }
    return out;
}

bool base64_characters(std::string_view text, base64_alphabet alphabet) noexcept {
    auto const& values = table(alphabet);
    for (char c : text) {
        if (values[static_cast<unsigned char>(c)] < 0) return false;
    }
    return true;
}

bool base64_canonical_tail(std::string_view text, base64_alphabet alphabet) noexcept {
    if (text.empty()) return true;
    int const last = table(alphabet)[static_cast<unsigned char>(text.back())];
    if (last < 0) return false;
    switch (text.size() % 4) {
        case 2:
            return (last & 0x0F) == 0;  // 12 bits carry 8
        case 3:
            return (last & 0x03) == 0;  // 18 bits carry 16
        default:
            return true;
    }
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) noexcept {
    if (text.empty() || text.size() > 19) return std::nullopt;
    if (text.size() > 1 && text.front() == '0') return std::nullopt;
    std::uint64_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (value > max) return std::nullopt;
    return value;
}

bool is_utf8(std::string_view text) noexcept {
    auto const* p = reinterpret_cast<unsigned char const*>(text.data());
    auto const* const end = p + text.size();
    auto continuation = [&](std::size_t at, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return static_cast<std::size_t>(end - p) > at && p[at] >= lo && p[at] <= hi;
    };
    while (p < end) {
        unsigned char const c = *p;
        if (c < 0x80) {
            p += 1;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (!continuation(1)) return false;
            p += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            // E0: no overlong forms; ED: no UTF-16 surrogates.
            unsigned char const lo = c == 0xE0 ? 0xA0 : 0x80;
            unsigned char const hi = c == 0xED ? 0x9F : 0xBF;
            if (!continuation(1, lo, hi) || !continuation(2)) return false;
            p += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            // F0: no overlong forms; F4: nothing above U+10FFFF.
            unsigned char const lo = c == 0xF0 ? 0x90 : 0x80;
            unsigned char const hi = c == 0xF4 ? 0x8F : 0xBF;
            if (!continuation(1, lo, hi) || !continuation(2) || !continuation(3)) return false;
            p += 4;
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace warden::password
