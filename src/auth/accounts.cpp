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
    auto const existing = co_await db_.run([&]() { return db_.users().find_user_by_email(r.email); });
    if (existing) co_return make_error_code(errc::email_taken);
    if (existing.error() != store::errc::not_found) co_return existing.error();
    auto hash = co_await hashes_.hash(std::move(r.password));
    if (!hash) co_return hash.error();
    auto const at = now();
    auto created = co_await db_.run([&]() {
        return db_.users().create_user(
            store::new_user{r.email, std::move(*hash), r.full_name, true, policy_.default_scopes}, at);
    });
    if (!created) co_return translate(created.error());
    co_return created;
}

asio::awaitable<result<store::user>> account_service::update(store::user_id id, account_change change) {
    bool const deactivating = change.is_active == false;
    store::user_update update;
    update.email = std::move(change.email);
    update.full_name = std::move(change.full_name);
    update.is_active = change.is_active;
    update.scopes = std::move(change.scopes);
    update.bump_token_version = deactivating;
    auto const at = now();
    auto updated = co_await db_.run([&]() { return db_.users().update_user(id, update, at); });
    if (!updated) co_return translate(updated.error());
    if (deactivating) {
        auto const revoked = co_await sessions_.revoke_user_sessions(id, std::string{});
        if (!revoked) co_return revoked.error();
    }
    co_return updated;
}

asio::awaitable<result<void>> account_service::change_password(principal caller, secret_bytes current,
                                                               secret_bytes replacement) {
    auto const allowed = hashes_.hashing_context().check_new_password(replacement.view());
    if (!allowed) co_return allowed.error();
    auto const matched = co_await hashes_.verify(std::move(current), caller.user.password_hash);
    if (!matched && matched.error() == condition::unavailable) co_return matched.error();
    if (!matched || *matched != password::verdict::match) co_return make_error_code(errc::wrong_current_password);
    auto hash = co_await hashes_.hash(std::move(replacement));
    if (!hash) co_return hash.error();
    store::user_update update;
    update.password_hash = std::move(*hash);
    auto const at = now();
    auto const updated = co_await db_.run([&]() { return db_.users().update_user(caller.user.id, update, at); });
    if (!updated) co_return updated.error();
    co_return co_await sessions_.revoke_user_sessions(caller.user.id, caller.token.session_id);
}

asio::awaitable<result<store::user>> account_service::find(store::user_id id) {
    co_return co_await db_.run([&]() { return db_.users().find_user(id); });
}

asio::awaitable<result<store::user_page>> account_service::list(std::int64_t limit, std::int64_t offset) {
    co_return co_await db_.run([&]() { return db_.users().list_users(limit, offset); });
}

asio::awaitable<result<void>> account_service::remove(store::user_id id) {
    co_return co_await db_.run([&]() { return db_.users().delete_user(id); });
}

}  // namespace warden::auth
