#include <warden/auth/errc.hpp>

#include <string>

namespace warden::auth {
namespace {

class auth_category_impl final : public boost::system::error_category {
  public:
    constexpr auth_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2090ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.auth"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::missing_credentials:
                return "Not authenticated";
            case errc::invalid_token:
                return "Could not validate credentials";
            case errc::token_revoked:
                return "Token has been revoked";
            case errc::token_outdated:
                return "Token predates a revocation of the user's sessions";
            case errc::user_gone:
                return "User no longer exists";
            case errc::inactive_user:
                return "Inactive user";
            case errc::insufficient_scope:
                return "Not enough permissions";
            case errc::wrong_credentials:
                return "Incorrect email or password";
            case errc::locked_out:
                return "Too many failed login attempts, try again later";
            case errc::invalid_refresh_token:
                return "Invalid refresh token";
            case errc::refresh_token_reused:
                return "Refresh token was already used; the session has been revoked";
            case errc::user_not_eligible:
                return "The user of this grant is inactive or gone";
            case errc::scope_not_granted:
                return "The requested scope exceeds what was granted";
            case errc::invalid_scope_syntax:
                return "Malformed scope";
            case errc::unsupported_grant_type:
                return "grant_type must be \"password\", \"refresh_token\" or "
                       "\"client_credentials\"";
            case errc::registration_closed:
                return "Registration is closed";
            case errc::wrong_current_password:
                return "Incorrect current password";
            case errc::email_taken:
                return "Email already registered";
            case errc::invalid_client:
                return "Client authentication failed";
            case errc::invalid_client_id:
                return "A client id is 1 to 64 of A-Z a-z 0-9 . _ ~ -, not only digits";
            case errc::invalid_mail_token:
                return "Invalid or expired token";
            case errc::email_not_verified:
            case errc::unverified_user:
                return "Email not verified";
            case errc::mfa_required:
                return "Second factor required";
            case errc::wrong_second_factor:
                return "Invalid second factor";
            case errc::wrong_totp_code:
                return "Invalid TOTP code";
            case errc::totp_not_enrolled:
                return "TOTP enrolment not started";
            case errc::totp_already_enabled:
                return "TOTP is already enabled";
            case errc::totp_not_enabled:
                return "TOTP is not enabled";
        }
        return "unknown auth error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<errc>(value)) {
            case errc::missing_credentials:
                return condition::unauthenticated;
            case errc::invalid_token:
            case errc::token_revoked:
            case errc::token_outdated:
            case errc::user_gone:
                return condition::invalid_token;
            case errc::inactive_user:
                return condition::inactive_user;
            case errc::insufficient_scope:
                return condition::insufficient_scope;
            case errc::wrong_credentials:
                return condition::invalid_credentials;
            case errc::locked_out:
                return condition::rate_limited;
            case errc::invalid_refresh_token:
            case errc::refresh_token_reused:
            case errc::user_not_eligible:
                return condition::invalid_grant;
            case errc::scope_not_granted:
            case errc::invalid_scope_syntax:
                return condition::invalid_scope;
            case errc::unsupported_grant_type:
                return condition::unsupported_grant_type;
            case errc::registration_closed:
                return condition::forbidden;
            case errc::wrong_current_password:
                return condition::invalid_request;
            case errc::email_taken:
                return condition::conflict;
            case errc::invalid_client:
                return condition::invalid_credentials;
            case errc::invalid_client_id:
            case errc::invalid_mail_token:
            case errc::email_not_verified:
                return condition::invalid_request;
            case errc::unverified_user:
                return condition::forbidden;
            case errc::mfa_required:
            case errc::wrong_second_factor:
                return condition::invalid_credentials;
            case errc::wrong_totp_code:
            case errc::totp_not_enrolled:
            case errc::totp_not_enabled:
                return condition::invalid_request;
            case errc::totp_already_enabled:
                return condition::conflict;
        }
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& auth_category() noexcept {
    static constexpr auth_category_impl instance;
    return instance;
}

}  // namespace warden::auth
