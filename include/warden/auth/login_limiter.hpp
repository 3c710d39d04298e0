#pragma once
// Brute-force protection for the token endpoint and the password change (SPEC §3): attempts are
// counted per account and per client address; after `max_failures` within `lockout`, that key
// is locked for `lockout` and attempts for it are refused without verifying the password.
// Unknown emails are counted exactly like known ones, so lockout reveals nothing about which
// accounts exist.
//
// An attempt is counted *before* its password is checked (`admit`), in one store transaction,
// so concurrency cannot stretch the limit: of any number of simultaneous attempts, at most
// `max_failures` are verified. A success gives its count back (`succeeded`); a failure keeps it
// and locks a key that reached the limit (`failed`). So at most `max_failures` attempts per key
// are ever unresolved or failed at once: many simultaneous logins from one address (a NAT or a
// proxy) beyond that get 429 until the first ones finish.
// Blocking: call inside `database::run`.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/counter_store.hpp>

namespace warden::auth {

struct lockout_policy {
    std::int64_t max_failures = 5;
    std::chrono::seconds lockout{15 * 60};
};

/// One attempt as `admit` counted it.
struct login_attempt {
    bool admitted = false;
    std::int64_t retry_after = 0;              ///< refused: seconds until the key may try again
    std::vector<std::string> keys;             ///< the account's key, then the address's
    std::vector<store::failure_count> counts;  ///< admitted: each key's count with this attempt
};

class login_limiter {
  public:
    login_limiter(store::counter_store& counters, lockout_policy policy)
        : counters_(counters), policy_(policy) {}

    /// Counts an attempt for `email` from `address` unless either is locked or already at the
    /// limit (then `admitted` is false and `retry_after` says how long to wait).
    [[nodiscard]] result<login_attempt> admit(std::string_view email, std::string_view address,
                                              std::int64_t now) const;

    /// The password was wrong: the count stays, and a key that reached the limit is locked for
    /// the whole lockout (its count's window ends no later, so the full allowance returns).
    [[nodiscard]] result<void> failed(login_attempt const& attempt, std::int64_t now) const;

    /// The password was right: the account's count is cleared, the address's count given back.
    [[nodiscard]] result<void> succeeded(login_attempt const& attempt, std::int64_t now) const;

    /// The attempt ended without a verdict (the hash pool was full): both counts given back.
    [[nodiscard]] result<void> withdrawn(login_attempt const& attempt, std::int64_t now) const;

    /// Forgets the account's failures and lifts its lock (a password reset by e-mail proved
    /// the owner); the addresses' counts stay.
    [[nodiscard]] result<void> clear_account(std::string_view email) const;

    /// Seconds until the account or the address may try again; 0 when neither is locked.
    [[nodiscard]] result<std::int64_t> locked_for(std::string_view email, std::string_view address,
                                                  std::int64_t now) const;

    [[nodiscard]] lockout_policy const& policy() const noexcept { return policy_; }

  private:
    [[nodiscard]] result<std::int64_t> lock_remaining(std::string const& key,
                                                      std::int64_t now) const;

    store::counter_store& counters_;
    lockout_policy policy_;
};

/// The counter key of an account: `account:` + the email in ASCII lower case.
[[nodiscard]] std::string account_key(std::string_view email);

}  // namespace warden::auth
