#pragma once
// The TOTP second factor (RFC 6238, issue 13): enrolment with single-use recovery codes,
// confirmation, turning it off, and the check the password grant makes. The secret is sealed
// under the key-encryption key and bound to its user (a sealed secret moved to another user's
// row does not open); recovery codes are kept as the SHA-256 of their normal form. The time step
// of every accepted code is recorded by a conditional write, so a code is accepted once however
// requests race.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/secret.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

/// What a user sees once, when enrolment starts.
struct totp_enrolment {
    std::string secret;       ///< base32, for typing into an authenticator app
    std::string otpauth_uri;  ///< the same as a Key Uri (for a QR code)
    std::vector<std::string> recovery_codes;
};

/// What the password grant's second factor came to.
enum class second_factor {
    not_enabled,  ///< no confirmed TOTP: the password is enough
    missing,      ///< TOTP is on and no code was given
    accepted,     ///< a code of the current step (or one either side), or an unused recovery code
    refused,      ///< a wrong code, a replayed one, or a spent or unknown recovery code
};

inline constexpr std::size_t recovery_code_count = 10;

class totp_service {
  public:
    /// `kek`: the key-encryption key (32 bytes); `issuer`: the name authenticator apps show.
    totp_service(database& db, secret_bytes kek, std::string issuer, warden::clock const& clock)
        : db_(db), kek_(std::move(kek)), issuer_(std::move(issuer)), clock_(clock) {}

    /// Draws a secret and the recovery codes and stores them unconfirmed, replacing an
    /// unconfirmed enrolment; `account` (the e-mail address) labels it in the app. Errors:
    /// `totp_already_enabled`, `user_gone`, `core_errc::random_failed`, sealing and store
    /// errors.
    [[nodiscard]] boost::asio::awaitable<result<totp_enrolment>> enrol(store::user_id user,
                                                                       std::string account);

    /// Turns the enrolment on with a current code of its secret (which is then spent: it cannot
    /// log in again). Errors: `totp_not_enrolled`, `totp_already_enabled`, `wrong_totp_code`
    /// (also a code already accepted), `seal_errc::not_authentic` (another key-encryption key),
    /// store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> confirm(store::user_id user,
                                                               std::string_view code);

    /// Turns TOTP off and deletes the secret and codes (the caller checked the password).
    /// Errors: `totp_not_enabled`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> disable(store::user_id user);

    /// The second factor of a login whose password was right. `otp` (empty: none given) is a
    /// six-digit code, spaces allowed, or a recovery code, dashes and case ignored. Errors:
    /// sealing (another key-encryption key) and store errors. Blocking: call inside
    /// `database::run`.
    [[nodiscard]] result<second_factor> check(store::user_id user, std::string_view otp,
                                              std::int64_t now) const;

    /// Whether the key-encryption key opens the stored secrets (the first one: all are sealed
    /// under one key), so a process with another key refuses to start rather than fail logins.
    /// Errors: `seal_errc::not_authentic` (another key), store errors. Blocking: call inside
    /// `database::run` or before serving.
    [[nodiscard]] result<void> check_key() const;

  private:
    [[nodiscard]] std::int64_t now() const { return to_unix_seconds(clock_.now()); }

    database& db_;
    secret_bytes kek_;
    std::string issuer_;
    warden::clock const& clock_;
};

}  // namespace warden::auth
