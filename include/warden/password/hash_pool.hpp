#pragma once
// The bounded pool that runs a password `context` off the I/O threads (SPEC §2): a thin wrapper
// owning a `warden::work_pool` and the context. When `threads + queue_limit` calls are already
// pending, a call fails at once with `core_errc::pool_full` (condition `unavailable`: the
// service answers 503 + Retry-After) instead of queueing without bound.
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string>
#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>
#include <warden/core/work_pool.hpp>
#include <warden/password/context.hpp>

namespace warden::password {

class hash_pool {
  public:
    struct options {
        std::size_t threads = 0;       ///< 0: one per core
        std::size_t queue_limit = 64;  ///< calls waiting beyond the running ones
    };

    /// Starts the threads; cannot fail (the context was checked by `context::create`).
    hash_pool(context ctx, options opts);
    hash_pool(hash_pool const&) = delete;
    hash_pool& operator=(hash_pool const&) = delete;
    /// Finishes every accepted call, then joins the threads.
    ~hash_pool() = default;

    /// `work_pool::join`: before the io_contexts of its callers are destroyed.
    void join() { pool_.join(); }

    /// The context the pool runs (for cheap checks such as `check_new_password` on the caller).
    [[nodiscard]] password::context const& hashing_context() const noexcept { return context_; }
    /// The number of pool threads.
    [[nodiscard]] std::size_t threads() const noexcept { return pool_.threads(); }
    /// Calls queued or running right now.
    [[nodiscard]] std::size_t pending() const noexcept { return pool_.pending(); }
    /// Calls refused with `core_errc::pool_full` so far.
    [[nodiscard]] std::size_t rejected() const noexcept { return pool_.rejected(); }

    // Each call runs the `context` function of the same name on a pool thread and resumes the
    // caller on its own executor. Errors: those of the context function, `core_errc::pool_full`
    // when full, `core_errc::task_failed` on a bug. The password is wiped when the call ends.
    // While a call is in flight it holds work on the caller's executor, so the caller's
    // io_context does not run out of work (and `run()` does not return) before it completes.

    /// `context::hash` on the pool.
    [[nodiscard]] boost::asio::awaitable<result<std::string>> hash(secret_bytes password);
    /// `context::verify` on the pool.
    [[nodiscard]] boost::asio::awaitable<result<verdict>> verify(secret_bytes password,
                                                                 std::string stored);
    /// `context::verify_and_update` on the pool.
    [[nodiscard]] boost::asio::awaitable<result<verify_outcome>> verify_and_update(
        secret_bytes password, std::string stored);
    /// `context::dummy_verify` on the pool (a login of an unknown user).
    [[nodiscard]] boost::asio::awaitable<result<void>> dummy_verify(secret_bytes password);

  private:
    // Declared before the pool so the pool's threads are joined before the context goes.
    password::context context_;
    work_pool pool_;
};

}  // namespace warden::password
