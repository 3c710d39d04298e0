#include <warden/core/random.hpp>

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(random_bytes, returns_the_requested_size) {
    for (std::size_t n : {0U, 1U, 16U, 32U, 1000U}) {
        auto const bytes = random_bytes(n);
        ASSERT_TRUE(bytes.has_value());
        EXPECT_EQ(bytes->size(), n);
    }
}

TEST(random_bytes, does_not_repeat) {
    auto const a = random_bytes(32);
    auto const b = random_bytes(32);
    ASSERT_TRUE(a && b);
    EXPECT_NE(*a, *b);
    EXPECT_NE(*a, std::string(32, '\0'));
}

}  // namespace
}  // namespace warden
