#include <warden/auth/login_limiter.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "auth/fake_store.hpp"

namespace warden::auth {
namespace {

class login_limiter_test : public ::testing::Test {
  protected:
    test::fake_store counters_;
    login_limiter limiter_{counters_, {.max_failures = 3, .lockout = std::chrono::seconds{900}}};
    std::int64_t t0_ = 1'000'000;

    void fail(std::string_view email, std::string_view address, std::int64_t at) {
        auto const attempt = limiter_.admit(email, address, at);
        ASSERT_TRUE(attempt.has_value());
        ASSERT_TRUE(attempt->admitted);
        ASSERT_TRUE(limiter_.failed(*attempt, at));
    }
    void succeed(std::string_view email, std::string_view address, std::int64_t at) {
        auto const attempt = limiter_.admit(email, address, at);
        ASSERT_TRUE(attempt.has_value());
        ASSERT_TRUE(attempt->admitted);
        ASSERT_TRUE(limiter_.succeeded(*attempt, at));
    }
    std::int64_t locked(std::string_view email, std::string_view address, std::int64_t at) {
        return limiter_.locked_for(email, address, at).value();
    }
};

TEST_F(login_limiter_test, locks_the_account_after_max_failures_for_the_whole_lockout) {
    fail("a@x.io", "10.0.0.1", t0_);
    fail("a@x.io", "10.0.0.2", t0_ + 10);
    EXPECT_EQ(locked("a@x.io", "10.0.0.3", t0_ + 20), 0);
    fail("a@x.io", "10.0.0.3", t0_ + 100);
    EXPECT_EQ(locked("a@x.io", "10.0.0.9", t0_ + 100), 900);
    EXPECT_EQ(locked("A@X.IO", "10.0.0.9", t0_ + 400), 600);  // email matched case-insensitively
    EXPECT_EQ(locked("a@x.io", "10.0.0.9", t0_ + 999), 1);
    EXPECT_EQ(locked("a@x.io", "10.0.0.9", t0_ + 1000), 0);
}

TEST_F(login_limiter_test, locks_an_address_that_tries_many_accounts) {
    fail("a@x.io", "10.0.0.1", t0_);
    fail("b@x.io", "10.0.0.1", t0_);
    fail("c@x.io", "10.0.0.1", t0_);
    EXPECT_GT(locked("d@x.io", "10.0.0.1", t0_ + 1), 0);
    EXPECT_EQ(locked("d@x.io", "10.0.0.2", t0_ + 1), 0);
}

TEST_F(login_limiter_test, failures_outside_the_window_do_not_add_up) {
    fail("a@x.io", "1", t0_);
    fail("a@x.io", "2", t0_ + 10);
    fail("a@x.io", "3", t0_ + 1000);  // the first window has passed: count restarts
    EXPECT_EQ(locked("a@x.io", "4", t0_ + 1000), 0);
}

TEST_F(login_limiter_test, success_resets_the_account_but_not_the_address) {
    fail("a@x.io", "10.0.0.1", t0_);
    fail("a@x.io", "10.0.0.1", t0_);
    succeed("a@x.io", "10.0.0.1", t0_);
    fail("a@x.io", "10.0.0.2", t0_);
    fail("a@x.io", "10.0.0.2", t0_);
    EXPECT_EQ(locked("a@x.io", "10.0.0.3", t0_), 0);
    fail("z@x.io", "10.0.0.1", t0_);  // the address's third failure
    EXPECT_GT(locked("q@x.io", "10.0.0.1", t0_), 0);
}

TEST_F(login_limiter_test, after_a_lock_the_full_allowance_returns) {
    for (int i = 0; i < 3; ++i) fail("a@x.io", std::to_string(i), t0_);
    auto const later = t0_ + 900;
    EXPECT_EQ(locked("a@x.io", "9", later), 0);
    fail("a@x.io", "10", later);
    fail("a@x.io", "11", later);
    EXPECT_EQ(locked("a@x.io", "12", later), 0);
}

TEST_F(login_limiter_test, attempts_in_flight_count_before_their_verdict) {
    // Three admitted attempts still being checked fill the allowance: the fourth is refused at
    // once, without being counted, and says when to come back.
    std::vector<login_attempt> in_flight;
    for (int i = 0; i < 3; ++i) {
        auto a = limiter_.admit("a@x.io", "10.0.0." + std::to_string(i), t0_);
        ASSERT_TRUE(a && a->admitted);
        EXPECT_EQ(a->counts.front().count, i + 1);
        in_flight.push_back(*a);
    }
    auto const refused = limiter_.admit("a@x.io", "10.0.0.9", t0_ + 5);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(refused->admitted);
    EXPECT_EQ(refused->retry_after, 895);
    // One succeeds: the account's count is cleared, and a new attempt is admitted.
    ASSERT_TRUE(limiter_.succeeded(in_flight[0], t0_ + 6));
    auto const next = limiter_.admit("a@x.io", "10.0.0.9", t0_ + 6);
    ASSERT_TRUE(next && next->admitted);
}

TEST_F(login_limiter_test, the_attempt_that_reaches_the_limit_locks_when_it_fails) {
    std::vector<login_attempt> in_flight;
    for (int i = 0; i < 3; ++i)
        in_flight.push_back(limiter_.admit("a@x.io", std::to_string(i), t0_).value());
    for (auto const& a : in_flight) ASSERT_TRUE(limiter_.failed(a, t0_ + 10));
    EXPECT_EQ(locked("a@x.io", "99", t0_ + 10), 900);
    auto const refused = limiter_.admit("a@x.io", "99", t0_ + 20);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(refused->admitted);
    EXPECT_EQ(refused->retry_after, 890);
}

TEST_F(login_limiter_test, a_withdrawn_attempt_counts_for_nothing) {
    for (int i = 0; i < 10; ++i) {
        auto const a = limiter_.admit("a@x.io", "10.0.0.1", t0_);
        ASSERT_TRUE(a && a->admitted) << i;
        ASSERT_TRUE(limiter_.withdrawn(*a, t0_));
    }
    EXPECT_EQ(locked("a@x.io", "10.0.0.1", t0_), 0);
}

TEST(account_key, folds_ascii_case_only) {
    EXPECT_EQ(account_key("John.DOE@Example.COM"), "account:john.doe@example.com");
    EXPECT_EQ(account_key("\xc3\x89@x.io"), "account:\xc3\x89@x.io");
}

}  // namespace
}  // namespace warden::auth
