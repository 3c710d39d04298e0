#include <warden/auth/introspection.hpp>

#include <warden/core/condition.hpp>

namespace warden::auth {
namespace {

namespace asio = boost::asio;

/// A failure to answer (a store or pool that is down), not a verdict on the token.
bool cannot_answer(error_code ec) noexcept {
    return ec == condition::unavailable || ec == condition::internal;
}

}  // namespace

asio::awaitable<result<token_introspection>> introspection_service::introspect(std::string token) {
    if (token.empty()) co_return token_introspection{};
    auto const claims = tokens_.read_access(token);
    // A refresh token is opaque: it never verifies as a JWT.
    if (!claims) co_return co_await refresh_token(std::move(token));
    token_introspection out{true,
                            "access_token",
                            join_scopes(claims->scopes),
                            claims->client_id,
                            claims->client_id,
                            claims->expires_at,
                            claims->issued_at,
                            claims->jti};
    if (!claims->client_id.empty()) {
        auto const live = co_await clients_.token_is_live(claims->client_id, claims->jti);
        if (!live) co_return live.error();
        if (!*live) co_return token_introspection{};
        co_return out;
    }
    // A user's token: exactly what the guard decides (user exists and is active, token neither
    // revoked nor outdated), with the scopes it would grant now.
    auto const accepted = co_await guard_.check(token, {});
    if (!accepted) {
        if (cannot_answer(accepted.error())) co_return accepted.error();
        co_return token_introspection{};
    }
    out.scope = join_scopes(accepted->scopes);
    out.sub = std::to_string(claims->user);
    co_return out;
}

asio::awaitable<result<token_introspection>> introspection_service::refresh_token(
    std::string token) {
    auto const hash = token_service::refresh_token_hash(token);
    auto const now = tokens_.now();
    auto const found =
        co_await db_.lookup([&]() { return db_.sessions().refresh_token_state(hash, now); });
    if (!found) co_return found.error();
    if (found->state != store::refresh_state::fresh) co_return token_introspection{};
    token_introspection out;
    out.active = true;
    out.token_type = "refresh_token";
    out.scope = found->token.scope;
    out.sub = std::to_string(found->token.user);
    out.expires_at = found->token.expires_at;
    out.issued_at = found->token.issued_at;
    co_return out;
}

}  // namespace warden::auth
