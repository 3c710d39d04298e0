#include <warden/auth/scopes.hpp>

#include <gtest/gtest.h>

#include <warden/auth/errc.hpp>

#include "support/numbered.hpp"

namespace warden::auth {
namespace {

TEST(parse_scopes, sorts_and_removes_duplicates) {
    EXPECT_EQ(parse_scopes("write read  write").value(), (scope_list{"read", "write"}));
    EXPECT_EQ(parse_scopes("").value(), scope_list{});
    EXPECT_EQ(parse_scopes("   ").value(), scope_list{});
    EXPECT_EQ(parse_scopes("users:read!#$").value(), (scope_list{"users:read!#$"}));
}

TEST(parse_scopes, rejects_characters_outside_scope_tokens) {
    for (std::string_view bad : {"a\"b", "a\\b", "tab\there", "new\nline", "\x7f", "caf\xc3\xa9"}) {
        EXPECT_EQ(parse_scopes(bad).error(), errc::invalid_scope_syntax) << bad;
    }
    EXPECT_EQ(parse_scopes("a\"b").error(), condition::invalid_scope);
}

TEST(scopes, join_includes_and_intersect) {
    EXPECT_EQ(join_scopes({"a", "b"}), "a b");
    EXPECT_EQ(join_scopes({}), "");
    EXPECT_TRUE(includes_all({"a", "b", "c"}, {"a", "c"}));
    EXPECT_TRUE(includes_all({"a"}, {}));
    EXPECT_FALSE(includes_all({"a", "c"}, {"b"}));
    EXPECT_FALSE(includes_all({}, {"a"}));
    EXPECT_EQ(intersect({"a", "b", "c"}, {"b", "c", "d"}), (scope_list{"b", "c"}));
    EXPECT_EQ(intersect({"a"}, {}), scope_list{});
}

TEST(is_grantable, caps_the_number_and_length_of_scopes) {
    scope_list many;
    for (std::size_t i = 0; i < max_granted_scopes; ++i)
        many.push_back(test::numbered("s", static_cast<long long>(i)));
    EXPECT_TRUE(is_grantable(many));
    EXPECT_TRUE(is_grantable({}));
    many.push_back("one-more");
    EXPECT_FALSE(is_grantable(many));
    EXPECT_TRUE(is_grantable({std::string(max_scope_length, 'a')}));
    EXPECT_FALSE(is_grantable({std::string(max_scope_length + 1, 'a')}));
}

}  // namespace
}  // namespace warden::auth
