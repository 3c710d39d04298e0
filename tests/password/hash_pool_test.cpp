#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <string>
#include <thread>
#include <vector>
#include <warden/password/errc.hpp>
#include <warden/password/hash_pool.hpp>

#include "support/run.hpp"
#include "test_options.hpp"

namespace warden::password {
namespace {

namespace asio = boost::asio;

secret_bytes pw(std::string_view text) { return secret_bytes{text}; }

constexpr auto fastapi_bcrypt = "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW";

TEST(hash_pool, runs_the_context_off_the_calling_thread_and_resumes_on_it) {
    hash_pool pool{test::cheap_context(), {.threads = 2, .queue_limit = 4}};
    EXPECT_EQ(pool.threads(), 2U);
    auto const caller = std::this_thread::get_id();
    warden::test::run([&]() -> asio::awaitable<void> {
        auto const h = co_await pool.hash(pw("correct horse"));
        EXPECT_EQ(std::this_thread::get_id(), caller);
        EXPECT_TRUE(h.has_value());
        if (!h) co_return;
        auto const ok = co_await pool.verify(pw("correct horse"), *h);
        EXPECT_EQ(ok.value(), verdict::match);
        auto const bad = co_await pool.verify(pw("wrong horse"), *h);
        EXPECT_EQ(bad.value(), verdict::mismatch);
        auto const upd = co_await pool.verify_and_update(pw("correct horse"), *h);
        EXPECT_TRUE(upd.has_value() && upd->matched && !upd->new_hash);
        auto const dummy = co_await pool.dummy_verify(pw("whatever"));
        EXPECT_TRUE(dummy.has_value());
    }());
    EXPECT_EQ(pool.pending(), 0U);
}

TEST(hash_pool, passes_the_contexts_errors_through) {
    hash_pool pool{test::cheap_context(scheme::bcrypt), {.threads = 1, .queue_limit = 1}};
    warden::test::run([&]() -> asio::awaitable<void> {
        auto const h = co_await pool.hash(secret_bytes{std::string(73, 'x')});
        EXPECT_EQ(h.error(), errc::password_too_long_for_bcrypt);
        auto const v = co_await pool.verify(pw("password"), "$2b$04$garbage");
        EXPECT_FALSE(v.has_value());
        if (!v) {
            EXPECT_EQ(v.error(), errc::malformed_hash);
        }
        auto const d = co_await pool.dummy_verify(secret_bytes{std::string{"a\0b", 3}});
        EXPECT_EQ(d.error(), errc::password_contains_nul);
    }());
}

TEST(hash_pool, upgrades_through_verify_and_update) {
    hash_pool pool{test::cheap_context(), {.threads = 1, .queue_limit = 1}};
    auto const r = warden::test::run(pool.verify_and_update(pw("secret"), fastapi_bcrypt));
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_TRUE(r->matched);
    ASSERT_TRUE(r->new_hash.has_value());
    EXPECT_TRUE(r->new_hash->starts_with("$argon2id$"));
}

TEST(hash_pool, rejects_at_once_with_unavailable_when_full) {
    // One thread and a queue of one: two slow verifications (bcrypt cost 12, ~250 ms each) fill
    // it; a third call must be refused without waiting. "Without waiting" is an event, not a
    // time: `io.poll()` never blocks, so a call whose completion has run by the time poll()
    // returns was answered at once. The fill is confirmed by events too: both fillers are still
    // pending after the third call was answered. Only if the machine is so loaded that the
    // test thread stalls for a whole verification (pending() has dropped) is the round repeated.
    hash_pool pool{test::cheap_context(), {.threads = 1, .queue_limit = 1}};
    for (int round = 0;; ++round) {
        ASSERT_LT(round, 5) << "the pool never stayed full while the test thread ran";
        asio::io_context io;
        std::vector<result<verdict>> done;
        for (int i = 0; i < 2; ++i) {
            asio::co_spawn(io, pool.verify(pw("secret"), fastapi_bcrypt),
                           [&](std::exception_ptr, result<verdict> r) { done.push_back(r); });
        }
        io.poll();
        std::optional<result<verdict>> third;
        std::optional<result<std::string>> hashed;
        std::optional<result<void>> dummy;
        bool const full_before = pool.pending() == 2U;
        asio::co_spawn(io, pool.verify(pw("secret"), fastapi_bcrypt),
                       [&](std::exception_ptr, result<verdict> r) { third = r; });
        // The other call kinds are refused the same way while it is full.
        asio::co_spawn(io, pool.hash(pw("correct horse")),
                       [&](std::exception_ptr, result<std::string> r) { hashed = r; });
        asio::co_spawn(io, pool.dummy_verify(pw("correct horse")),
                       [&](std::exception_ptr, result<void> r) { dummy = r; });
        io.poll();
        bool const full_after = pool.pending() == 2U && done.empty();
        io.run();  // the fillers (and anything a stalled round let in) finish
        ASSERT_EQ(pool.pending(), 0U);
        if (!full_before || !full_after) continue;  // the window closed under load: again

        ASSERT_TRUE(third.has_value() && hashed.has_value() && dummy.has_value());
        ASSERT_FALSE(third->has_value());
        EXPECT_EQ(third->error(), core_errc::pool_full);
        EXPECT_EQ(third->error(), condition::unavailable);
        EXPECT_EQ(hashed->error(), condition::unavailable);
        EXPECT_EQ(dummy->error(), condition::unavailable);
        ASSERT_EQ(done.size(), 2U);
        EXPECT_EQ(done[0].value(), verdict::match);
        EXPECT_EQ(done[1].value(), verdict::match);
        break;
    }
    // Room again.
    EXPECT_EQ(warden::test::run(pool.hash(pw("correct horse"))).has_value(), true);
}

TEST(hash_pool, serves_many_concurrent_callers_from_several_io_threads) {
    // Four I/O threads await a two-thread pool; run under the tsan preset for the data-race check.
    hash_pool pool{test::cheap_context(), {.threads = 2, .queue_limit = 256}};
    auto const bcrypt_ctx = test::cheap_context(scheme::bcrypt);
    std::vector<std::string> stored;
    for (int i = 0; i < 4; ++i) {
        stored.push_back(pool.hashing_context().hash("password-" + std::to_string(i)).value());
        stored.push_back(bcrypt_ctx.hash("password-" + std::to_string(i)).value());
    }
    asio::thread_pool io{4};
    std::atomic<int> matched{0}, mismatched{0}, upgraded{0}, failed{0};
    constexpr int callers = 64;
    std::atomic<int> finished{0};
    for (int i = 0; i < callers; ++i) {
        asio::co_spawn(
            io,
            [&, i]() -> asio::awaitable<void> {
                auto const& h = stored[static_cast<std::size_t>(i) % stored.size()];
                auto const n = static_cast<std::size_t>(i) % stored.size() / 2;
                std::string const right = "password-" + std::to_string(n);
                auto const ok = co_await pool.verify_and_update(secret_bytes{right}, h);
                if (!ok || !ok->matched) ++failed;
                if (ok && ok->new_hash) ++upgraded;
                auto const bad = co_await pool.verify(secret_bytes{"nope-" + right}, h);
                if (bad && *bad == verdict::mismatch) ++mismatched;
                if (bad && *bad == verdict::match) ++failed;
                auto const fresh = co_await pool.hash(secret_bytes{right});
                if (fresh) {
                    auto const again = co_await pool.verify(secret_bytes{right}, *fresh);
                    if (again && *again == verdict::match) ++matched;
                }
                auto const dummy = co_await pool.dummy_verify(secret_bytes{right});
                if (!dummy) ++failed;
                ++finished;
            },
            asio::detached);
    }
    io.join();
    EXPECT_EQ(finished.load(), callers);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(matched.load(), callers);
    EXPECT_EQ(mismatched.load(), callers);
    EXPECT_EQ(upgraded.load(), callers / 2);  // the bcrypt half
    EXPECT_EQ(pool.pending(), 0U);
}

TEST(hash_pool, keeps_an_error_an_error_when_the_result_is_copied) {
    // Why `verify` answers `result<verdict>`: Boost 1.81 copies a non-const `result<bool>`
    // through bool's explicit conversion, so a full pool would read as "wrong password".
    result<verdict> full{make_error_code(core_errc::pool_full)};
    result<verdict> copy(full);
    std::optional<result<verdict>> stored;
    stored = full;
    EXPECT_FALSE(copy.has_value());
    EXPECT_FALSE(stored->has_value());
    EXPECT_EQ(copy.error(), condition::unavailable);
}

TEST(hash_pool, defaults_to_one_thread_per_core) {
    hash_pool const pool{test::cheap_context(), {}};
    EXPECT_EQ(pool.threads(), std::max(1U, std::thread::hardware_concurrency()));
}

}  // namespace
}  // namespace warden::password
