#pragma once
// The shared error conditions. Every module's `errc` maps onto one of these, so the HTTP layer
// turns any error into a status, a `{"detail"}` body and a `WWW-Authenticate` header without
// knowing each module's codes.
#include <system_error>

#include <boost/system/error_category.hpp>
#include <boost/system/error_condition.hpp>

namespace warden {

enum class condition {
    invalid_request = 1,     ///< malformed or invalid input (400/422)
    unauthenticated,         ///< no credentials presented (401 "Not authenticated")
    invalid_token,           ///< bad, expired or revoked token, or user gone (401)
    invalid_credentials,     ///< wrong email or password (401 "Incorrect email or password")
    inactive_user,           ///< the user exists but is deactivated (400 "Inactive user")
    insufficient_scope,      ///< authenticated but lacks a required scope (403)
    forbidden,               ///< not allowed by configuration, e.g. closed registration (403)
    invalid_grant,           ///< bad refresh token or grant (400 RFC 6749 `invalid_grant`)
    invalid_scope,           ///< asked for scopes not held (400 `invalid_scope`)
    unsupported_grant_type,  ///< grant_type other than password/refresh_token (400)
    not_found,               ///< no such resource (404)
    conflict,                ///< unique constraint, e.g. email taken (409)
    rate_limited,            ///< too many failures (429 + Retry-After)
    unavailable,             ///< a bounded queue is full or a backend is down (503 + Retry-After)
    invalid_configuration,   ///< a key, secret or setting that cannot be used (start-up error)
    internal,                ///< a bug or an unexpected library failure (500)
};

/// The category of `warden::condition`; its `message()` is a short human-readable name.
[[nodiscard]] boost::system::error_category const& condition_category() noexcept;

[[nodiscard]] inline boost::system::error_condition make_error_condition(condition c) noexcept {
    return {static_cast<int>(c), condition_category()};
}

}  // namespace warden

template <>
struct boost::system::is_error_condition_enum<warden::condition> : std::true_type {};
