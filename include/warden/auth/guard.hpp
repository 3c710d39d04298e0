#pragma once
// The guard: the C++ form of FastAPI's `Depends(get_current_active_user)` (SPEC §3). Built once;
// each route states its requirement with `require(...)`, and the HTTP layer runs it before the
// handler, which receives the `principal`. Checked on every request: the bearer header, the
// token's signature and claims, the revocation list, and the user as it is now (exists, active,
// sessions not revoked since the token was issued, scopes still held), read from a
// `subject_source`: the store, or the in-memory cache in front of it.
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/events.hpp>
#include <warden/auth/principal.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/auth/subject.hpp>
#include <warden/auth/tokens.hpp>

namespace warden::auth {

class guard {
  public:
    /// `counts`, when given, gets every refusal's reason (`events::token_rejected`).
    guard(token_service const& tokens, subject_source& subjects, events* counts = nullptr)
        : tokens_(tokens), subjects_(subjects), events_(counts) {}

    /// A route requirement: an authenticated, active user holding every scope of `scopes`.
    /// Satisfies `http::bearer_check`.
    class requirement {
      public:
        using principal_type = principal;
        [[nodiscard]] boost::asio::awaitable<result<principal>> authenticate(
            std::string_view authorization) const {
            return guard_->authenticate(authorization, scopes_, verified_);
        }
        [[nodiscard]] std::string required_scope() const { return join_scopes(scopes_); }
        [[nodiscard]] std::string log_identity(principal const& p) const {
            return std::to_string(p.user->id);
        }

      private:
        friend class guard;
        requirement(guard const& g, scope_list scopes, bool verified)
            : guard_(&g), scopes_(std::move(scopes)), verified_(verified) {}
        guard const* guard_;
        scope_list scopes_;
        bool verified_;
    };

    /// The requirement for a route; `scopes` need not be sorted.
    [[nodiscard]] requirement require(scope_list scopes = {}) const;
    /// As `require`, and the user's e-mail address must be verified (`subject::is_verified`;
    /// fastapi-users' `current_user(verified=True)`): otherwise `unverified_user` (403 Email not
    /// verified).
    [[nodiscard]] requirement require_verified(scope_list scopes = {}) const;

    /// Authenticates an `Authorization` header value. Errors: `missing_credentials` (absent, or
    /// not the Bearer scheme), the verifier's `jwt::errc` or `invalid_token` (both condition
    /// `invalid_token`), `token_revoked`, `user_gone`, `token_outdated`, `inactive_user`,
    /// `insufficient_scope`, `unverified_user` (with `verified`), store errors.
    [[nodiscard]] boost::asio::awaitable<result<principal>> authenticate(
        std::string_view authorization, scope_list const& required, bool verified = false) const;

    /// As `authenticate`, for the token itself (no header): what the guard accepts is also what
    /// introspection calls live. A client's token (client_credentials) names no user:
    /// `insufficient_scope` on every route that needs one.
    [[nodiscard]] boost::asio::awaitable<result<principal>> check(std::string_view token,
                                                                  scope_list const& required,
                                                                  bool verified = false) const;

  private:
    /// Counts a refusal by its reason (a store failure refuses no token: not counted here).
    error_code refused(error_code ec) const noexcept;

    token_service const& tokens_;
    subject_source& subjects_;
    events* events_;
};

/// The token of an `Authorization: Bearer <token>` value (scheme case-insensitive, RFC 6750
/// §2.1), or empty when the header is absent, of another scheme, or has no token.
[[nodiscard]] std::string_view bearer_token(std::string_view authorization) noexcept;

}  // namespace warden::auth
