// wardend's start-up raise of the open-file limit.
#include "app/descriptor_limit.hpp"

#include <sys/resource.h>

#include <gtest/gtest.h>

namespace warden::app {
namespace {

// Restores the process's limit when a test ends (lowering and raising back to the hard limit
// needs no privilege).
class descriptor_limit : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved_), 0); }
    void TearDown() override { setrlimit(RLIMIT_NOFILE, &saved_); }

    static rlim_t soft() {
        rlimit lim{};
        getrlimit(RLIMIT_NOFILE, &lim);
        return lim.rlim_cur;
    }
    void set_soft(rlim_t value) {
        rlimit lim = saved_;
        lim.rlim_cur = value;
        ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &lim), 0);
    }

    rlimit saved_{};
};

TEST_F(descriptor_limit, raises_a_low_soft_limit_to_what_the_connections_need) {
    if (saved_.rlim_max != RLIM_INFINITY && saved_.rlim_max < 1000 + descriptor_reserve)
        GTEST_SKIP() << "hard limit too low";
    set_soft(256);
    EXPECT_EQ(raise_descriptor_limit(1000), std::nullopt);
    EXPECT_EQ(soft(), 1000 + descriptor_reserve);
}

TEST_F(descriptor_limit, never_lowers_a_sufficient_limit) {
    set_soft(512);
    EXPECT_EQ(raise_descriptor_limit(10), std::nullopt);
    EXPECT_EQ(soft(), 512U);
}

TEST_F(descriptor_limit, stops_at_the_hard_limit_and_says_so) {
    if (saved_.rlim_max == RLIM_INFINITY) GTEST_SKIP() << "no hard limit";
    set_soft(128);
    auto const notice = raise_descriptor_limit(static_cast<std::size_t>(saved_.rlim_max) + 1);
    ASSERT_TRUE(notice.has_value());
    EXPECT_NE(notice->find("open-file limit is " + std::to_string(saved_.rlim_max)),
              std::string::npos)
        << *notice;
    EXPECT_EQ(soft(), saved_.rlim_max);
}

}  // namespace
}  // namespace warden::app
