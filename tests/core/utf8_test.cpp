#include <warden/core/utf8.hpp>

#include <gtest/gtest.h>

namespace warden {
namespace {

TEST(is_valid_utf8, accepts_well_formed_text) {
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_TRUE(is_valid_utf8("plain ascii"));
    EXPECT_TRUE(is_valid_utf8("caf\xc3\xa9"));                // U+00E9
    EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));               // U+20AC
    EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));           // U+1F600
    EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));           // U+10FFFF
    EXPECT_TRUE(is_valid_utf8(std::string_view{"a\0b", 3}));  // NUL is valid UTF-8
}

TEST(is_valid_utf8, rejects_malformed_text) {
    EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
    EXPECT_FALSE(is_valid_utf8("\xc3"));              // truncated
    EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
    EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
    EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // overlong
    EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));  // overlong
    EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
    EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
    EXPECT_FALSE(is_valid_utf8("\xff"));
    EXPECT_FALSE(is_valid_utf8("ok\xc3("));  // bad continuation
}

}  // namespace
}  // namespace warden
