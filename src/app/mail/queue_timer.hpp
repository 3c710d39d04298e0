#pragma once
// The mail queue's sense of time, injected so tests run the back-off without sleeping.
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace warden::app {

class queue_timer {
  public:
    using time_point = std::chrono::steady_clock::time_point;
    virtual ~queue_timer() = default;

    [[nodiscard]] virtual time_point now() const = 0;

    /// Waits on `wake` (with `lock` held on entry and on return) until `deadline` passes or
    /// `wake` is notified; may return early (the caller checks again).
    virtual void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
                            time_point deadline) = 0;
};

/// The real steady clock.
class steady_queue_timer final : public queue_timer {
  public:
    [[nodiscard]] time_point now() const override { return std::chrono::steady_clock::now(); }
    void wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& wake,
                    time_point deadline) override {
        wake.wait_until(lock, deadline);
    }
};

}  // namespace warden::app
