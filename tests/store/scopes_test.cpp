#include "store/scopes.hpp"

#include <gtest/gtest.h>

#include <warden/store/errc.hpp>

namespace warden::store {
namespace {

TEST(scopes, scope_tokens_are_rfc_6749_nqchar_runs) {
    for (auto const* s :
         {"admin", "read:users", "a", "!", "#$%&'()*+,-./:;<=>?@[]^_`{|}~", "ABC123"}) {
        EXPECT_TRUE(is_scope_token(s)) << s;
    }
    for (std::string const& s :
         {std::string{}, std::string{" "}, std::string{"a b"}, std::string{"\""}, std::string{"\\"},
          std::string{"\t"}, std::string{"\x7f"}, std::string{"\xc3\xa9"}, std::string{"a\0", 2}}) {
        EXPECT_FALSE(is_scope_token(s)) << s;
    }
}

TEST(scopes, encode_sorts_and_removes_duplicates) {
    EXPECT_EQ(*encode_scopes({"write", "admin", "read", "admin"}), "admin read write");
    EXPECT_EQ(*encode_scopes({}), "");
    EXPECT_EQ(*encode_scopes({"B", "a", "A"}), "A B a");  // bytewise
}

TEST(scopes, encode_refuses_what_is_not_a_scope_token) {
    EXPECT_EQ(encode_scopes({"ok", ""}).error(), errc::invalid_argument);
    EXPECT_EQ(encode_scopes({"two words"}).error(), errc::invalid_argument);
}

TEST(scopes, decode_inverts_encode) {
    EXPECT_EQ(decode_scopes("admin read write"),
              (std::vector<std::string>{"admin", "read", "write"}));
    EXPECT_EQ(decode_scopes("one"), (std::vector<std::string>{"one"}));
    EXPECT_TRUE(decode_scopes("").empty());
    std::vector<std::string> const sorted{"a", "b:c", "z"};
    EXPECT_EQ(decode_scopes(*encode_scopes(sorted)), sorted);
}

}  // namespace
}  // namespace warden::store
