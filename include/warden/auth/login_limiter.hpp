#pragma once
// Brute-force protection for the token endpoint (SPEC §3): failed logins are counted per account
// and per client address; after `max_failures` within `lockout`, that key is locked for
// `lockout` and logins for it are refused without verifying the password. Unknown emails are
// counted exactly like known ones, so lockout reveals nothing about which accounts exist.
// Blocking: call inside `database::run`.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/store/store.hpp>

namespace warden::auth {

struct lockout_policy {
    std::int64_t max_failures = 5;
    std::chrono::seconds lockout{15 * 60};
};

class login_limiter {
public:
    login_limiter(store::counter_store& counters, lockout_policy policy) : counters_(counters), policy_(policy) {}

    /// Seconds until the account or the address may try again; 0 when neither is locked.
    [[nodiscard]] result<std::int64_t> locked_for(std::string_view email, std::string_view address,
                                                  std::int64_t now) const;

    /// Counts a failed login for both keys, locking a key that reaches the limit.
    [[nodiscard]] result<void> record_failure(std::string_view email, std::string_view address,
                                              std::int64_t now) const;

    /// A successful login clears the account's count (not the address's).
    [[nodiscard]] result<void> record_success(std::string_view email) const;

    [[nodiscard]] lockout_policy const& policy() const noexcept { return policy_; }

private:
    [[nodiscard]] result<std::int64_t> lock_remaining(std::string const& key, std::int64_t now) const;
    [[nodiscard]] result<void> count(std::string const& key, std::int64_t now) const;

    store::counter_store& counters_;
    lockout_policy policy_;
};

/// The counter key of an account: `account:` + the email in ASCII lower case.
[[nodiscard]] std::string account_key(std::string_view email);

}  // namespace warden::auth
