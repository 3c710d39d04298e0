#include <warden/auth/login.hpp>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warden/auth/email.hpp>
#include <warden/auth/errc.hpp>
#include <warden/core/condition.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;
using steady = std::chrono::steady_clock;

asio::awaitable<grant_outcome> login_service::refuse(login_attempt const& attempt, std::int64_t now,
                                                     steady::time_point start, error_code answer) {
    auto const counted = co_await db_.run([&]() { return limiter_.failed(attempt, now); });
    if (!counted) co_return grant_outcome{counted.error()};
    asio::steady_timer floor{co_await asio::this_coro::executor, start + floor_.floor()};
    boost::system::error_code cancelled;  // shutting down: answer at once
    co_await floor.async_wait(asio::redirect_error(asio::use_awaitable, cancelled));
    co_return grant_outcome{answer};
}

asio::awaitable<grant_outcome> login_service::password_grant(password_login login) {
    auto outcome = co_await decide(std::move(login));
    if (events_ != nullptr)
        events_->login(login_outcome_of(outcome.tokens ? error_code{} : outcome.tokens.error()));
    co_return outcome;
}

asio::awaitable<grant_outcome> login_service::decide(password_login login) {
    // Beyond any address's length it is a wrong login at once, never a counter key.
    if (login.email.size() > max_login_username)
        co_return grant_outcome{make_error_code(errc::wrong_credentials)};
    auto const start = steady::now();
    auto const now = to_unix_seconds(clock_.now());
    // Counted before the password is checked: no burst of guesses gets past the limit.
    auto const attempt =
        co_await db_.run([&]() { return limiter_.admit(login.email, login.client_address, now); });
    if (!attempt) co_return grant_outcome{attempt.error()};
    if (!attempt->admitted)
        co_return grant_outcome{make_error_code(errc::locked_out), attempt->retry_after};
    // Gives the attempt back when it ends without a verdict (store or hash pool unavailable).
    auto withdraw = [&](error_code ec) -> asio::awaitable<grant_outcome> {
        (void)co_await db_.run([&]() { return limiter_.withdrawn(*attempt, now); });
        co_return grant_outcome{ec};
    };

    auto user = co_await db_.run([&]() { return db_.users().find_user_by_email(login.email); });
    if (!user) {
        if (user.error() != store::errc::not_found) co_return co_await withdraw(user.error());
        // Unknown email: spend one verification anyway, and count it like a wrong password.
        auto const dummy = co_await hashes_.dummy_verify(std::move(login.password));
        if (!dummy && dummy.error() == condition::unavailable)
            co_return co_await withdraw(dummy.error());
        floor_.observe(steady::now() - start);
        co_return co_await refuse(*attempt, now, start);
    }

    auto const checked =
        co_await hashes_.verify_and_update(std::move(login.password), user->password_hash);
    if (!checked && checked.error() == condition::unavailable)
        co_return co_await withdraw(checked.error());
    floor_.observe(steady::now() - start);
    // A password the policy cannot take or a stored hash we cannot read never matches.
    if (!checked || !checked->matched) co_return co_await refuse(*attempt, now, start);

    if (totp_ != nullptr) {
        auto const factor =
            co_await db_.run([&]() { return totp_->check(user->id, login.otp.view(), now); });
        if (!factor) co_return co_await withdraw(factor.error());
        // Not a guess: the attempt is given back, and the account's earlier failures stay (a
        // right password must not reset the count of wrong codes).
        if (*factor == second_factor::missing)
            co_return co_await withdraw(make_error_code(errc::mfa_required));
        if (*factor == second_factor::refused)
            co_return co_await refuse(*attempt, now, start,
                                      make_error_code(errc::wrong_second_factor));
    }

    // The password (and the second factor) are right: the attempt is not a failure, whatever
    // follows.
    auto const released = co_await db_.run([&]() { return limiter_.succeeded(*attempt, now); });
    if (!released) co_return grant_outcome{released.error()};
    if (!user->is_active) co_return grant_outcome{make_error_code(errc::inactive_user)};
    if (require_verified_ && !user->is_verified)
        co_return grant_outcome{make_error_code(errc::email_not_verified)};
    scope_list scopes = user->scopes;
    if (login.scope) {
        if (!includes_all(user->scopes, *login.scope))
            co_return grant_outcome{make_error_code(errc::scope_not_granted)};
        scopes = *login.scope;
    }
    // passlib's verify_and_update: the session's transaction also replaces an outdated hash.
    auto tokens = co_await sessions_.start(std::move(*user), std::move(scopes),
                                           checked->new_hash.value_or(""));
    if (!tokens && (tokens.error() == store::errc::credentials_changed ||
                    tokens.error() == store::errc::not_found)) {
        // The password was changed, the user deactivated or deleted while it was checked: the
        // password proved nothing about the account as it is now.
        co_return grant_outcome{make_error_code(errc::wrong_credentials)};
    }
    co_return grant_outcome{std::move(tokens)};
}

}  // namespace warden::auth
