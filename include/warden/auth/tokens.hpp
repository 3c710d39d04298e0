#pragma once
// Access tokens (JWT, SPEC §3) and opaque refresh tokens: minting and reading. Pure CPU work,
// no store access: safe on I/O threads and from many threads at once.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warden/auth/live_keys.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/result.hpp>
#include <warden/jwt/signer.hpp>
#include <warden/jwt/verifier.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

struct token_settings {
    std::chrono::seconds access_ttl{30 * 60};
    std::chrono::seconds refresh_ttl{14 * 24 * 3600};
    std::string issuer;    ///< `iss` claim when not empty
    std::string audience;  ///< `aud` claim when not empty
};

/// What the guard needs from a verified access token.
struct access_claims {
    store::user_id user = 0;         ///< 0 for a client's token
    std::string client_id;           ///< a client's token (client_credentials): `sub`; else empty
    std::string jti;                 ///< empty for tokens minted elsewhere without one
    std::string session_id;          ///< `sid`: the refresh-token family; empty if none
    std::int64_t token_version = 0;  ///< `ver`; 0 when absent (tokens minted elsewhere)
    scope_list scopes;               ///< the `scope` claim
    std::int64_t expires_at = 0;
    std::int64_t issued_at = 0;  ///< `iat`; 0 when absent
};

struct issued_access_token {
    std::string token;
    std::string jti;
    std::int64_t expires_at = 0;
};

/// A refresh token as given to the client, and the hash the store keeps instead of it.
struct issued_refresh_token {
    std::string token;
    std::string hash;
    std::int64_t expires_at = 0;
};

class token_service {
  public:
    /// `clock` must outlive the service; `verifier` must trust `signer`'s key.
    token_service(jwt::signer signer, jwt::verifier verifier, token_settings settings,
                  warden::clock const& clock);

    /// Signs with `current` from now on and verifies with `verification_keys` (their public
    /// halves, `current`'s included), with the verifier options in use; requests on other threads
    /// see the change from their next call (a rotation). Errors: those of `jwt::signer::create`,
    /// `jwt::key_set::from_keys`, `jwt::verifier::create`, `public_jwks`.
    [[nodiscard]] result<void> use_keys(jwt::key const& current,
                                        std::vector<jwt::key> verification_keys);

    /// Signs `{"sub", "exp", "iat", "jti", "scope", "sid", "ver"}` (+ `iss`/`aud` when set) for
    /// `user`. Errors: the signer's, `core_errc::random_failed`.
    [[nodiscard]] result<issued_access_token> issue_access(store::user const& user,
                                                           scope_list const& scopes,
                                                           std::string_view session_id) const;

    /// Signs `{"sub", "client_id", "exp", "iat", "jti", "scope"}` (+ `iss`/`aud` when set) for an
    /// OAuth2 client (client_credentials grant): `sub` and `client_id` are `client_id`, which is
    /// never all digits (a `sub` of digits names a user). Errors: the signer's,
    /// `core_errc::random_failed`.
    [[nodiscard]] result<issued_access_token> issue_client_access(std::string_view client_id,
                                                                  scope_list const& scopes) const;

    /// Verifies an access token and reads its claims. `sub` must be a user id in decimal (as the
    /// FastAPI pattern writes `str(user.id)`), or, with a `client_id` claim, equal to it (a
    /// client's token). Errors: the verifier's `jwt::errc` (which check refused the token),
    /// `errc::invalid_token` (`sub`, `client_id`, `sid`, `ver` or `scope` unreadable); all of
    /// condition `invalid_token`, which is all a client is told.
    [[nodiscard]] result<access_claims> read_access(std::string_view token) const;

    /// A fresh opaque refresh token (256 bits, base64url) with its expiry and its hash.
    /// Errors: `core_errc::random_failed`.
    [[nodiscard]] result<issued_refresh_token> issue_refresh() const;

    /// The hash under which a refresh token is stored (SHA-256).
    [[nodiscard]] static std::string refresh_token_hash(std::string_view token);

    /// A new random id for a refresh-token family. Errors: `core_errc::random_failed`.
    [[nodiscard]] static result<std::string> new_session_id();

    [[nodiscard]] token_settings const& settings() const noexcept { return settings_; }
    /// The verifier in use: valid on this thread until its next call into this service.
    [[nodiscard]] jwt::verifier const& verifier() const { return keys_.get().verifier; }
    /// The public keys that verify, as a JWK Set (`{"keys": []}` with HS*).
    [[nodiscard]] boost::json::object public_jwks() const { return keys_.get().public_jwks; }
    [[nodiscard]] std::int64_t now() const noexcept { return to_unix_seconds(clock_.now()); }

  private:
    live_keys keys_;  ///< the signer and verifier, replaced by `use_keys`
    token_settings settings_;
    warden::clock const& clock_;
};

}  // namespace warden::auth
