#pragma once
// Argon2 PHC strings through libargon2: `$argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>` with
// standard base64 without padding, exactly as libargon2, argon2-cffi and passlib write them.
#include <cstdint>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/options.hpp>
#include <warden/password/scheme.hpp>
#include <warden/password/verdict.hpp>

namespace warden::password {

inline constexpr std::uint32_t argon2_version_10 = 0x10;
inline constexpr std::uint32_t argon2_version_13 = 0x13;
inline constexpr std::size_t argon2_salt_size = 16;    // RFC 9106 §4: 128 bits
inline constexpr std::size_t argon2_digest_size = 32;  // RFC 9106 §4: 256 bits

struct argon2_phc {
    scheme kind = scheme::argon2id;  ///< argon2id or argon2i
    std::uint32_t version = argon2_version_13;
    argon2_params params;
    std::string salt;    ///< raw bytes, at least 8
    std::string digest;  ///< raw bytes, at least 4
};

/// Parses `$argon2id$` / `$argon2i$` strings; `v=` is 16 or 19 (absent: 16, the pre-1.3 form).
/// `errc::malformed_hash` for anything else, including parameters libargon2 would refuse.
[[nodiscard]] result<argon2_phc> parse_argon2(std::string_view text);

/// The PHC string of `h` (always with `v=`).
[[nodiscard]] std::string format_argon2(argon2_phc const& h);

/// A new argon2id (v=19) hash of `password` with a fresh salt from the OS CSPRNG.
[[nodiscard]] result<std::string> hash_argon2id(std::string_view password,
                                                argon2_params const& params);

/// A well-formed argon2id hash with `params`, a fresh salt and a random digest instead of a
/// computed one: no password is known to match it, and verifying against it costs a real verify
/// (`context::dummy_verify`) without spending a hash to make it.
[[nodiscard]] result<std::string> unmatchable_argon2id(argon2_params const& params);

/// Recomputes the digest for `password` and compares it in constant time.
[[nodiscard]] result<verdict> verify_argon2(argon2_phc const& stored, std::string_view password);

}  // namespace warden::password
