#pragma once
// Token introspection (RFC 7662): whether a token is live now, and what it carries. An access
// token is live when the guard would accept it (for a client's token: the client still exists
// and the token is not revoked); a refresh token when it is unspent, unexpired and its family
// not revoked. Every other token is simply not live: the answer never says why.
#include <cstdint>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/clients.hpp>
#include <warden/auth/database.hpp>
#include <warden/auth/guard.hpp>
#include <warden/auth/tokens.hpp>

namespace warden::auth {

/// RFC 7662 §2.2's answer; only `active` is meaningful when it is false.
struct token_introspection {
    bool active = false;
    std::string token_type;  ///< "access_token" or "refresh_token"
    std::string scope;
    std::string client_id;  ///< a client's access token: the client; else empty
    std::string sub;        ///< the user id in decimal, or the client id
    std::int64_t expires_at = 0;
    std::int64_t issued_at = 0;
    std::string jti;  ///< access tokens
};

class introspection_service {
  public:
    introspection_service(token_service const& tokens, guard const& checks, client_service& clients,
                          database& db)
        : tokens_(tokens), guard_(checks), clients_(clients), db_(db) {}

    /// What `token` is now. Errors: store errors only (an unreadable token is not live).
    [[nodiscard]] boost::asio::awaitable<result<token_introspection>> introspect(std::string token);

  private:
    [[nodiscard]] boost::asio::awaitable<result<token_introspection>> refresh_token(
        std::string token);

    token_service const& tokens_;
    guard const& guard_;
    client_service& clients_;
    database& db_;
};

}  // namespace warden::auth
