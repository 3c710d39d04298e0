#include <warden/core/work_pool.hpp>

#include <gtest/gtest.h>

#include <latch>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "support/run.hpp"

namespace warden {
namespace {

namespace asio = boost::asio;

TEST(work_pool, runs_the_task_off_the_calling_thread) {
    work_pool pool{{.threads = 2, .queue_limit = 4}};
    auto const caller = std::this_thread::get_id();
    auto const r = test::run([&]() -> asio::awaitable<result<std::thread::id>> {
        auto worker = co_await pool.run(
            []() -> result<std::thread::id> { return std::this_thread::get_id(); });
        // Back on the caller's thread after the await.
        EXPECT_EQ(std::this_thread::get_id(), caller);
        co_return worker;
    }());
    ASSERT_TRUE(r.has_value());
    EXPECT_NE(*r, caller);
}

TEST(work_pool, passes_errors_through) {
    work_pool pool{{.threads = 1, .queue_limit = 1}};
    auto const r = test::run(
        pool.run([]() -> result<int> { return make_error_code(core_errc::random_failed); }));
    EXPECT_EQ(r.error(), core_errc::random_failed);
}

TEST(work_pool, turns_a_throwing_task_into_task_failed) {
    work_pool pool{{.threads = 1, .queue_limit = 1}};
    auto const r = test::run(pool.run([]() -> result<int> { throw std::runtime_error("boom"); }));
    EXPECT_EQ(r.error(), core_errc::task_failed);
    EXPECT_EQ(r.error(), condition::internal);
    EXPECT_EQ(pool.pending(), 0U);
}

TEST(work_pool, rejects_at_once_when_full) {
    work_pool pool{{.threads = 1, .queue_limit = 1}};
    std::latch release{1};
    asio::io_context io;
    std::vector<result<int>> done;
    auto blocked = [&]() -> result<int> {
        release.wait();
        return 7;
    };
    // Two tasks fill the pool (one running, one queued); the third must fail without waiting.
    for (int i = 0; i < 2; ++i) {
        asio::co_spawn(io, pool.run(blocked),
                       [&](std::exception_ptr, result<int> r) { done.push_back(r); });
    }
    io.poll();
    EXPECT_EQ(pool.pending(), 2U);
    EXPECT_EQ(pool.rejected(), 0U);
    result<int> third = 0;
    asio::co_spawn(io, pool.run(blocked), [&](std::exception_ptr, result<int> r) { third = r; });
    io.poll();
    ASSERT_FALSE(third.has_value());
    EXPECT_EQ(third.error(), core_errc::pool_full);
    EXPECT_EQ(third.error(), condition::unavailable);
    EXPECT_EQ(pool.rejected(), 1U);  // counted; the accepted calls are not
    release.count_down();
    io.run();
    ASSERT_EQ(done.size(), 2U);
    EXPECT_EQ(done[0].value(), 7);
    EXPECT_EQ(done[1].value(), 7);
    EXPECT_EQ(pool.pending(), 0U);
}

TEST(work_pool, defaults_to_one_thread_per_core) {
    work_pool const pool{{}};
    EXPECT_GE(pool.threads(), 1U);
}

}  // namespace
}  // namespace warden
