#pragma once
// Sessions: refresh-token families (one login = one family), rotation with reuse detection
// (RFC 9700 §4.14), logout and revocation (RFC 7009).
//
// Rotation has no grace window: a refresh token works exactly once. Two clients racing the same
// token: one gets the new pair; the other presents a spent token, which cannot be told apart
// from a stolen one, so the whole family is revoked (including the winner's new tokens) and both
// must log in again. Clients that share a session must serialize their refreshes. The spend and
// the new grant are one store transaction (`store::session_store::rotate_refresh`), so of N
// racing presenters, in one process or several, exactly one gets the pair: the others find the
// token spent only after it is issued, never in between (where the winner would get an error).
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/auth/events.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/auth/tokens.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

/// The token endpoint's success body (RFC 6749 §5.1).
struct token_response {
    std::string access_token;
    std::int64_t expires_in = 0;
    std::string refresh_token;
    std::string scope;
};

class session_service {
  public:
    /// `counts`, when given, gets every refresh grant's outcome (`events::refresh`).
    session_service(token_service const& tokens, database& db, events* counts = nullptr)
        : tokens_(tokens), db_(db), events_(counts) {}

    /// A new family for a user who just proved their password against `user.password_hash`,
    /// carrying `scopes`; `rehash` (when not empty) replaces that hash in the same transaction.
    /// Recorded only if the user's row is still as read (hash, token version, active).
    /// Errors: `store::errc::credentials_changed` (it changed meanwhile: no session),
    /// `store::errc::not_found` (the user is gone), other store errors, token errors.
    [[nodiscard]] boost::asio::awaitable<result<token_response>> start(store::user user,
                                                                       scope_list scopes,
                                                                       std::string rehash = {});

    /// `grant_type=refresh_token`: spends the token and returns a new pair in the same family.
    /// `requested` narrows the access token's scopes (never widens). Errors:
    /// `invalid_refresh_token` (unknown, expired, revoked family), `refresh_token_reused` (the
    /// family is revoked first), `user_not_eligible`, `scope_not_granted`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<token_response>> refresh(
        std::string refresh_token, std::optional<scope_list> requested);

    /// Logout: revokes the family `session_id` (when not empty) and the access token `jti`
    /// (when not empty) until `expires_at`. Errors: store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> end(std::string session_id, std::string jti,
                                                           std::int64_t expires_at);

    /// RFC 7009: revokes a refresh token's family, or an access token's `jti`. Unknown,
    /// malformed or already revoked tokens succeed too. `hint` is "access_token",
    /// "refresh_token" or anything else (ignored). Errors: store errors only.
    [[nodiscard]] boost::asio::awaitable<result<void>> revoke(std::string token, std::string hint);

    /// Revokes every family of `user` but `keep_session` (empty: all), with their access tokens.
    [[nodiscard]] boost::asio::awaitable<result<void>> revoke_user_sessions(
        store::user_id user, std::string keep_session);

  private:
    /// A freshly minted pair in `family` and its store record.
    struct minted {
        token_response response;
        store::grant record;
    };
    [[nodiscard]] result<minted> mint(store::user const& user, scope_list const& scopes,
                                      std::string const& family,
                                      std::string const& refresh_scope) const;
    /// The refresh grant itself; `refresh` counts its outcome.
    [[nodiscard]] boost::asio::awaitable<result<token_response>> rotate(
        std::string refresh_token, std::optional<scope_list> requested);

    token_service const& tokens_;
    database& db_;
    events* events_;
};

}  // namespace warden::auth
