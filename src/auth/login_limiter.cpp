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

result<login_attempt> login_limiter::admit(std::string_view email, std::string_view address,
                                           std::int64_t now) const {
    login_attempt attempt;
    auto const locked = locked_for(email, address, now);
    if (!locked) return locked.error();
    if (*locked > 0) {
        attempt.retry_after = *locked;
        return attempt;
    }
    attempt.keys = {account_key(email), address_key(address)};
    auto const window = policy_.lockout.count();
    auto reserved = counters_.reserve_attempt(attempt.keys, now, window, policy_.max_failures);
    if (!reserved) return reserved.error();
    if (!reserved->admitted) {
        // Earlier attempts fill the allowance and are still being checked (or just failed).
        auto const& full = reserved->counts.front();
        attempt.retry_after = std::max<std::int64_t>(1, full.window_started_at + window - now);
        return attempt;
    }
    attempt.admitted = true;
    attempt.counts = std::move(reserved->counts);
    return attempt;
}

result<void> login_limiter::failed(login_attempt const& attempt, std::int64_t now) const {
    auto const window = policy_.lockout.count();
    for (std::size_t i = 0; i < attempt.keys.size() && i < attempt.counts.size(); ++i) {
        if (attempt.counts[i].count < policy_.max_failures) continue;
        // The lock is a counter of its own whose window starts now: it lasts exactly `lockout`.
        // The key's count stays at the limit (its window, which started no later, ends first):
        // an attempt that checked the lock before it was set is still refused by the count.
        // Resetting it here let such attempts in past the limit (seen across two processes).
        auto const locked = counters_.add_failure(lock_key(attempt.keys[i]), now, window);
        if (!locked) return locked.error();
    }
    return {};
}

result<void> login_limiter::succeeded(login_attempt const& attempt, std::int64_t now) const {
    if (attempt.keys.size() != 2) return {};
    if (auto r = counters_.reset_failures(attempt.keys[0]); !r) return r;
    return counters_.release_attempt(attempt.keys[1], now, policy_.lockout.count());
}

result<void> login_limiter::clear_account(std::string_view email) const {
    auto const key = account_key(email);
    if (auto r = counters_.reset_failures(key); !r) return r;
    return counters_.reset_failures(lock_key(key));
}

result<void> login_limiter::withdrawn(login_attempt const& attempt, std::int64_t now) const {
    for (auto const& key : attempt.keys) {
        if (auto r = counters_.release_attempt(key, now, policy_.lockout.count()); !r) return r;
    }
    return {};
}

}  // namespace warden::auth
