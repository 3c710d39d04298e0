#pragma once
// The store backends and the bounded pools their blocking calls run on. Services write
// `co_await db.run([&] { return db.users().find_user(id); })`: the lambda runs on a pool thread,
// the coroutine resumes on its own executor. References captured by the lambda stay valid
// because the coroutine is suspended until the task has finished.
//
// The guard's per-request read goes through `lookup`, which may have a pool of its own: there
// it never queues behind a write waiting for its disk sync, and one busy thread answers a stream
// of short reads with far fewer thread wake-ups than a pool of several (measured:
// docs/benchmarks.md).
#include <functional>
#include <type_traits>
#include <utility>

#include <warden/auth/events.hpp>
#include <warden/core/work_pool.hpp>
#include <warden/store/store.hpp>

namespace warden::auth {

class database {
  public:
    database(store::backends stores, work_pool& pool) : database(std::move(stores), pool, pool) {}
    /// `lookups` runs the tasks given to `lookup`; everything else runs on `pool`.
    database(store::backends stores, work_pool& pool, work_pool& lookups)
        : stores_(std::move(stores)), pool_(pool), lookups_(lookups) {}

    template <class Task>
    [[nodiscard]] auto run(Task task) {
        return pool_.run(counted(std::move(task)));
    }

    /// As `run`, for a use case that may change a user or revoke a token: once it has finished
    /// (whatever its result: a refused refresh may have revoked a family), the change observer
    /// runs on the same pool thread before the caller resumes. The guard's cache reads the change
    /// feed there, so this process's next request sees the change.
    template <class Task>
    [[nodiscard]] auto write(Task task) {
        return pool_.run([this, task = counted(std::move(task))]() mutable {
            auto outcome = task();
            if (change_observer_) change_observer_();
            return outcome;
        });
    }

    /// Sets the observer `write` runs (before any request is served; not thread-safe).
    void observe_changes(std::function<void()> observer) { change_observer_ = std::move(observer); }

    /// Counts every task given to `run`, `write` or `lookup` that ends in a store failure
    /// (`is_store_failure`) in `counts` (before any request is served; not thread-safe).
    void count_failures_in(events& counts) noexcept { events_ = &counts; }

    /// As `run`, for short reads on the request path (the guard's): they must not write.
    template <class Task>
    [[nodiscard]] auto lookup(Task task) {
        return lookups_.run(counted(std::move(task)));
    }

    [[nodiscard]] store::user_store& users() const noexcept { return *stores_.users; }
    [[nodiscard]] store::session_store& sessions() const noexcept { return *stores_.sessions; }
    [[nodiscard]] store::revocation_store& revocations() const noexcept {
        return *stores_.revocations;
    }
    [[nodiscard]] store::counter_store& counters() const noexcept { return *stores_.counters; }
    [[nodiscard]] store::client_store& clients() const noexcept { return *stores_.clients; }
    /// Whether the stores include the one-time tokens (test fakes may not).
    [[nodiscard]] bool has_one_time_tokens() const noexcept {
        return stores_.one_time_tokens != nullptr;
    }
    /// The e-mail verification and password reset tokens.
    [[nodiscard]] store::one_time_token_store& one_time_tokens() const noexcept {
        return *stores_.one_time_tokens;
    }
    /// Whether the stores include TOTP (test fakes may not).
    [[nodiscard]] bool has_totp() const noexcept { return stores_.totp != nullptr; }
    /// The users' TOTP second factors.
    [[nodiscard]] store::totp_store& totp() const noexcept { return *stores_.totp; }
    /// The change feed; null for stores without one.
    [[nodiscard]] store::change_feed* feed() const noexcept { return stores_.feed.get(); }

  private:
    /// `task`, counting a store failure in its outcome (a `result` or an `error_code`).
    template <class Task>
    auto counted(Task task) {
        return [this, task = std::move(task)]() mutable {
            auto outcome = task();
            if (events_ != nullptr) {
                if constexpr (std::is_same_v<decltype(outcome), error_code>) {
                    if (is_store_failure(outcome)) events_->store_failed();
                } else {
                    if (outcome.has_error() && is_store_failure(outcome.error()))
                        events_->store_failed();
                }
            }
            return outcome;
        };
    }

    store::backends stores_;
    work_pool& pool_;
    work_pool& lookups_;
    std::function<void()> change_observer_;
    events* events_ = nullptr;
};

}  // namespace warden::auth
