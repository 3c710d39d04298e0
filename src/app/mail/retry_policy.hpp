#pragma once
// How often and when a mail that could not be sent is tried again: exponential back-off with a
// ceiling, and a budget of retries after which it is dropped.
#include <algorithm>
#include <chrono>

namespace warden::app {

struct retry_policy {
    unsigned retries = 8;                             ///< attempts after the first
    std::chrono::milliseconds first_delay{5'000};     ///< before the first retry
    std::chrono::milliseconds max_delay{5 * 60'000};  ///< the longest wait between attempts

    /// The wait after `failed_attempts` failures (1 for the first): first_delay doubled for each
    /// further failure, at most max_delay.
    [[nodiscard]] std::chrono::milliseconds delay_after(unsigned failed_attempts) const noexcept {
        auto delay = first_delay;
        for (unsigned i = 1; i < failed_attempts && delay < max_delay; ++i) delay *= 2;
        return std::min(delay, max_delay);
    }

    /// True when a mail that failed `failed_attempts` times may be tried again.
    [[nodiscard]] bool may_retry(unsigned failed_attempts) const noexcept {
        return failed_attempts <= retries;
    }
};

}  // namespace warden::app
