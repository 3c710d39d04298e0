#pragma once
// Errors of the auth services and the guard, each mapped onto the condition that decides the
// HTTP answer (SPEC §3). Messages are written for clients: they never name a token or secret.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::auth {

enum class errc {
    missing_credentials = 1,  ///< no `Authorization: Bearer` header: unauthenticated
    invalid_token,            ///< signature, claims or `sub` not acceptable: invalid_token
    token_revoked,            ///< the `jti` is on the revocation list: invalid_token
    token_outdated,           ///< issued before the user's sessions were revoked: invalid_token
    user_gone,                ///< the token's user no longer exists: invalid_token
    inactive_user,            ///< inactive_user
    insufficient_scope,       ///< insufficient_scope
    wrong_credentials,        ///< unknown email or wrong password: invalid_credentials
    locked_out,               ///< too many failed logins: rate_limited
    invalid_refresh_token,    ///< unknown, spent, expired or revoked refresh token: invalid_grant
    refresh_token_reused,     ///< a spent refresh token again; its family is revoked: invalid_grant
    user_not_eligible,        ///< refresh for an inactive or deleted user: invalid_grant
    scope_not_granted,        ///< asked for a scope the user or grant lacks: invalid_scope
    invalid_scope_syntax,  ///< `scope` is not space-separated RFC 6749 scope-tokens: invalid_scope
    unsupported_grant_type,  ///< grant_type other than password and refresh_token
    registration_closed,     ///< forbidden
    wrong_current_password,  ///< password change with a wrong current password: invalid_request
    email_taken,             ///< conflict
    invalid_client,  ///< unknown client or wrong client secret (RFC 6749 §5.2): invalid_credentials
    invalid_client_id,   ///< not 1-64 of [A-Za-z0-9._~-], or all digits: invalid_request
    invalid_mail_token,  ///< unknown, spent or expired verification/reset token: invalid_request
    email_not_verified,  ///< login refused under --require-verified-email: invalid_request
    unverified_user,     ///< a route that needs a verified user: forbidden
    mfa_required,  ///< TOTP is on and the password grant has no `otp`: invalid_credentials (401)
    wrong_second_factor,   ///< a wrong, replayed or spent `otp`: invalid_credentials (401)
    wrong_totp_code,       ///< TOTP confirmation with a code that does not match: invalid_request
    totp_not_enrolled,     ///< TOTP confirmation without an enrolment: invalid_request
    totp_already_enabled,  ///< TOTP enrolment or confirmation while it is on: conflict
    totp_not_enabled,      ///< turning TOTP off while it is off: invalid_request
};

[[nodiscard]] boost::system::error_category const& auth_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), auth_category()};
}

}  // namespace warden::auth

template <>
struct boost::system::is_error_code_enum<warden::auth::errc> : std::true_type {};
