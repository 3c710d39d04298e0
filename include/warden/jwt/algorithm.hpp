#pragma once
// The JWS algorithms of RFC 7518 and RFC 8037 that warden implements. A key is bound to exactly
// one of them (RFC 8725 §3.1); the verifier never takes the algorithm from the token alone.
#include <cstddef>
#include <optional>
#include <string_view>

namespace warden::jwt {

enum class algorithm {
    hs256,
    hs384,
    hs512,
    rs256,
    rs384,
    rs512,
    ps256,
    ps384,
    ps512,
    es256,
    es384,
    es512,
    eddsa,
};

/// The family of keys an algorithm needs.
enum class key_type {
    oct,  ///< a shared secret (HS*)
    rsa,  ///< RSA (RS*, PS*)
    ec,   ///< NIST curve P-256/P-384/P-521 (ES*)
    okp,  ///< Ed25519 (EdDSA)
};

/// The registered `alg` name, e.g. "HS256", "EdDSA".
[[nodiscard]] std::string_view to_string(algorithm alg) noexcept;

/// The algorithm named exactly (case-sensitive) `name`; nullopt for "none" and anything unknown.
[[nodiscard]] std::optional<algorithm> algorithm_from_string(std::string_view name) noexcept;

/// The key type `alg` needs.
[[nodiscard]] key_type key_type_of(algorithm alg) noexcept;

/// True for HS256/384/512.
[[nodiscard]] constexpr bool is_symmetric(algorithm alg) noexcept {
    return alg == algorithm::hs256 || alg == algorithm::hs384 || alg == algorithm::hs512;
}

/// Output size of the algorithm's hash in bytes (32/48/64; 64 for EdDSA's SHA-512).
[[nodiscard]] std::size_t hash_size(algorithm alg) noexcept;

}  // namespace warden::jwt
