// counter_store on every backend: fixed-window login-failure counters.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include <barrier>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace warden::store {
namespace {

using counters = test::store_test;

TEST_P(counters, failures_add_up_within_the_window) {
    EXPECT_EQ(*s_.counters->add_failure("account:a", 1000, 60), (failure_count{1, 1000}));
    EXPECT_EQ(*s_.counters->add_failure("account:a", 1010, 60), (failure_count{2, 1000}));
    EXPECT_EQ(*s_.counters->add_failure("account:a", 1059, 60), (failure_count{3, 1000}));
    EXPECT_EQ(*s_.counters->failures("account:a", 1059, 60), (failure_count{3, 1000}));
}

TEST_P(counters, the_window_restarts_once_it_has_passed) {
    ASSERT_TRUE(s_.counters->add_failure("k", 1000, 60));
    ASSERT_TRUE(s_.counters->add_failure("k", 1001, 60));
    // Exactly one window later.
    EXPECT_EQ(*s_.counters->failures("k", 1060, 60), (failure_count{}));
    EXPECT_EQ(*s_.counters->add_failure("k", 1060, 60), (failure_count{1, 1060}));
    EXPECT_EQ(*s_.counters->add_failure("k", 1061, 60), (failure_count{2, 1060}));
}

TEST_P(counters, an_unknown_key_has_no_failures) {
    EXPECT_EQ(*s_.counters->failures("nobody", 1000, 60), (failure_count{}));
    EXPECT_EQ(*s_.counters->failures("", 1000, 60), (failure_count{}));
}

TEST_P(counters, keys_are_independent_and_exact) {
    ASSERT_TRUE(s_.counters->add_failure("account:a", 1000, 60));
    ASSERT_TRUE(s_.counters->add_failure("address:10.0.0.1", 1000, 60));
    EXPECT_EQ(s_.counters->failures("account:a", 1000, 60)->count, 1);
    EXPECT_EQ(s_.counters->failures("account:A", 1000, 60)->count, 0);
    EXPECT_EQ(s_.counters->failures("address:10.0.0.1", 1000, 60)->count, 1);
}

TEST_P(counters, reset_forgets_the_key) {
    ASSERT_TRUE(s_.counters->add_failure("k", 1000, 60));
    ASSERT_TRUE(s_.counters->add_failure("other", 1000, 60));
    ASSERT_TRUE(s_.counters->reset_failures("k"));
    EXPECT_EQ(*s_.counters->failures("k", 1000, 60), (failure_count{}));
    EXPECT_EQ(s_.counters->failures("other", 1000, 60)->count, 1);
    EXPECT_TRUE(s_.counters->reset_failures("k"));        // idempotent
    EXPECT_TRUE(s_.counters->reset_failures("unknown"));  // nothing to forget
    EXPECT_EQ(*s_.counters->add_failure("k", 1001, 60), (failure_count{1, 1001}));
}

TEST_P(counters, an_empty_key_is_refused) {
    EXPECT_EQ(s_.counters->add_failure("", 1000, 60).error(), errc::invalid_argument);
}

TEST_P(counters, extreme_windows_do_not_overflow) {
    auto const max = std::numeric_limits<std::int64_t>::max();
    ASSERT_TRUE(s_.counters->add_failure("k", 0, max));
    EXPECT_EQ(s_.counters->add_failure("k", max, max)->count, 1);  // max - 0 >= max: restarted
    EXPECT_EQ(s_.counters->failures("k", max, max)->count, 1);
    EXPECT_EQ(*s_.counters->purge_expired_failures(max, max), 0);
    EXPECT_EQ(*s_.counters->purge_expired_failures(std::numeric_limits<std::int64_t>::min(), max),
              0);
}

TEST_P(counters, purge_removes_counters_whose_window_passed) {
    if (uses_redis()) GTEST_SKIP() << "Redis expires counters by its own clock (redis_store_test)";
    ASSERT_TRUE(s_.counters->add_failure("old", 1000, 60));
    ASSERT_TRUE(s_.counters->add_failure("new", 1050, 60));
    EXPECT_EQ(*s_.counters->purge_expired_failures(1059, 60), 0);
    EXPECT_EQ(*s_.counters->purge_expired_failures(1060, 60), 1);
    EXPECT_EQ(*s_.counters->failures("new", 1060, 60), (failure_count{1, 1050}));
    EXPECT_EQ(*s_.counters->purge_expired_failures(1110, 60), 1);
    EXPECT_EQ(*s_.counters->purge_expired_failures(5000, 60), 0);
}

TEST_P(counters, concurrent_failures_are_all_counted) {
    constexpr int threads = 8;
    constexpr int each = 20;
    std::barrier start{threads};
    {
        std::vector<std::jthread> pool;
        for (int i = 0; i < threads; ++i) {
            pool.emplace_back([&] {
                start.arrive_and_wait();
                for (int n = 0; n < each; ++n) EXPECT_TRUE(s_.counters->add_failure("k", 1000, 60));
            });
        }
    }
    EXPECT_EQ(s_.counters->failures("k", 1000, 60)->count, threads * each);
}

WARDEN_ON_EVERY_BACKEND(counters);

}  // namespace
}  // namespace warden::store
