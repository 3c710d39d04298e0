// The connection pool and the store under concurrent callers.
#include "store/sqlite/pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "support/temp_dir.hpp"

namespace warden::store {
namespace {

std::unique_ptr<sqlite_connection> connect(std::filesystem::path const& file) {
    auto c = sqlite_connection::open(file.string(), 100, nullptr);
    EXPECT_TRUE(c.has_value());
    return c ? std::move(*c) : nullptr;
}

TEST(sqlite_pool, reuses_a_given_back_connection) {
    test::temp_dir dir;
    auto const file = dir.path() / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 1, .busy_timeout_ms = 100}, connect(file)};
    sqlite_connection* first = nullptr;
    {
        auto l = pool.acquire();
        ASSERT_TRUE(l.has_value());
        first = &**l;
    }
    auto again = pool.acquire();
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(&**again, first);
}

TEST(sqlite_pool, opens_more_connections_up_to_the_limit) {
    test::temp_dir dir;
    auto const file = dir.path() / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 2, .busy_timeout_ms = 100}, connect(file)};
    auto a = pool.acquire();
    auto b = pool.acquire();
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_NE(&**a, &**b);
}

TEST(sqlite_pool, a_connection_that_lost_its_file_is_closed_with_every_idle_one) {
    test::temp_dir dir;
    auto const file = dir.path() / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 3, .busy_timeout_ms = 100}, connect(file)};
    {
        auto a = pool.acquire();
        auto b = pool.acquire();
        ASSERT_TRUE(a.has_value() && b.has_value());
        EXPECT_EQ((*a)->generation(), 0U);
        { auto given_back = std::move(*b); }  // b idle
        (*a)->mark_broken();                  // as an I/O error on a would
    }
    // Neither a nor the idle b is reused: both connections now are new, of the next generation.
    auto c = pool.acquire();
    auto d = pool.acquire();
    ASSERT_TRUE(c.has_value() && d.has_value());
    EXPECT_EQ((*c)->generation(), 1U);
    EXPECT_EQ((*d)->generation(), 1U);
    EXPECT_FALSE((*c)->broken());
}

TEST(sqlite_connection_lost, names_the_errors_that_need_the_file_opened_again) {
    for (int rc :
         {SQLITE_IOERR_WRITE, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_CORRUPT}) {
        EXPECT_TRUE(sqlite_connection_lost(rc)) << rc;
    }
    for (int rc : {SQLITE_OK, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_CONSTRAINT_UNIQUE}) {
        EXPECT_FALSE(sqlite_connection_lost(rc)) << rc;
    }
}

TEST(sqlite_pool, times_out_as_unavailable_when_every_connection_is_lent) {
    test::temp_dir dir;
    auto const file = dir.path() / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 1, .busy_timeout_ms = 50}, connect(file)};
    auto held = pool.acquire();
    ASSERT_TRUE(held.has_value());
    auto r = pool.acquire();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
}

TEST(sqlite_pool, a_waiter_gets_the_connection_given_back) {
    test::temp_dir dir;
    auto const file = dir.path() / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 1, .busy_timeout_ms = 5000}, connect(file)};
    std::atomic<bool> got{false};
    std::jthread waiter;
    {
        auto held = pool.acquire();
        ASSERT_TRUE(held.has_value());
        waiter = std::jthread{[&] { got = pool.acquire().has_value(); }};
        std::this_thread::sleep_for(std::chrono::milliseconds{20});
        EXPECT_FALSE(got.load());  // still waiting: the only connection is lent
    }
    waiter.join();
    EXPECT_TRUE(got.load());
}

TEST(sqlite_pool, writers_take_turns_while_readers_go_on) {
    test::temp_dir dir;
    auto const file = dir.path() / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 3, .busy_timeout_ms = 50}, connect(file)};
    {
        auto writer = pool.acquire_writer();
        ASSERT_TRUE(writer.has_value());
        EXPECT_EQ(pool.acquire_writer().error(), errc::unavailable);  // the turn is taken
        EXPECT_TRUE(pool.acquire().has_value());                      // readers are not held up
    }
    EXPECT_TRUE(pool.acquire_writer().has_value());  // the turn came back with the connection
}

TEST(sqlite_pool, a_failed_writer_open_gives_the_turn_back) {
    test::temp_dir dir;
    auto const file = dir.path() / "missing" / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 1, .busy_timeout_ms = 50}, nullptr};
    EXPECT_EQ(pool.acquire_writer().error(), errc::unavailable);
    std::filesystem::create_directory(dir.path() / "missing");
    EXPECT_TRUE(pool.acquire_writer().has_value());
}

TEST(sqlite_pool, a_failed_open_is_unavailable_and_frees_its_slot) {
    test::temp_dir dir;
    auto const file = dir.path() / "missing" / "p.db";
    sqlite_pool pool{file.string(), {.max_connections = 1, .busy_timeout_ms = 50}, nullptr};
    EXPECT_EQ(pool.acquire().error(), errc::unavailable);
    EXPECT_EQ(pool.acquire().error(), errc::unavailable);  // not a timeout: the slot was freed
}

using concurrent_store = test::store_test;

// Readers and writers at once on every interface (ThreadSanitizer checks the pool and SQLite use).
TEST_P(concurrent_store, mixed_calls_from_many_threads_all_succeed) {
    auto const u = add_user("base@x.io");
    constexpr int threads = 6;
    constexpr int each = 25;
    std::atomic<int> failures{0};
    std::barrier start{threads};
    {
        std::vector<std::jthread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([&, t] {
                start.arrive_and_wait();
                for (int i = 0; i < each; ++i) {
                    std::string const tag = std::to_string(t) + "-" + std::to_string(i);
                    bool ok = s_.users->find_user(u.id).has_value();
                    ok = ok && !*s_.revocations->is_revoked("j-" + tag);
                    ok = ok && s_.revocations->revoke_jti("j-" + tag, 100).has_value();
                    ok = ok && *s_.revocations->is_revoked("j-" + tag);
                    refresh_token const rt{"h-" + tag, "f-" + tag, u.id, "", 1, 100};
                    ok = ok && s_.sessions->add_refresh_token(rt).has_value();
                    auto const spent = s_.sessions->consume_refresh_token(rt.token_hash, 2);
                    ok = ok && spent && spent->state == refresh_state::fresh;
                    new_user const nu{.email = "u" + tag + "@x.io", .password_hash = "h"};
                    ok = ok && s_.users->create_user(nu, 1).has_value();
                    ok = ok && s_.users->list_users(5, 0).has_value();
                    auto const key = "address:" + std::to_string(t);
                    ok = ok && s_.counters->add_failure(key, 1, 60).has_value();
                    if (!ok) ++failures;
                }
            });
        }
    }
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(s_.users->list_users(0, 0)->total, 1 + threads * each);
    for (int t = 0; t < threads; ++t) {
        EXPECT_EQ(s_.counters->failures("address:" + std::to_string(t), 1, 60)->count, each);
    }
}

WARDEN_ON_EVERY_BACKEND(concurrent_store);

}  // namespace
}  // namespace warden::store
