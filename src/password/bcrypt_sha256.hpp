#pragma once
// passlib's bcrypt_sha256 (verified, never produced), which lifts bcrypt's 72-byte limit:
//   v2 (passlib >= 1.7.3): `$bcrypt-sha256$v=2,t=2b,r=12$<salt>$<digest>`
//       key = base64(HMAC-SHA256(key = the 22 salt characters as ASCII, message = password))
//   v1 (passlib 1.6.2 - 1.7.2): `$bcrypt-sha256$2b,12$<salt>$<digest>` (or `2a`)
//       key = base64(SHA-256(password))
// then bcrypt(key, `$2b$12$<salt>`) gives the 31-character digest. base64 is standard with `=`
// padding (44 characters), as Python's b64encode writes it.
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/verdict.hpp>

namespace warden::password {

struct bcrypt_sha256_hash {
    int version = 2;      ///< 1 or 2
    char minor = 'b';     ///< the bcrypt variant: 'b' (v2), 'a' or 'b' (v1)
    unsigned rounds = 0;  ///< 4..31
    std::string salt;     ///< 22 bcrypt-base64 characters
    std::string digest;   ///< 31 bcrypt-base64 characters
};

/// Parses v2 and v1 strings exactly as passlib's regular expressions do (rounds without leading
/// zeros); a v2 salt with stray padding bits (which passlib refuses to use) is malformed.
/// `errc::malformed_hash` otherwise.
[[nodiscard]] result<bcrypt_sha256_hash> parse_bcrypt_sha256(std::string_view text);

/// Whether `password` (whole: no 72-byte limit here) gives the stored digest.
[[nodiscard]] result<verdict> verify_bcrypt_sha256(bcrypt_sha256_hash const& stored,
                                                   std::string_view password);

}  // namespace warden::password
