#include "jwt/base64url.hpp"

#include <array>
#include <cstdint>

namespace warden::jwt::detail {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint32_t bad = 0x01000000;  // above any 24-bit group: marks a foreign character

// One table per position in a 4-character group, each entry already shifted into place, so a
// group decodes with four loads and three ORs, and validity is one test on the OR of all groups.
struct decode_tables {
    std::array<std::array<std::uint32_t, 256>, 4> at{};
};
constexpr decode_tables make_tables() {
    decode_tables t{};
    for (auto& row : t.at) row.fill(bad);
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        auto const c = static_cast<unsigned char>(alphabet[i]);
        for (std::size_t pos = 0; pos < 4; ++pos) {
            t.at[pos][c] = static_cast<std::uint32_t>(i) << (18 - 6 * pos);
        }
    }
    return t;
}
constexpr decode_tables tables = make_tables();

}  // namespace

std::optional<std::size_t> base64url_decode(std::string_view in, char* out) noexcept {
    std::size_t const n = in.size();
    if (n % 4 == 1) return std::nullopt;
    auto const* s = reinterpret_cast<unsigned char const*>(in.data());
    auto const& t = tables.at;
    std::uint32_t seen = 0;
    std::size_t i = 0;
    std::size_t o = 0;
    for (; i + 4 <= n; i += 4) {
        std::uint32_t const v = t[0][s[i]] | t[1][s[i + 1]] | t[2][s[i + 2]] | t[3][s[i + 3]];
        seen |= v;
        out[o] = static_cast<char>(v >> 16 & 0xff);
        out[o + 1] = static_cast<char>(v >> 8 & 0xff);
        out[o + 2] = static_cast<char>(v & 0xff);
        o += 3;
    }
    std::size_t const rest = n - i;
    if (rest == 2) {
        std::uint32_t const v = t[0][s[i]] | t[1][s[i + 1]];
        // RFC 4648 §3.5: the 4 unused low bits must be zero (one canonical encoding).
        if ((v & 0xffff) != 0) return std::nullopt;
        seen |= v;
        out[o++] = static_cast<char>(v >> 16 & 0xff);
    } else if (rest == 3) {
        std::uint32_t const v = t[0][s[i]] | t[1][s[i + 1]] | t[2][s[i + 2]];
        if ((v & 0xff) != 0) return std::nullopt;  // 2 unused bits
        seen |= v;
        out[o++] = static_cast<char>(v >> 16 & 0xff);
        out[o++] = static_cast<char>(v >> 8 & 0xff);
    }
    if ((seen & bad) != 0) return std::nullopt;
    return o;
}

std::size_t base64url_encode(std::string_view in, char* out) noexcept {
    auto const* s = reinterpret_cast<unsigned char const*>(in.data());
    std::size_t const n = in.size();
    std::size_t i = 0;
    std::size_t o = 0;
    for (; i + 3 <= n; i += 3) {
        std::uint32_t const v = std::uint32_t{s[i]} << 16 | std::uint32_t{s[i + 1]} << 8 | s[i + 2];
        out[o] = alphabet[v >> 18 & 63];
        out[o + 1] = alphabet[v >> 12 & 63];
        out[o + 2] = alphabet[v >> 6 & 63];
        out[o + 3] = alphabet[v & 63];
        o += 4;
    }
    if (n - i == 1) {
        std::uint32_t const v = std::uint32_t{s[i]} << 16;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
    } else if (n - i == 2) {
        std::uint32_t const v = std::uint32_t{s[i]} << 16 | std::uint32_t{s[i + 1]} << 8;
        out[o++] = alphabet[v >> 18 & 63];
        out[o++] = alphabet[v >> 12 & 63];
        out[o++] = alphabet[v >> 6 & 63];
    }
    return o;
}

}  // namespace warden::jwt::detail
