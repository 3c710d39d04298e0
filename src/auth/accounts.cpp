#include <warden/auth/accounts.hpp>

#include <warden/auth/errc.hpp>
#include <warden/store/errc.hpp>

namespace warden::auth {

namespace asio = boost::asio;

namespace {

/// The store's conflict, in this module's words.
error_code translate(error_code ec) {
    return ec == store::errc::email_taken ? make_error_code(errc::email_taken) : ec;
}

}  // namespace

asio::awaitable<result<store::user>> account_service::register_user(registration r) {
    if (!policy_.registration_open) co_return make_error_code(errc::registration_closed);
    auto const allowed = hashes_.hashing_context().check_new_password(r.password.view());
    if (!allowed) co_return allowed.error();
    // Fail fast on a taken email before spending a hash on it (the insert checks again).
    auto const existing =
        co_await db_.run([&]() { return db_.users().find_user_by_email(r.email); });
    if (existing) co_return make_error_code(errc::email_taken);
    if (existing.error() != store::errc::not_found) co_return existing.error();
    auto hash = co_await hashes_.hash(std::move(r.password));
    if (!hash) co_return hash.error();
    auto const at = now();
    auto created = co_await db_.run([&]() {
        return db_.users().create_user(
            store::new_user{r.email, std::move(*hash), r.full_name, true, policy_.default_scopes},
            at);
    });
    if (!created) co_return translate(created.error());
    co_return created;
}

asio::awaitable<result<store::user>> account_service::update(store::user_id id,
                                                             account_change change) {
    store::user_update update;
    update.email = std::move(change.email);
    update.full_name = std::move(change.full_name);
    update.is_active = change.is_active;
    update.is_verified = change.is_verified;
    update.scopes = std::move(change.scopes);
    // Deactivation outdates every access token and revokes every family in the same commit.
    update.bump_token_version = change.is_active == false;
    auto const at = now();
    auto updated = co_await db_.write([&]() { return db_.users().update_user(id, update, at); });
    if (!updated) co_return translate(updated.error());
    co_return updated;
}

asio::awaitable<password_check> account_service::check_current_password(
    store::user_id id, secret_bytes current, std::string client_address) {
    auto const at = now();
    // The guard's view of the user carries no hash: the row the password is checked against.
    auto stored = co_await db_.run([&]() { return db_.users().find_user(id); });
    if (!stored) {
        co_return password_check{stored.error() == store::errc::not_found
                                     ? make_error_code(errc::user_gone)
                                     : stored.error()};
    }
    // A stolen access token must not buy unlimited guesses at the password: counted as logins.
    auto const attempt =
        co_await db_.run([&]() { return limiter_.admit(stored->email, client_address, at); });
    if (!attempt) co_return password_check{attempt.error()};
    if (!attempt->admitted)
        co_return password_check{make_error_code(errc::locked_out), attempt->retry_after};
    auto const matched = co_await hashes_.verify(std::move(current), stored->password_hash);
    if (!matched && matched.error() == condition::unavailable) {
        (void)co_await db_.run([&]() { return limiter_.withdrawn(*attempt, at); });
        co_return password_check{matched.error()};
    }
    if (!matched || *matched != password::verdict::match) {
        auto const counted = co_await db_.run([&]() { return limiter_.failed(*attempt, at); });
        if (!counted) co_return password_check{counted.error()};
        co_return password_check{make_error_code(errc::wrong_current_password)};
    }
    auto const released = co_await db_.run([&]() { return limiter_.succeeded(*attempt, at); });
    if (!released) co_return password_check{released.error()};
    co_return password_check{std::move(*stored)};
}

asio::awaitable<password_change_outcome> account_service::change_password(
    principal caller, secret_bytes current, secret_bytes replacement, std::string client_address) {
    auto const allowed = hashes_.hashing_context().check_new_password(replacement.view());
    if (!allowed) co_return password_change_outcome{allowed.error()};
    auto const checked = co_await check_current_password(
        caller.user->id, secret_bytes{current.view()}, std::move(client_address));
    if (!checked.user) co_return password_change_outcome{checked.user.error(), checked.retry_after};
    auto const at = now();
    auto const& stored = checked.user;
    auto hash = co_await hashes_.hash(std::move(replacement));
    if (!hash) co_return password_change_outcome{hash.error()};
    // Compare-and-set over the hash just verified, with the sweep of the other sessions. A
    // login's re-hash of the same password (a legacy hash upgraded) may commit in between: then
    // the current password is checked again against the hash that is there now, a few times.
    std::string verified = stored->password_hash;
    for (int round = 0;; ++round) {
        auto const replaced = co_await db_.write([&]() {
            return db_.users().replace_password(caller.user->id, verified, *hash,
                                                caller.token.session_id, at);
        });
        if (replaced) co_return password_change_outcome{};
        if (replaced.error() != store::errc::credentials_changed || round == 2) {
            // Changed by someone else since it was verified: the given password is no longer
            // current.
            if (replaced.error() == store::errc::credentials_changed) {
                co_return password_change_outcome{make_error_code(errc::wrong_current_password)};
            }
            co_return password_change_outcome{replaced.error()};
        }
        auto const now_stored =
            co_await db_.run([&]() { return db_.users().find_user(caller.user->id); });
        if (!now_stored) co_return password_change_outcome{now_stored.error()};
        auto const still =
            co_await hashes_.verify(secret_bytes{current.view()}, now_stored->password_hash);
        if (!still && still.error() == condition::unavailable)
            co_return password_change_outcome{still.error()};
        if (!still || *still != password::verdict::match) {
            co_return password_change_outcome{make_error_code(errc::wrong_current_password)};
        }
        verified = now_stored->password_hash;
    }
}

asio::awaitable<result<store::user>> account_service::find(store::user_id id) {
    co_return co_await db_.run([&]() { return db_.users().find_user(id); });
}

asio::awaitable<result<store::user_page>> account_service::list(std::int64_t limit,
                                                                std::int64_t offset) {
    co_return co_await db_.run([&]() { return db_.users().list_users(limit, offset); });
}

asio::awaitable<result<void>> account_service::remove(store::user_id id) {
    co_return co_await db_.write([&]() { return db_.users().delete_user(id); });
}

}  // namespace warden::auth
