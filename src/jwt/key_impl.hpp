#pragma once
// The inside of `jwt::key`: the algorithm binding, key id, permitted operations and the OpenSSL
// material (a keyed HMAC for HS*, an EVP_PKEY otherwise).
#include <optional>
#include <string>
#include <string_view>
#include <warden/jwt/key.hpp>

#include "jwt/openssl/hmac.hpp"
#include "jwt/openssl/pkey.hpp"

namespace warden::jwt {

struct key::impl {
    algorithm alg = algorithm::hs256;
    std::string kid;
    bool can_sign = false;
    bool can_verify = true;
    std::optional<openssl::hmac> mac;  // HS*
    openssl::pkey_ptr pkey;            // RS*, PS*, ES*, EdDSA
    openssl::pkey_info info{};

    /// True when `sig` is this key's valid signature (or full MAC) of `data`.
    [[nodiscard]] bool verify(std::string_view data, std::string_view sig) const noexcept;
    /// The signature (or MAC) of `data`. Errors: `errc::crypto_failure`.
    [[nodiscard]] result<std::string> sign(std::string_view data) const;
};

struct key_access {
    [[nodiscard]] static key::impl const& impl(key const& k) noexcept { return *k.impl_; }
    [[nodiscard]] static key make(std::shared_ptr<key::impl const> p) noexcept {
        return key{std::move(p)};
    }
};

/// Policy shared by every way of making an asymmetric key: the key fits `alg` (type and curve),
/// RSA keys pass the JOSE RSA policy, private and public halves agree. Sets `info`.
/// Errors: `key_alg_mismatch`, `weak_key`, `invalid_key`, `unsupported_key`.
[[nodiscard]] result<key> make_asymmetric_key(algorithm alg, openssl::pkey_ptr pkey,
                                              std::string kid, bool may_sign, bool may_verify);

/// An HS* key: `secret` at least as long as the hash (RFC 7518 §3.2).
/// Errors: `key_alg_mismatch`, `weak_key`, `key_use_mismatch` (neither sign nor verify allowed).
[[nodiscard]] result<key> make_symmetric_key(algorithm alg, secret_bytes const& secret,
                                             std::string kid, bool may_sign, bool may_verify);

/// The curve ES* needs ("P-256"...), empty for other algorithms.
[[nodiscard]] std::string_view curve_of(algorithm alg) noexcept;

}  // namespace warden::jwt
