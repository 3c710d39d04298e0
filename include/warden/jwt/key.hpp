#pragma once
// A signing or verification key bound to one algorithm (RFC 8725 §3.1). Immutable and cheap to
// copy (shared, reference-counted); safe to use from many threads at once. Secrets are wiped when
// the last copy goes away.
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>
#include <warden/jwt/algorithm.hpp>

namespace warden::jwt {

/// What a caller may set on a key it builds itself (JWKs carry these in the JWK).
struct key_options {
    std::string kid;  ///< key id put in the `kid` header and JWK; empty: none
};

class key {
  public:
    /// An HS* key from secret bytes. Errors: `key_alg_mismatch` (not HS*), `weak_key` (shorter
    /// than the hash output: HS256 needs >= 32 bytes, HS384 48, HS512 64).
    [[nodiscard]] static result<key> from_secret(algorithm alg, secret_bytes const& secret,
                                                 key_options options = {});

    /// An HS* key from a text secret used as its UTF-8 bytes, as PyJWT and python-jose use
    /// `SECRET_KEY`. Errors: `invalid_key` (not valid UTF-8), then as `from_secret`.
    [[nodiscard]] static result<key> from_utf8_secret(algorithm alg, std::string_view secret,
                                                      key_options options = {});

    /// An RS/PS/ES/EdDSA key from PEM: a private key (PKCS#8 or traditional) or a public key
    /// (SubjectPublicKeyInfo or PKCS#1). Encrypted PEM is refused. Errors: `invalid_key`,
    /// `unsupported_key`, `key_alg_mismatch`, `weak_key` (RSA < 2048 bits, e = 1, ROCA).
    [[nodiscard]] static result<key> from_pem(algorithm alg, std::string_view pem,
                                              key_options options = {});

    /// A key from a JWK (RFC 7517/7518/8037). The algorithm is the JWK's `alg`, or `alg` when
    /// given (both: they must agree), or implied by `crv` for EC and OKP keys. `use` must be
    /// "sig" and `key_ops` only "sign"/"verify" when present. Errors: `invalid_key`,
    /// `unsupported_key`, `key_alg_mismatch`, `missing_algorithm`, `key_use_mismatch`, `weak_key`.
    [[nodiscard]] static result<key> from_jwk(boost::json::object const& jwk,
                                              std::optional<algorithm> alg = std::nullopt);

    /// As above from JSON text (strict: duplicate members rejected). Extra error: `bad_json`.
    [[nodiscard]] static result<key> from_jwk(std::string_view jwk_json,
                                              std::optional<algorithm> alg = std::nullopt);

    /// A fresh random key: RSA of `rsa_bits` (>= 2048) for RS*/PS*, the matching curve for ES*,
    /// Ed25519 for EdDSA, a hash-sized secret for HS*. Errors: `weak_key` (rsa_bits < 2048),
    /// `invalid_options` (rsa_bits > 16384), `crypto_failure`.
    [[nodiscard]] static result<key> generate(algorithm alg, key_options options = {},
                                              unsigned rsa_bits = 2048);

    /// The one algorithm this key signs and verifies with.
    [[nodiscard]] algorithm alg() const noexcept;
    /// The key id; empty when none.
    [[nodiscard]] std::string_view kid() const noexcept;
    /// True for HS* secrets.
    [[nodiscard]] bool is_symmetric() const noexcept;
    /// True when the key holds private (or secret) material and may sign (`key_ops` allowing).
    [[nodiscard]] bool can_sign() const noexcept;
    /// True unless `key_ops` excludes "verify".
    [[nodiscard]] bool can_verify() const noexcept;

    /// The public half as a JWK with `kty`, `alg`, `use`:"sig", `kid` (when set) and the public
    /// parameters only. Errors: `not_exportable` (HS* secrets), `crypto_failure`.
    [[nodiscard]] result<boost::json::object> public_jwk() const;

    /// The public half as a SubjectPublicKeyInfo PEM. Errors: `not_exportable`, `crypto_failure`.
    [[nodiscard]] result<std::string> public_pem() const;

    /// The private key as unencrypted PKCS#8 PEM, wiped when dropped. Errors: `not_exportable`
    /// (HS*), `missing_private_key`, `crypto_failure`.
    [[nodiscard]] result<secret_bytes> private_pem() const;

    /// The RFC 7638 JWK SHA-256 thumbprint, base64url: a stable `kid` for asymmetric keys.
    /// Errors: `not_exportable` (HS*), `crypto_failure`.
    [[nodiscard]] result<std::string> thumbprint() const;

    /// The same key without its private half (and without `sign` rights). Errors:
    /// `not_exportable` (HS*).
    [[nodiscard]] result<key> public_key() const;

    struct impl;

  private:
    explicit key(std::shared_ptr<impl const> p) noexcept : impl_(std::move(p)) {}
    std::shared_ptr<impl const> impl_;
    friend struct key_access;
};

}  // namespace warden::jwt
