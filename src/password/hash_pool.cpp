#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/this_coro.hpp>
#include <type_traits>
#include <utility>
#include <warden/password/hash_pool.hpp>

namespace warden::password {
namespace {

namespace asio = boost::asio;

/// Runs `f` on `pool` while holding work on the caller's executor until the pool thread has let
/// go of the task. work_pool posts the result back without such a guard, so the caller's
/// io_context could see its last handler run, return from `run()` and be destroyed while the
/// pool thread is still inside that post (ThreadSanitizer reports it; at shutdown it would be a
/// use after free). The guard lives in the task, which the pool thread destroys after posting.
template <class F>
asio::awaitable<std::invoke_result_t<F&>> run_guarded(work_pool& pool, F f) {
    auto executor = co_await asio::this_coro::executor;
    auto task = [work = asio::make_work_guard(executor), f = std::move(f)]() mutable {
        return f();
    };
    // A named task awaited in a statement of its own: GCC 12 mishandles a move-only temporary
    // inside a `co_await` expression (it destroyed the captured password twice).
    auto r = co_await pool.run(std::move(task));
    co_return r;
}

}  // namespace

hash_pool::hash_pool(password::context ctx, options opts)
    : context_(std::move(ctx)),
      pool_(work_pool::options{.threads = opts.threads, .queue_limit = opts.queue_limit}) {}

// Each task owns its password (a `secret_bytes`, wiped when the task is destroyed) and reads
// the context, which is immutable and outlives the pool's threads.

asio::awaitable<result<std::string>> hash_pool::hash(secret_bytes password) {
    auto task = [ctx = &context_, pw = std::move(password)]() -> result<std::string> {
        return ctx->hash(pw.view());
    };
    auto r = co_await run_guarded(pool_, std::move(task));
    co_return r;
}

asio::awaitable<result<verdict>> hash_pool::verify(secret_bytes password, std::string stored) {
    auto task = [ctx = &context_, pw = std::move(password),
                 s = std::move(stored)]() -> result<verdict> { return ctx->verify(pw.view(), s); };
    auto r = co_await run_guarded(pool_, std::move(task));
    co_return r;
}

asio::awaitable<result<verify_outcome>> hash_pool::verify_and_update(secret_bytes password,
                                                                     std::string stored) {
    auto task = [ctx = &context_, pw = std::move(password),
                 s = std::move(stored)]() -> result<verify_outcome> {
        return ctx->verify_and_update(pw.view(), s);
    };
    auto r = co_await run_guarded(pool_, std::move(task));
    co_return r;
}

asio::awaitable<result<void>> hash_pool::dummy_verify(secret_bytes password) {
    auto task = [ctx = &context_, pw = std::move(password)]() -> result<void> {
        return ctx->dummy_verify(pw.view());
    };
    auto r = co_await run_guarded(pool_, std::move(task));
    co_return r;
}

}  // namespace warden::password
