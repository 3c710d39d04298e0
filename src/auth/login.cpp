#include <warden/auth/login.hpp>

#include <warden/auth/errc.hpp>
#include <warden/core/condition.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

asio::awaitable<result<void>> login_service::fail(std::string const& email, std::string const& address,
                                                  std::int64_t now) {
    co_return co_await db_.run([&]() { return limiter_.record_failure(email, address, now); });
}

asio::awaitable<grant_outcome> login_service::password_grant(password_login login) {
    auto const now = to_unix_seconds(clock_.now());
    auto const locked = co_await db_.run(
        [&]() { return limiter_.locked_for(login.email, login.client_address, now); });
    if (!locked) co_return grant_outcome{locked.error()};
    if (*locked > 0) co_return grant_outcome{make_error_code(errc::locked_out), *locked};

    auto user = co_await db_.run([&]() { return db_.users().find_user_by_email(login.email); });
    if (!user) {
        if (user.error() != store::errc::not_found) co_return grant_outcome{user.error()};
        // Unknown email: spend one verification anyway, and count it like a wrong password.
        auto const dummy = co_await hashes_.dummy_verify(std::move(login.password));
        if (!dummy && dummy.error() == condition::unavailable) co_return grant_outcome{dummy.error()};
        auto const counted = co_await fail(login.email, login.client_address, now);
        if (!counted) co_return grant_outcome{counted.error()};
        co_return grant_outcome{make_error_code(errc::wrong_credentials)};
    }

    auto const checked = co_await hashes_.verify_and_update(std::move(login.password), user->password_hash);
    if (!checked && checked.error() == condition::unavailable) co_return grant_outcome{checked.error()};
    // A password the policy cannot take or a stored hash we cannot read never matches.
    if (!checked || !checked->matched) {
        auto const counted = co_await fail(login.email, login.client_address, now);
        if (!counted) co_return grant_outcome{counted.error()};
        co_return grant_outcome{make_error_code(errc::wrong_credentials)};
    }
    if (!user->is_active) co_return grant_outcome{make_error_code(errc::inactive_user)};

    scope_list scopes = user->scopes;
    if (login.scope) {
        if (!includes_all(user->scopes, *login.scope)) co_return grant_outcome{make_error_code(errc::scope_not_granted)};
        scopes = *login.scope;
    }

    auto const settled = co_await db_.run([&]() -> result<void> {
        auto reset = limiter_.record_success(login.email);
        if (!reset) return reset;
        if (checked->new_hash) {
            // passlib's verify_and_update: the old hash is replaced by one of the default scheme.
            store::user_update change;
            change.password_hash = *checked->new_hash;
            auto updated = db_.users().update_user(user->id, change, now);
            if (!updated) return updated.error();
        }
        return {};
    });
    if (!settled) co_return grant_outcome{settled.error()};
    auto tokens = co_await sessions_.start(std::move(*user), std::move(scopes));
    co_return grant_outcome{std::move(tokens)};
}

}  // namespace warden::auth
