#pragma once
// Asymmetric JWS signatures (RFC 7518 §3.3-3.5, RFC 8037 §3.1) with EVP_DigestSign/Verify:
// RSASSA-PKCS1-v1_5, RSASSA-PSS (MGF1 with the same hash, salt = hash length), ECDSA with raw
// r||s signatures, and Ed25519.
#include <openssl/types.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/jwt/algorithm.hpp>

namespace warden::jwt::openssl {

/// Bytes of each of r and s in an ES* signature: 32, 48, 66 (0 for other algorithms).
[[nodiscard]] std::size_t ecdsa_field_size(algorithm alg) noexcept;

/// True when `sig` is a valid `alg` signature of `data` under `key`. The signature must have the
/// exact size of the algorithm: the modulus size for RS/PS, 2 x field size for ES (never DER), 64
/// bytes for EdDSA. `alg` must be asymmetric and fit the key (the caller binds them).
[[nodiscard]] bool verify_signature(EVP_PKEY* key, algorithm alg, std::string_view data,
                                    std::string_view sig) noexcept;

/// The `alg` signature of `data` with the private `key` (ES*: r||s). Errors:
/// `errc::crypto_failure`.
[[nodiscard]] result<std::string> sign(EVP_PKEY* key, algorithm alg, std::string_view data);

}  // namespace warden::jwt::openssl
