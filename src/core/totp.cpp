#include <warden/core/totp.hpp>

#include <array>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace warden {

std::string hotp_code(secret_bytes const& key, std::int64_t step) {
    std::array<unsigned char, 8> counter{};
    auto value = static_cast<std::uint64_t>(step);
    for (auto it = counter.rbegin(); it != counter.rend(); ++it, value >>= 8U)
        *it = static_cast<unsigned char>(value & 0xFFU);
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_size = 0;
    auto const secret = key.view();
    // HMAC() cannot fail with SHA-1 and a key of any length but for lack of memory; an all-zero
    // MAC then gives a code no caller accepts by chance more than any other.
    (void)HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), counter.data(),
               counter.size(), mac.data(), &mac_size);
    // Dynamic truncation: four bytes at the offset the last nibble names, top bit cleared.
    auto const offset = mac[19] & 0x0FU;
    std::uint32_t const binary = (static_cast<std::uint32_t>(mac[offset] & 0x7FU) << 24U) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16U) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8U) |
                                 static_cast<std::uint32_t>(mac[offset + 3]);
    auto code = std::to_string(binary % 1'000'000U);
    code.insert(0, totp_digits - code.size(), '0');
    return code;
}

std::string base32_encode(std::string_view bytes) {
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char const c : bytes) {
        buffer = (buffer << 8U) | static_cast<unsigned char>(c);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += alphabet[(buffer >> static_cast<unsigned>(bits)) & 0x1FU];
        }
    }
    if (bits > 0) out += alphabet[(buffer << static_cast<unsigned>(5 - bits)) & 0x1FU];
    return out;
}

}  // namespace warden
