#include <warden/core/secret.hpp>

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(secret_bytes, holds_its_bytes) {
    secret_bytes const s{std::string_view{"k\0ey", 4}};
    EXPECT_EQ(s.size(), 4U);
    EXPECT_EQ(s.view(), std::string_view("k\0ey", 4));
    EXPECT_FALSE(s.empty());
}

TEST(secret_bytes, move_leaves_the_source_empty) {
    secret_bytes a{std::string_view{"a long secret that does not fit in the small buffer"}};
    secret_bytes b{std::move(a)};
    EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
    EXPECT_EQ(b.view(), "a long secret that does not fit in the small buffer");
    secret_bytes c;
    c = std::move(b);
    EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(c.size(), 51U);
}

TEST(secret_bytes, clone_is_an_independent_copy) {
    secret_bytes const a{std::string_view{"abc"}};
    secret_bytes b = a.clone();
    EXPECT_EQ(a.view(), b.view());
    EXPECT_NE(a.view().data(), b.view().data());
}

}  // namespace
}  // namespace warden
