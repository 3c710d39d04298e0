#include <warden/auth/guard.hpp>

#include <algorithm>

#include <warden/auth/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

std::string_view bearer_token(std::string_view authorization) noexcept {
    constexpr std::string_view scheme = "bearer";
    if (authorization.size() <= scheme.size() || authorization[scheme.size()] != ' ') return {};
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = authorization[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return {};
    }
    auto token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return token;
}

guard::requirement guard::require(scope_list scopes) const {
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    return requirement{*this, std::move(scopes), false};
}

guard::requirement guard::require_verified(scope_list scopes) const {
    auto r = require(std::move(scopes));
    r.verified_ = true;
    return r;
}

error_code guard::refused(error_code ec) const noexcept {
    if (events_ != nullptr) {
        if (auto const reason = token_rejection_of(ec)) events_->token_rejected(*reason);
    }
    return ec;
}

asio::awaitable<result<principal>> guard::authenticate(std::string_view authorization,
                                                       scope_list const& required,
                                                       bool verified) const {
    auto const token = bearer_token(authorization);
    if (token.empty()) co_return refused(make_error_code(errc::missing_credentials));
    co_return co_await check(token, required, verified);
}

asio::awaitable<result<principal>> guard::check(std::string_view token, scope_list const& required,
                                                bool verified) const {
    // Signature and claims on this thread (CPU only); then the user and the revocation list,
    // from memory when cached.
    auto claims = tokens_.read_access(token);
    if (!claims) co_return refused(claims.error());
    // A client authenticated as itself, not as a user: it may not act as one (403).
    if (!claims->client_id.empty()) co_return refused(make_error_code(errc::insufficient_scope));
    auto found = co_await subjects_.find(claims->user, claims->jti, claims->expires_at);
    if (!found) co_return refused(found.error());
    auto const& user = *found->user;
    // While the user is inactive that is the answer (400 "Inactive user", as FastAPI's
    // get_current_active_user), also for the tokens its deactivation revoked and outdated.
    if (!user.is_active) co_return refused(make_error_code(errc::inactive_user));
    if (found->jti_revoked) co_return refused(make_error_code(errc::token_revoked));
    if (claims->token_version < user.token_version)
        co_return refused(make_error_code(errc::token_outdated));
    if (verified && !user.is_verified) co_return refused(make_error_code(errc::unverified_user));
    auto scopes = intersect(claims->scopes, user.scopes);
    if (!includes_all(scopes, required))
        co_return refused(make_error_code(errc::insufficient_scope));
    co_return principal{std::move(found->user), std::move(*claims), std::move(scopes)};
}

}  // namespace warden::auth
