#pragma once
// A mail transport for the tests: records every attempt, answers from a script (then success),
// and can hold a delivery until it is released or aborted.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/mail/mail_errc.hpp"
#include "app/mail/mail_transport.hpp"
#include "app/mail/queue_timer.hpp"

namespace warden::test {

/// A queue timer whose time moves only when the queue waits: a wait jumps to its deadline. Once
/// frozen, time stands still and a wait only gives the waiter's lock away for a millisecond.
class fake_queue_timer final : public app::queue_timer {
  public:
    [[nodiscard]] time_point now() const override {
        std::lock_guard const lock{mutex_};
        return now_;
    }
    void wait_until(std::unique_lock<std::mutex>& waiter, std::condition_variable& wake,
                    time_point deadline) override {
        if (frozen_.load()) {
            wake.wait_for(waiter, std::chrono::milliseconds{1});
            return;
        }
        std::lock_guard const lock{mutex_};
        if (deadline > now_) now_ = deadline;
    }
    void freeze() { frozen_.store(true); }
    [[nodiscard]] static time_point start() { return time_point{std::chrono::hours{1}}; }

  private:
    mutable std::mutex mutex_;
    time_point now_ = start();
    std::atomic<bool> frozen_{false};
};

class fake_mail_transport final : public app::mail_transport {
  public:
    struct attempt {
        std::string recipient;
        std::string message;
        app::queue_timer::time_point at;
    };

    explicit fake_mail_transport(app::queue_timer const& timer) : timer_(timer) {}

    /// The answers to the next attempts, in order; afterwards every attempt succeeds.
    void script(std::vector<app::mail_errc> failures) {
        std::lock_guard const lock{mutex_};
        script_.assign(failures.begin(), failures.end());
    }
    /// Holds every delivery from now on until `release` (or the queue's abort).
    void hold() {
        std::lock_guard const lock{mutex_};
        held_ = true;
    }
    void release() {
        {
            std::lock_guard const lock{mutex_};
            held_ = false;
        }
        changed_.notify_all();
    }

    error_code send(std::string_view recipient, std::string_view message,
                    std::atomic<bool> const& abort, std::string* why) override {
        std::unique_lock lock{mutex_};
        attempts_.push_back({std::string{recipient}, std::string{message}, timer_.now()});
        changed_.notify_all();
        while (held_ && !abort.load()) changed_.wait_for(lock, std::chrono::milliseconds{5});
        if (abort.load() && held_) {
            *why = "stopped while sending";
            return app::mail_errc::aborted;
        }
        if (script_.empty()) return {};
        auto const result = script_.front();
        script_.pop_front();
        *why = "scripted failure";
        return result;
    }

    [[nodiscard]] std::vector<attempt> attempts() const {
        std::lock_guard const lock{mutex_};
        return attempts_;
    }
    /// Waits (real time, at most 10 s) until `n` attempts were made.
    bool wait_for_attempts(std::size_t n) {
        std::unique_lock lock{mutex_};
        return changed_.wait_for(lock, std::chrono::seconds{10},
                                 [&] { return attempts_.size() >= n; });
    }

  private:
    app::queue_timer const& timer_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<app::mail_errc> script_;
    std::vector<attempt> attempts_;
    bool held_ = false;
};

/// Polls `done` every millisecond for up to 10 s of real time.
template <class Predicate>
bool eventually(Predicate done) {
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
    return true;
}

}  // namespace warden::test
