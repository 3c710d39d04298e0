#pragma once
// A bounded thread pool for blocking work (password hashing, SQLite, libpq), awaited from
// coroutines on the I/O threads. When the queue is at its limit the call fails at once with
// `core_errc::pool_full` (condition `unavailable`) instead of queueing without bound.
#include <atomic>
#include <cstddef>
#include <exception>
#include <type_traits>
#include <utility>

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <warden/core/errc.hpp>
#include <warden/core/result.hpp>

namespace warden {

class work_pool {
  public:
    struct options {
        std::size_t threads = 0;        ///< 0: one per core
        std::size_t queue_limit = 256;  ///< tasks waiting beyond the running ones
    };

    explicit work_pool(options opts);
    work_pool(work_pool const&) = delete;
    work_pool& operator=(work_pool const&) = delete;
    /// Finishes every queued task, then joins the threads.
    ~work_pool();

    /// As the destructor, earlier: once the callers' io_contexts have run out of work, and before
    /// they are destroyed. A pool thread drops its copy of a caller's executor only after it
    /// has handed the result back (and with it the caller's last work); joined here, that copy
    /// never outlives the io_context it refers to. Idempotent; no task may be run afterwards.
    void join();

    [[nodiscard]] std::size_t threads() const noexcept { return threads_; }
    /// Tasks queued or running right now.
    [[nodiscard]] std::size_t pending() const noexcept { return pending_.load(); }
    /// Calls refused with `pool_full` so far.
    [[nodiscard]] std::size_t rejected() const noexcept {
        return rejected_.load(std::memory_order_relaxed);
    }

    /// Runs `task` (a callable returning `result<T>`) on a pool thread and resumes the caller on
    /// its own executor with the task's result. Errors: `core_errc::pool_full` when `threads +
    /// queue_limit` tasks are already pending; `core_errc::task_failed` if the task throws.
    template <class Task, class Result = std::invoke_result_t<Task&>>
    [[nodiscard]] boost::asio::awaitable<Result> run(Task task) {
        if (!try_acquire())
            co_return Result{boost::system::in_place_error, make_error_code(core_errc::pool_full)};
        // GCC 12 mishandles move-only temporaries inside a co_await expression (it destroyed a
        // captured secret twice): build the operation first, await it in a statement of its own.
        auto operation =
            boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Result)>(
                initiation<Task, Result>{this}, boost::asio::use_awaitable, std::move(task));
        Result r = co_await std::move(operation);
        co_return r;
    }

  private:
    bool try_acquire() noexcept;

    // Posts the task to the pool; the pool thread runs it and posts the result back to the
    // awaiting coroutine's executor. Work is held on that executor until the pool thread has
    // posted, so the caller's io_context cannot run out of work and be destroyed meanwhile.
    template <class Task, class Result>
    struct initiation {
        work_pool* self;
        template <class Handler>
        void operator()(Handler handler, Task task) const {
            auto work = boost::asio::make_work_guard(boost::asio::get_associated_executor(handler));
            boost::asio::post(self->pool_, [self = self, h = std::move(handler),
                                            t = std::move(task), work = std::move(work)]() mutable {
                Result r = invoke(t);
                self->pending_.fetch_sub(1);
                boost::asio::post(
                    work.get_executor(),
                    [h = std::move(h), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
                work.reset();
            });
        }
    };

    template <class Task, class Result = std::invoke_result_t<Task&>>
    static Result invoke(Task& task) noexcept {
        try {
            return task();
        } catch (...) {
            return Result{boost::system::in_place_error, make_error_code(core_errc::task_failed)};
        }
    }

    std::size_t threads_;
    std::size_t capacity_;
    std::atomic<std::size_t> pending_{0};
    std::atomic<std::size_t> rejected_{0};
    boost::asio::thread_pool pool_;
};

}  // namespace warden
