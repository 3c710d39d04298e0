#pragma once
// Users and their credentials: registration, profile changes, password change, and the admin
// operations (SPEC §3). Input syntax (email format, field types) is checked by the caller; this
// service applies the rules that need the store, the password context or other sessions.
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/auth/login_limiter.hpp>
#include <warden/auth/principal.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/secret.hpp>
#include <warden/password/hash_pool.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

struct account_policy {
    bool registration_open = true;
    scope_list default_scopes;  ///< granted to every newly registered user
};

struct registration {
    std::string email;
    secret_bytes password;
    std::string full_name;
};

/// A change to a user; unset fields stay as they are.
struct account_change {
    std::optional<std::string> email;
    std::optional<std::string> full_name;
    std::optional<bool> is_active;
    std::optional<bool> is_verified;
    std::optional<scope_list> scopes;
};

/// A password change's result, with the seconds to wait when it was refused for throttling.
struct password_change_outcome {
    result<void> done;
    std::int64_t retry_after = 0;  ///< set with `errc::locked_out`
};

/// A check of a user's current password, with the seconds to wait when it was refused for
/// throttling.
struct password_check {
    result<store::user> user;      ///< the stored row the password matched
    std::int64_t retry_after = 0;  ///< set with `errc::locked_out`
};

class account_service {
  public:
    /// `limiter` counts wrong current passwords like failed logins (the same keys and limits).
    account_service(database& db, password::hash_pool& hashes, login_limiter const& limiter,
                    account_policy policy, warden::clock const& clock)
        : db_(db), hashes_(hashes), limiter_(limiter), policy_(std::move(policy)), clock_(clock) {}

    /// Creates a user with the default scopes. Errors: `registration_closed`, the password
    /// policy errors (`password::errc`), `email_taken`, `core_errc::pool_full`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<store::user>> register_user(registration r);

    /// Applies `change` to user `id`. Deactivating a user also revokes every session (token
    /// version bump + family sweep, one transaction). Errors: `store::errc::not_found`,
    /// `email_taken`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<store::user>> update(store::user_id id,
                                                                     account_change change);

    /// Replaces the caller's password after checking the current one, and revokes every other
    /// session of the user (the caller's stays), in one transaction that fails if the hash
    /// changed since it was checked. A wrong current password counts as a failed login for the
    /// caller's account and `client_address`. Errors: `locked_out` (with `retry_after`),
    /// `wrong_current_password` (also when the password changed meanwhile), the password policy
    /// errors, `core_errc::pool_full`, store errors.
    /// Checks `current` against user `id`'s stored password before a sensitive change (turning
    /// TOTP off). Counted like a login for the user's account and `client_address`: a stolen
    /// access token buys no more guesses than the login form. Errors: `user_gone`, `locked_out`
    /// (with `retry_after`), `wrong_current_password`, `core_errc::pool_full`, store errors.
    [[nodiscard]] boost::asio::awaitable<password_check> check_current_password(
        store::user_id id, secret_bytes current, std::string client_address);

    [[nodiscard]] boost::asio::awaitable<password_change_outcome> change_password(
        principal caller, secret_bytes current, secret_bytes replacement,
        std::string client_address);

    /// Errors: `store::errc::not_found`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<store::user>> find(store::user_id id);
    [[nodiscard]] boost::asio::awaitable<result<store::user_page>> list(std::int64_t limit,
                                                                        std::int64_t offset);
    /// Deletes the user, its sessions with it. Errors: `store::errc::not_found`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> remove(store::user_id id);

    [[nodiscard]] account_policy const& policy() const noexcept { return policy_; }

  private:
    [[nodiscard]] std::int64_t now() const noexcept { return to_unix_seconds(clock_.now()); }

    database& db_;
    password::hash_pool& hashes_;
    login_limiter const& limiter_;
    account_policy policy_;
    warden::clock const& clock_;
};

}  // namespace warden::auth
