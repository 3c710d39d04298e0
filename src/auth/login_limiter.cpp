#include <warden/auth/login_limiter.hpp>

#include <algorithm>

namespace warden::auth {
namespace {

std::string address_key(std::string_view address) { return "address:" + std::string{address}; }
std::string lock_key(std::string const& key) { return "lock:" + key; }

}  // namespace

std::string account_key(std::string_view email) {
    std::string key = "account:";
    for (char const c : email) key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return key;
}

result<std::int64_t> login_limiter::lock_remaining(std::string const& key, std::int64_t now) const {
    auto const window = policy_.lockout.count();
    auto const lock = counters_.failures(lock_key(key), now, window);
    if (!lock) return lock.error();
    if (lock->count == 0) return 0;
    return std::max<std::int64_t>(1, lock->window_started_at + window - now);
}

result<std::int64_t> login_limiter::locked_for(std::string_view email, std::string_view address,
                                               std::int64_t now) const {
    auto const account = lock_remaining(account_key(email), now);
    if (!account) return account;
    auto const by_address = lock_remaining(address_key(address), now);
    if (!by_address) return by_address;
    return std::max(*account, *by_address);
}

result<void> login_limiter::count(std::string const& key, std::int64_t now) const {
    auto const window = policy_.lockout.count();
    auto const failures = counters_.add_failure(key, now, window);
    if (!failures) return failures.error();
    if (failures->count < policy_.max_failures) return {};
    // The lock is a counter of its own whose window starts now: it lasts exactly `lockout`.
    // The failure count restarts so the key gets its full allowance after the lock.
    auto const locked = counters_.add_failure(lock_key(key), now, window);
    if (!locked) return locked.error();
    return counters_.reset_failures(key);
}

result<void> login_limiter::record_failure(std::string_view email, std::string_view address,
                                           std::int64_t now) const {
    auto const account = count(account_key(email), now);
    if (!account) return account;
    return count(address_key(address), now);
}

result<void> login_limiter::record_success(std::string_view email) const {
    return counters_.reset_failures(account_key(email));
}

}  // namespace warden::auth
