#include <warden/password/hash_pool.hpp>

#include <utility>

namespace warden::password {

namespace asio = boost::asio;

hash_pool::hash_pool(password::context ctx, options opts)
    : context_(std::move(ctx)),
      pool_(work_pool::options{.threads = opts.threads, .queue_limit = opts.queue_limit}) {}

// Each task owns its password (a `secret_bytes`, wiped when the task is destroyed) and reads
// the context, which is immutable and outlives the pool's threads. The task is a named local
// awaited in a statement of its own: GCC 12 mishandles a move-only temporary inside a
// `co_await` expression (it destroyed the captured password twice).

asio::awaitable<result<std::string>> hash_pool::hash(secret_bytes password) {
    auto task = [ctx = &context_, pw = std::move(password)]() -> result<std::string> {
        return ctx->hash(pw.view());
    };
    auto r = co_await pool_.run(std::move(task));
    co_return r;
}

asio::awaitable<result<verdict>> hash_pool::verify(secret_bytes password, std::string stored) {
    auto task = [ctx = &context_, pw = std::move(password),
                 s = std::move(stored)]() -> result<verdict> { return ctx->verify(pw.view(), s); };
    auto r = co_await pool_.run(std::move(task));
    co_return r;
}

asio::awaitable<result<verify_outcome>> hash_pool::verify_and_update(secret_bytes password,
                                                                     std::string stored) {
    auto task = [ctx = &context_, pw = std::move(password),
                 s = std::move(stored)]() -> result<verify_outcome> {
        return ctx->verify_and_update(pw.view(), s);
    };
    auto r = co_await pool_.run(std::move(task));
    co_return r;
}

asio::awaitable<result<void>> hash_pool::dummy_verify(secret_bytes password) {
    auto task = [ctx = &context_, pw = std::move(password)]() -> result<void> {
        return ctx->dummy_verify(pw.view());
    };
    auto r = co_await pool_.run(std::move(task));
    co_return r;
}

}  // namespace warden::password
