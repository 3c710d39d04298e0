#include <warden/core/clock.hpp>

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(manual_clock, moves_only_when_told) {
    manual_clock c{time_point{std::chrono::seconds{1000}}};
    EXPECT_EQ(to_unix_seconds(c.now()), 1000);
    c.advance(std::chrono::seconds{30});
    EXPECT_EQ(to_unix_seconds(c.now()), 1030);
    c.set(time_point{std::chrono::seconds{5}});
    EXPECT_EQ(to_unix_seconds(c.now()), 5);
}

TEST(system_clock, is_close_to_the_real_time) {
    system_clock const c;
    auto const diff = c.now() - std::chrono::system_clock::now();
    EXPECT_LT(std::chrono::abs(diff), std::chrono::seconds{5});
}

}  // namespace
}  // namespace warden
