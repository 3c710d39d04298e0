#include <warden/core/constant_time.hpp>

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(constant_time_equal, accepts_equal_strings) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("secret", "secret"));
    EXPECT_TRUE(constant_time_equal(std::string_view{"a\0b", 3}, std::string_view{"a\0b", 3}));
}

TEST(constant_time_equal, rejects_any_difference) {
    EXPECT_FALSE(constant_time_equal("secret", "secreT"));
    EXPECT_FALSE(constant_time_equal("secret", "Secret"));
    EXPECT_FALSE(constant_time_equal(std::string_view{"a\0b", 3}, std::string_view{"a\0c", 3}));
}

TEST(constant_time_equal, rejects_different_lengths) {
    EXPECT_FALSE(constant_time_equal("secret", "secret2"));
    EXPECT_FALSE(constant_time_equal("", "x"));
    EXPECT_FALSE(constant_time_equal("x", ""));
}

}  // namespace
}  // namespace warden
