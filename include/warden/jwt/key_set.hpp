#pragma once
// A set of keys, as in a JWK Set (RFC 7517 §5): what a verifier trusts. Policy (Wycheproof
// "JsonWebKey"): `kid`s are unique and symmetric (HS*) keys are never mixed with asymmetric ones,
// so a token can never pick a key of another kind.
#include <boost/json/object.hpp>
#include <cstddef>
#include <string_view>
#include <vector>
#include <warden/core/result.hpp>
#include <warden/jwt/key.hpp>

namespace warden::jwt {

class key_set {
  public:
    key_set() = default;

    /// A set of the given keys. Errors: `duplicate_kid`, `mixed_key_set`.
    [[nodiscard]] static result<key_set> from_keys(std::vector<key> keys);

    /// A set from a JWK Set object `{"keys":[...]}`; every JWK as `key::from_jwk` (each needs an
    /// `alg` or a `crv` implying one). Errors: `invalid_key` (no `keys` array), those of
    /// `key::from_jwk`, `duplicate_kid`, `mixed_key_set`.
    [[nodiscard]] static result<key_set> from_jwks(boost::json::object const& jwks);

    /// As above from JSON text (strict). Extra errors: `bad_json`, `duplicate_member`, `too_deep`.
    [[nodiscard]] static result<key_set> from_jwks(std::string_view jwks_json);

    /// Adds a key. Errors: `duplicate_kid`, `mixed_key_set` (the set is unchanged then).
    [[nodiscard]] result<void> add(key k);

    /// The key with this `kid`, or nullptr.
    [[nodiscard]] key const* find(std::string_view kid) const noexcept;

    /// The public JWK Set `{"keys":[...]}` of the asymmetric keys (HS* secrets have no public
    /// form and are left out, so an HS-only set gives `{"keys":[]}`). Errors: `crypto_failure`.
    [[nodiscard]] result<boost::json::object> public_jwks() const;

    /// The keys, in the order they were added.
    [[nodiscard]] std::vector<key> const& keys() const noexcept { return keys_; }
    /// Number of keys.
    [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
    /// True when the set has no key.
    [[nodiscard]] bool empty() const noexcept { return keys_.empty(); }
    /// Iteration over the keys.
    [[nodiscard]] auto begin() const noexcept { return keys_.begin(); }
    /// End of the iteration.
    [[nodiscard]] auto end() const noexcept { return keys_.end(); }

  private:
    std::vector<key> keys_;
};

}  // namespace warden::jwt
