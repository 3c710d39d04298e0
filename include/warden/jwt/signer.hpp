#pragma once
// Signs claims into a compact JWT (RFC 7515 §7.1) with one key. The header is fixed at creation:
// `{"alg":..,"kid":..,"typ":..}` with members in that (sorted) order, as PyJWT writes it. Safe to
// use from many threads at once.
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/jwt/key.hpp>

namespace warden::jwt {

struct signer_options {
    std::string typ = "JWT";  ///< the `typ` header; empty: none
    bool include_kid = true;  ///< put the key's `kid` (when it has one) in the header
};

class signer {
  public:
    /// A signer with `k`. Errors: `missing_private_key` (a public key), `key_use_mismatch`
    /// (`key_ops` exclude "sign").
    [[nodiscard]] static result<signer> create(key k, signer_options const& options = {});

    /// The compact JWT of `claims` (serialized as given). Errors: `claim_wrong_type` (`exp`,
    /// `nbf` or `iat` not a number; `iss`, `sub`, `jti` not a string; `aud` not a string or array
    /// of strings), `crypto_failure`.
    [[nodiscard]] result<std::string> sign(boost::json::object const& claims) const;

    /// A compact JWS of arbitrary payload bytes (no claim rules). Errors: `crypto_failure`.
    [[nodiscard]] result<std::string> sign_payload(std::string_view payload) const;

    /// The key it signs with.
    [[nodiscard]] key const& signing_key() const noexcept;

    struct state;

  private:
    explicit signer(std::shared_ptr<state const> s) noexcept : state_(std::move(s)) {}
    std::shared_ptr<state const> state_;
};

}  // namespace warden::jwt
