#include <warden/auth/login_limiter.hpp>

#include <gtest/gtest.h>

#include "auth/fake_store.hpp"

namespace warden::auth {
namespace {

class login_limiter_test : public ::testing::Test {
protected:
    test::fake_store counters_;
    login_limiter limiter_{counters_, {.max_failures = 3, .lockout = std::chrono::seconds{900}}};
    std::int64_t t0_ = 1'000'000;

    void fail(std::string_view email, std::string_view address, std::int64_t at) {
        ASSERT_TRUE(limiter_.record_failure(email, address, at));
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
    ASSERT_TRUE(limiter_.record_success("a@x.io"));
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

TEST(account_key, folds_ascii_case_only) {
    EXPECT_EQ(account_key("John.DOE@Example.COM"), "account:john.doe@example.com");
    EXPECT_EQ(account_key("\xc3\x89@x.io"), "account:\xc3\x89@x.io");
}

}  // namespace
}  // namespace warden::auth
