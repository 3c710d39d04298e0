#pragma once
// passlib's pbkdf2_sha256 (verified, never produced):
//   `$pbkdf2-sha256$<rounds>$<salt>$<digest>`, PBKDF2-HMAC-SHA256 with a 32-byte digest, salt
//   and digest in passlib's "adapted base64" (standard alphabet with `.` for `+`, no padding).
#include <cstdint>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/verdict.hpp>

namespace warden::password {

inline constexpr std::size_t pbkdf2_sha256_digest_size = 32;
inline constexpr std::size_t pbkdf2_sha256_max_salt = 1024;  // passlib's max_salt_size

struct pbkdf2_sha256_hash {
    std::uint32_t rounds = 0;  ///< 1..2^32-1 as passlib allows
    std::string salt;          ///< raw bytes, 0..1024
    std::string digest;        ///< raw bytes, 32
};

/// Parses exactly (rounds without leading zeros, canonical ab64); `errc::malformed_hash` otherwise.
[[nodiscard]] result<pbkdf2_sha256_hash> parse_pbkdf2_sha256(std::string_view text);

/// Whether PBKDF2-HMAC-SHA256 of `password` gives the stored digest; constant-time compare.
/// `errc::hash_failed` if OpenSSL fails or the rounds exceed what it takes (INT_MAX).
[[nodiscard]] result<verdict> verify_pbkdf2_sha256(pbkdf2_sha256_hash const& stored,
                                                   std::string_view password);

}  // namespace warden::password
