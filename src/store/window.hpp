#pragma once
// The fixed windows of the login-failure counters, shared by the backends.
#include <cstdint>
#include <limits>

namespace warden::store {

/// now - window, saturating (a window of any size never wraps around). A window that started
/// after the cutoff is still running.
[[nodiscard]] inline std::int64_t window_cutoff(std::int64_t now,
                                                std::int64_t window_seconds) noexcept {
    std::int64_t cutoff = 0;
    if (__builtin_sub_overflow(now, window_seconds, &cutoff)) {
        return window_seconds > 0 ? std::numeric_limits<std::int64_t>::min()
                                  : std::numeric_limits<std::int64_t>::max();
    }
    return cutoff;
}

}  // namespace warden::store
