#pragma once
// The OAuth2 password grant (RFC 6749 §4.3), FastAPI's `OAuth2PasswordRequestForm` flow:
// throttle, look the user up by email, verify on the hash pool (a dummy verify for unknown
// emails, so timing reveals nothing), re-hash when the context says so, check scopes, start a
// session.
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/auth/errc.hpp>
#include <warden/auth/login_limiter.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/secret.hpp>
#include <warden/password/hash_pool.hpp>

namespace warden::auth {

struct password_login {
    std::string email;
    secret_bytes password;
    std::optional<scope_list> scope;  ///< absent: every granted scope
    std::string client_address;       ///< for the per-address failure count
};

/// A grant's result, with the seconds to wait when it was refused for throttling.
struct grant_outcome {
    result<token_response> tokens = make_error_code(errc::wrong_credentials);
    std::int64_t retry_after = 0;  ///< set with `errc::locked_out`
};

class login_service {
public:
    login_service(database& db, password::hash_pool& hashes, session_service& sessions,
                  lockout_policy lockout, warden::clock const& clock)
        : db_(db), hashes_(hashes), sessions_(sessions), limiter_(db.counters(), lockout), clock_(clock) {}

    /// Errors: `locked_out` (with `retry_after`), `wrong_credentials` (unknown email or wrong
    /// password: the same answer), `inactive_user`, `scope_not_granted`, `core_errc::pool_full`
    /// (the hash pool is saturated: 503), store errors.
    [[nodiscard]] boost::asio::awaitable<grant_outcome> password_grant(password_login login);

private:
    [[nodiscard]] boost::asio::awaitable<result<void>> fail(std::string const& email,
                                                            std::string const& address, std::int64_t now);

    database& db_;
    password::hash_pool& hashes_;
    session_service& sessions_;
    login_limiter limiter_;
    warden::clock const& clock_;
};

}  // namespace warden::auth
