#pragma once
// bcrypt through libxcrypt (`crypt_rn`, `crypt_gensalt_rn`): `$2b$NN$<22 salt><31 digest>`,
// verifying `$2a$` and `$2y$` too (the same algorithm in libxcrypt for passwords under 255 bytes).
#include <cstddef>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/verdict.hpp>

namespace warden::password {

/// bcrypt reads at most this many bytes of a password.
inline constexpr std::size_t bcrypt_max_password = 72;
inline constexpr unsigned bcrypt_min_rounds = 4;
inline constexpr unsigned bcrypt_max_rounds = 31;
inline constexpr std::size_t bcrypt_salt_chars = 22;
inline constexpr std::size_t bcrypt_digest_chars = 31;

struct bcrypt_hash {
    std::string text;            ///< the whole 60-character string
    char minor = 'b';            ///< 'a', 'b' or 'y'
    unsigned rounds = 0;         ///< log2 of the cost, 4..31
    bool canonical_salt = true;  ///< the salt's last character has its 4 unused bits at zero
};

/// Parses `$2a$`/`$2b$`/`$2y$` strings exactly; `errc::malformed_hash` otherwise.
[[nodiscard]] result<bcrypt_hash> parse_bcrypt(std::string_view text);

/// A new `$2b$` hash with a fresh 16-byte salt from the OS CSPRNG. The caller has checked that
/// `password` has at most 72 bytes and no NUL.
[[nodiscard]] result<std::string> hash_bcrypt(std::string_view password, unsigned rounds);

/// A well-formed `$2b$` hash at `rounds` with a fresh salt and a random digest instead of a
/// computed one (see `unmatchable_argon2id`).
[[nodiscard]] result<std::string> unmatchable_bcrypt(unsigned rounds);

/// Whether the first 72 bytes of `password` (all bcrypt ever reads, so passlib's hashes of
/// longer passwords verify as passlib made them) give the stored digest; constant-time compare.
[[nodiscard]] result<verdict> verify_bcrypt(bcrypt_hash const& stored, std::string_view password);

/// The 31-character digest of bcrypt over `key` (first 72 bytes, no NUL) with `setting`
/// (`$2?$NN$` + 22 salt characters). `errc::password_contains_nul` for a NUL in those 72 bytes,
/// `errc::hash_failed` if libxcrypt refuses.
[[nodiscard]] result<std::string> bcrypt_digest(std::string_view key, std::string_view setting);

}  // namespace warden::password
