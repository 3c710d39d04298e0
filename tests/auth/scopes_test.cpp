#include <warden/auth/scopes.hpp>

#include <gtest/gtest.h>

#include <warden/auth/email.hpp>
#include <warden/auth/errc.hpp>

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

TEST(is_valid_email, accepts_common_addresses) {
    for (std::string_view ok : {"a@b.co", "john.doe+tag@example.com", "x_y@sub.domain.org", "\xc3\xa9@caf\xc3\xa9.fr"}) {
        EXPECT_TRUE(is_valid_email(ok)) << ok;
    }
}

TEST(is_valid_email, rejects_malformed_addresses) {
    std::string const long_local(65, 'a');
    for (std::string_view bad : {"", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a@b@c.com", "a b@c.com",
                                 "a@b..com", "a@.b.com", "a@b.com.", "a@-b.com", "\"a\"@b.com", "a@b.com\n",
                                 ".a@b.com", "a.@b.com", "a@b\xff.com", "<a@b.com>"}) {
        EXPECT_FALSE(is_valid_email(bad)) << bad;
    }
    EXPECT_FALSE(is_valid_email(long_local + "@b.com"));
    EXPECT_FALSE(is_valid_email("a@" + std::string(250, 'b') + ".com"));
}

}  // namespace
}  // namespace warden::auth
