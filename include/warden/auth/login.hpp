#pragma once
// The OAuth2 password grant (RFC 6749 §4.3), FastAPI's `OAuth2PasswordRequestForm` flow:
// count the attempt (login_limiter), look the user up by email, verify on the hash pool (a dummy
// verify for unknown emails), re-hash when the context says so, check scopes, start a session.
// Every failed check answers no sooner than the verification floor, so its timing tells no
// account from another or from an unknown email.
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/auth/errc.hpp>
#include <warden/auth/events.hpp>
#include <warden/auth/login_limiter.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/auth/totp.hpp>
#include <warden/auth/verification_floor.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/secret.hpp>
#include <warden/password/hash_pool.hpp>

namespace warden::auth {

struct password_login {
    std::string email;
    secret_bytes password;
    std::optional<scope_list> scope;  ///< absent: every granted scope
    std::string client_address;       ///< for the per-address failure count
    /// The form's `otp`: a TOTP code or a recovery code; empty when none was given.
    secret_bytes otp;
};

/// A grant's result, with the seconds to wait when it was refused for throttling.
struct grant_outcome {
    result<token_response> tokens = make_error_code(errc::wrong_credentials);
    std::int64_t retry_after = 0;  ///< set with `errc::locked_out`
};

class login_service {
  public:
    /// `counts`, when given, gets every grant's outcome (`events::login`).
    login_service(database& db, password::hash_pool& hashes, session_service& sessions,
                  lockout_policy lockout, warden::clock const& clock, verification_floor& floor,
                  events* counts = nullptr)
        : db_(db),
          hashes_(hashes),
          sessions_(sessions),
          limiter_(db.counters(), lockout),
          clock_(clock),
          floor_(floor),
          events_(counts) {}

    /// Errors: `locked_out` (with `retry_after`), `wrong_credentials` (unknown email, wrong
    /// password, or the account changed or vanished while the password was checked: the same
    /// answer; at once for an email longer than `max_login_username`, which is never a counter
    /// key), `mfa_required` (TOTP is on and no `otp` was given: not a failure),
    /// `wrong_second_factor` (counted as a failure), `inactive_user`, `email_not_verified`,
    /// `scope_not_granted`, `core_errc::pool_full` (the hash pool is saturated: 503), store
    /// errors.
    [[nodiscard]] boost::asio::awaitable<grant_outcome> password_grant(password_login login);

    [[nodiscard]] login_limiter const& limiter() const noexcept { return limiter_; }

    /// With `on`, the right password of a user whose e-mail address is not verified answers
    /// `email_not_verified` (--require-verified-email). Before any grant (not thread-safe).
    void require_verified_email(bool on) noexcept { require_verified_ = on; }

    /// Users with TOTP on then need a second factor after the right password (null: nobody).
    /// Before any grant (not thread-safe).
    void check_second_factor_with(totp_service const* totp) noexcept { totp_ = totp; }

  private:
    /// The grant itself; `password_grant` counts its outcome.
    [[nodiscard]] boost::asio::awaitable<grant_outcome> decide(password_login login);
    /// Settles a failed attempt: counts it, then waits until the floor has passed since `start`.
    [[nodiscard]] boost::asio::awaitable<grant_outcome> refuse(
        login_attempt const& attempt, std::int64_t now, std::chrono::steady_clock::time_point start,
        error_code answer = make_error_code(errc::wrong_credentials));

    database& db_;
    password::hash_pool& hashes_;
    session_service& sessions_;
    login_limiter limiter_;
    warden::clock const& clock_;
    verification_floor& floor_;
    events* events_;
    bool require_verified_ = false;
    totp_service const* totp_ = nullptr;
};

}  // namespace warden::auth
