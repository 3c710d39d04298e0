#include <warden/auth/token_guard.hpp>

#include <algorithm>
#include <utility>

#include <warden/auth/errc.hpp>
#include <warden/auth/guard.hpp>
#include <warden/jwt/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

namespace {

/// The principal of verified claims. Errors: `errc::invalid_token`.
result<token_principal> principal_of(jwt::claims const& claims) {
    token_principal out;
    auto const sub = claims.sub();
    if (!sub || sub->empty()) return make_error_code(errc::invalid_token);
    out.subject = *sub;
    out.expires_at = claims.exp().value_or(0);
    if (auto const jti = claims.jti()) out.jti = *jti;
    if (claims.contains("client_id")) {
        auto const client_id = claims.get_string("client_id");
        if (!client_id) return make_error_code(errc::invalid_token);
        out.client_id = *client_id;
    }
    if (auto const scope = claims.scope()) {
        auto scopes = parse_scopes(*scope);
        if (!scopes) return make_error_code(errc::invalid_token);
        out.scopes = std::move(*scopes);
    }
    return out;
}

}  // namespace

token_guard::requirement token_guard::require(scope_list scopes) const {
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    return requirement{*this, std::move(scopes)};
}

asio::awaitable<result<token_principal>> token_guard::authenticate(
    std::string authorization, scope_list const& required) const {
    auto const token = bearer_token(authorization);
    if (token.empty()) co_return make_error_code(errc::missing_credentials);
    auto verifier = co_await keys_.current();
    if (!verifier) co_return make_error_code(jwks_errc::key_set_unavailable);
    auto claims = (*verifier)->verify(token);
    if (!claims && claims.error() == jwt::errc::key_not_found) {
        // Perhaps a key rotated in since the set was fetched.
        auto renewed = co_await keys_.refresh_for_unknown_kid(*verifier);
        if (renewed && *renewed != *verifier) claims = (*renewed)->verify(token);
    }
    if (!claims) {
        // Whatever refused the token, the client is told invalid_token and no more.
        if (claims.error() == condition::invalid_token) co_return claims.error();
        co_return make_error_code(errc::invalid_token);
    }
    auto principal = principal_of(*claims);
    if (!principal) co_return principal.error();
    if (!includes_all(principal->scopes, required))
        co_return make_error_code(errc::insufficient_scope);
    co_return std::move(*principal);
}

}  // namespace warden::auth
