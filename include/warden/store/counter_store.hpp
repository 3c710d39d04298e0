#pragma once
// Login-failure counters (SPEC §4); see store.hpp for the calling rules.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

/// Login-failure counters per key (`account:<email>` or `address:<ip>`), fixed windows.
class counter_store {
  public:
    virtual ~counter_store() = default;
    /// Atomically adds one failure; a window that started `window_seconds` or more before `now`
    /// restarts at 1 from `now`. Returns the new count; `errc::invalid_argument` for an empty key.
    [[nodiscard]] virtual result<failure_count> add_failure(std::string_view key, std::int64_t now,
                                                            std::int64_t window_seconds) = 0;
    /// A login attempt, counted before the password is checked so that concurrency cannot
    /// exceed the limit: in one transaction, unless one of `keys` already holds `limit` or more
    /// in its window (then nothing is counted: refused), adds one to every key. Errors:
    /// `errc::invalid_argument` for an empty key or no keys.
    [[nodiscard]] virtual result<attempt_reservation> reserve_attempt(
        std::vector<std::string> const& keys, std::int64_t now, std::int64_t window_seconds,
        std::int64_t limit) = 0;
    /// Takes back one counted attempt (it succeeded): the count drops by one, never below zero;
    /// nothing if the key has no count in its window.
    [[nodiscard]] virtual result<void> release_attempt(std::string_view key, std::int64_t now,
                                                       std::int64_t window_seconds) = 0;
    /// The current count and its window start ({0, 0} if none or the window has passed).
    [[nodiscard]] virtual result<failure_count> failures(std::string_view key, std::int64_t now,
                                                         std::int64_t window_seconds) = 0;
    /// Forgets the key (idempotent).
    [[nodiscard]] virtual result<void> reset_failures(std::string_view key) = 0;
    /// Deletes counters whose window has passed at `now`; returns rows removed.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_failures(
        std::int64_t now, std::int64_t window_seconds) = 0;
};

}  // namespace warden::store
