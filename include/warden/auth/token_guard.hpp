#pragma once
// A guard for a resource server: another service's API that accepts wardend's access tokens,
// verified against wardend's published JWK Set (`remote_key_set`), with no store, no shared
// secret and no database. It checks the bearer header, the signature, `exp` (and `nbf`, `iat`),
// `iss` and `aud` when the key set's verifier options name them, and the route's scopes.
//
// NO REVOCATION CHECK: it never asks wardend, so a token revoked there (logout, a password
// change, a deactivated user) stays valid here until its `exp`. Keep access tokens short
// (`--access-token-ttl`), or ask wardend's `/api/auth/introspect` where a revoked token must be
// refused at once.
//
// Answers as SPEC §3's guard: no bearer header -> `missing_credentials` (401 "Not
// authenticated"); a bad, expired or foreign token -> condition `invalid_token` (401
// `error="invalid_token"`); a missing scope -> `insufficient_scope` (403 with the scope); no key
// set fetched yet -> `jwks_errc::key_set_unavailable` (503).
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/remote_key_set.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/core/result.hpp>

namespace warden::auth {

/// The caller as its verified token describes it.
struct token_principal {
    std::string subject;    ///< `sub`: a user id, or a client id for client credentials
    std::string client_id;  ///< `client_id` claim; empty when absent
    std::string jti;        ///< empty when absent
    scope_list scopes;      ///< the `scope` claim, sorted
    std::int64_t expires_at = 0;
};

class token_guard {
  public:
    /// `keys` must outlive the guard.
    explicit token_guard(remote_key_set& keys) : keys_(keys) {}

    /// A route requirement: a valid token holding every scope of `scopes`. Satisfies
    /// `http::bearer_check`.
    class requirement {
      public:
        using principal_type = token_principal;
        [[nodiscard]] boost::asio::awaitable<result<token_principal>> authenticate(
            std::string_view authorization) const {
            return guard_->authenticate(std::string{authorization}, scopes_);
        }
        [[nodiscard]] std::string required_scope() const { return join_scopes(scopes_); }
        [[nodiscard]] std::string log_identity(token_principal const& p) const { return p.subject; }

      private:
        friend class token_guard;
        requirement(token_guard const& g, scope_list scopes)
            : guard_(&g), scopes_(std::move(scopes)) {}
        token_guard const* guard_;
        scope_list scopes_;
    };

    /// The requirement for a route; `scopes` need not be sorted.
    [[nodiscard]] requirement require(scope_list scopes = {}) const;

    /// Authenticates an `Authorization` header value. A token whose `kid` the current set lacks
    /// makes the set fetch again (at most once per `min_refetch_interval`) before it is refused.
    /// Errors: `missing_credentials`; the verifier's `jwt::errc` or `errc::invalid_token` (`sub`
    /// missing, `scope` or `client_id` unreadable), all of condition `invalid_token`;
    /// `insufficient_scope`; `jwks_errc::key_set_unavailable`.
    [[nodiscard]] boost::asio::awaitable<result<token_principal>> authenticate(
        std::string authorization, scope_list const& required) const;

  private:
    remote_key_set& keys_;
};

}  // namespace warden::auth
