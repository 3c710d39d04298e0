#pragma once
// Asymmetric keys as EVP_PKEY: import from PEM and from JWK parameters (EVP_PKEY_fromdata),
// inspection, JOSE key policy checks, export and generation. Never the deprecated RSA/EC_KEY API.
#include <cstddef>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>
#include <warden/jwt/algorithm.hpp>

#include "jwt/openssl/handles.hpp"

namespace warden::jwt::openssl {

struct pkey_info {
    key_type type;
    std::string_view curve;  ///< JOSE name "P-256", "P-384", "P-521", "Ed25519"; empty for RSA
    unsigned bits;           ///< modulus or group size
    bool has_private;
};

/// What kind of key this is. Errors: `errc::unsupported_key` (DSA, DH, RSA-PSS-restricted keys,
/// curves other than P-256/384/521 and Ed25519).
[[nodiscard]] result<pkey_info> inspect(EVP_PKEY* key);

/// A key from PEM text (private: PKCS#8 or traditional; public: SPKI or PKCS#1). Encrypted PEM
/// is refused, never prompted for. Errors: `errc::invalid_key`.
[[nodiscard]] result<pkey_ptr> from_pem(std::string_view pem);

/// RSA parameters as unsigned big-endian bytes; the private ones empty for a public key. Either
/// only `d`, or `d` with all CRT parameters.
struct rsa_params {
    std::string n, e;
    secret_bytes d, p, q, dp, dq, qi;
};
/// Errors: `errc::invalid_key` (missing or inconsistent parameters).
[[nodiscard]] result<pkey_ptr> rsa_from_params(rsa_params const& params);

/// An EC key on `curve` ("P-256"...) from x, y (each exactly the field size) and, for a private
/// key, d. Errors: `errc::invalid_key` (wrong sizes, point not on the curve, d not matching).
[[nodiscard]] result<pkey_ptr> ec_from_params(std::string_view curve, std::string_view x,
                                              std::string_view y, secret_bytes const& d);

/// An Ed25519 key from the 32-byte public `x` and, for a private key, the 32-byte seed `d`.
/// Errors: `errc::invalid_key` (sizes, or d not matching x).
[[nodiscard]] result<pkey_ptr> ed25519_from_params(std::string_view x, secret_bytes const& d);

/// JOSE policy for RSA keys: modulus 2048..16384 bits and odd, public exponent odd and >= 3, and
/// not a ROCA-vulnerable modulus (CVE-2017-15361). Errors: `errc::weak_key`, `errc::invalid_key`,
/// `errc::unsupported_key` (> 16384 bits).
[[nodiscard]] result<void> check_rsa_policy(EVP_PKEY* key);

/// For a private key: its private half matches its public half (pairwise consistency). For an
/// EC public key: the point is valid. Errors: `errc::invalid_key`.
[[nodiscard]] result<void> check_consistency(EVP_PKEY* key, pkey_info const& info);

struct rsa_public {
    std::string n, e;
};
struct ec_public {
    std::string x, y;
};
/// Public parameters for JWK export (big-endian, EC coordinates padded to the field size).
/// Errors: `errc::crypto_failure`.
[[nodiscard]] result<rsa_public> rsa_public_params(EVP_PKEY* key);
[[nodiscard]] result<ec_public> ec_public_params(EVP_PKEY* key, std::size_t field_size);
[[nodiscard]] result<std::string> ed25519_public_param(EVP_PKEY* key);

/// A copy of the key without its private half. Errors: `errc::crypto_failure`.
[[nodiscard]] result<pkey_ptr> public_only(EVP_PKEY* key);
/// SubjectPublicKeyInfo PEM. Errors: `errc::crypto_failure`.
[[nodiscard]] result<std::string> to_public_pem(EVP_PKEY* key);
/// Unencrypted PKCS#8 PEM. Errors: `errc::crypto_failure`.
[[nodiscard]] result<secret_bytes> to_private_pem(EVP_PKEY* key);

/// Fresh keys from the OpenSSL CSPRNG. Errors: `errc::crypto_failure`.
[[nodiscard]] result<pkey_ptr> generate_rsa(unsigned bits);
[[nodiscard]] result<pkey_ptr> generate_ec(std::string_view curve);
[[nodiscard]] result<pkey_ptr> generate_ed25519();

}  // namespace warden::jwt::openssl
