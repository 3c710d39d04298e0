#include <warden/core/base64url.hpp>

#include <array>
#include <cstdint>

#include <warden/core/errc.hpp>

namespace warden {
namespace {

constexpr std::string_view alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t invalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
    std::array<std::uint8_t, 256> table{};
    table.fill(invalid);
    for (std::size_t i = 0; i < alphabet.size(); ++i) {
        table[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
    }
    return table;
}
constexpr auto decode_table = make_decode_table();

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    auto byte = [&](std::size_t k) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        std::uint32_t const n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        out += alphabet[n >> 6 & 63];
        out += alphabet[n & 63];
    }
    std::size_t const rest = bytes.size() - i;
    if (rest == 1) {
        std::uint32_t const n = byte(i) << 16;
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
    } else if (rest == 2) {
        std::uint32_t const n = byte(i) << 16 | byte(i + 1) << 8;
        out += alphabet[n >> 18 & 63];
        out += alphabet[n >> 12 & 63];
        out += alphabet[n >> 6 & 63];
    }
    return out;
}

result<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return make_error_code(core_errc::invalid_base64url);
    std::string out;
    out.reserve(base64url_decoded_size(text.size()));
    std::uint32_t acc = 0;
    int bits = 0;
    for (char const c : text) {
        std::uint8_t const v = decode_table[static_cast<unsigned char>(c)];
        if (v == invalid) return make_error_code(core_errc::invalid_base64url);
        acc = (acc << 6 | v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(acc >> bits & 0xff);
        }
    }
    // RFC 4648 §3.5: the unused low bits of the last character must be zero (canonical form).
    if (bits > 0 && (acc & ((1U << bits) - 1)) != 0) {
        return make_error_code(core_errc::invalid_base64url);
    }
    return out;
}

}  // namespace warden
