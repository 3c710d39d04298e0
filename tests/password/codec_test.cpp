#include "password/codec.hpp"

#include <gtest/gtest.h>

#include <string>

namespace warden::password {
namespace {

using namespace std::string_literals;

TEST(base64, encodes_the_rfc_4648_vectors_without_padding) {
    EXPECT_EQ(base64_encode("", base64_alphabet::standard), "");
    EXPECT_EQ(base64_encode("f", base64_alphabet::standard), "Zg");
    EXPECT_EQ(base64_encode("fo", base64_alphabet::standard), "Zm8");
    EXPECT_EQ(base64_encode("foo", base64_alphabet::standard), "Zm9v");
    EXPECT_EQ(base64_encode("foob", base64_alphabet::standard), "Zm9vYg");
    EXPECT_EQ(base64_encode("fooba", base64_alphabet::standard), "Zm9vYmE");
    EXPECT_EQ(base64_encode("foobar", base64_alphabet::standard), "Zm9vYmFy");
}

TEST(base64, pads_on_request_as_pythons_b64encode_does) {
    EXPECT_EQ(base64_encode("f", base64_alphabet::standard, true), "Zg==");
    EXPECT_EQ(base64_encode("fo", base64_alphabet::standard, true), "Zm8=");
    EXPECT_EQ(base64_encode("foo", base64_alphabet::standard, true), "Zm9v");
}

TEST(base64, uses_each_alphabets_own_characters) {
    std::string const bytes = "\xfb\xff\xbf"s;  // all-ones groups: the last two characters
    EXPECT_EQ(base64_encode(bytes, base64_alphabet::standard), "+/+/");
    EXPECT_EQ(base64_encode(bytes, base64_alphabet::ab64), "././");
    EXPECT_EQ(base64_encode("\0\0\0"s, base64_alphabet::bcrypt), "....");
    EXPECT_EQ(base64_encode("\xff\xff\xff"s, base64_alphabet::bcrypt), "9999");
}

TEST(base64, round_trips_every_length_in_every_alphabet) {
    for (auto alphabet :
         {base64_alphabet::standard, base64_alphabet::bcrypt, base64_alphabet::ab64}) {
        std::string bytes;
        for (int n = 0; n < 40; ++n) {
            auto const decoded = base64_decode(base64_encode(bytes, alphabet), alphabet);
            ASSERT_TRUE(decoded.has_value()) << n;
            EXPECT_EQ(*decoded, bytes);
            bytes += static_cast<char>(n * 37 + 11);
        }
    }
}

TEST(base64, rejects_padding) {
    EXPECT_FALSE(base64_decode("Zg==", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zm8=", base64_alphabet::standard));
}

TEST(base64, rejects_a_length_of_one_mod_four) {
    EXPECT_FALSE(base64_decode("Z", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zm9vY", base64_alphabet::standard));
}

TEST(base64, rejects_foreign_characters) {
    EXPECT_FALSE(base64_decode("Zm9v\n", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zm 9", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zm-_", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zm+v", base64_alphabet::ab64));
    EXPECT_FALSE(base64_decode("ab+c", base64_alphabet::bcrypt));
    EXPECT_FALSE(base64_decode("Zm9\0"s, base64_alphabet::standard));
}

TEST(base64, rejects_non_zero_trailing_bits) {
    EXPECT_TRUE(base64_decode("Zg", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zh", base64_alphabet::standard));
    EXPECT_TRUE(base64_decode("Zm8", base64_alphabet::standard));
    EXPECT_FALSE(base64_decode("Zm9", base64_alphabet::standard));
}

TEST(base64, reports_canonical_tails_of_bcrypt_salts) {
    // 22 characters carry 16 bytes: the last one keeps 4 unused bits, so only . O e u are clean.
    std::string salt(21, 'a');
    for (char c : std::string{"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"}) {
        bool const clean = c == '.' || c == 'O' || c == 'e' || c == 'u';
        EXPECT_EQ(base64_canonical_tail(salt + c, base64_alphabet::bcrypt), clean) << c;
    }
}

TEST(decimal, parses_plain_decimals) {
    EXPECT_EQ(parse_decimal("0", 10), 0U);
    EXPECT_EQ(parse_decimal("19456", 1'000'000), 19456U);
    EXPECT_EQ(parse_decimal("4294967295", 4294967295U), 4294967295U);
}

TEST(decimal, rejects_everything_else) {
    for (auto text : {"", "-1", "+1", "01", "00", "1 ", " 1", "1e3", "0x10", "１", "12a"}) {
        EXPECT_FALSE(parse_decimal(text, 1'000'000)) << text;
    }
    EXPECT_FALSE(parse_decimal("4294967296", 4294967295U));
    EXPECT_FALSE(parse_decimal("99999999999999999999999", ~std::uint64_t{0}));
}

TEST(utf8, accepts_well_formed_text) {
    EXPECT_TRUE(is_utf8(""));
    EXPECT_TRUE(is_utf8("plain ascii"));
    EXPECT_TRUE(is_utf8("p\xc3\xa4ssw\xc3\xb6rd"));    // ä ö
    EXPECT_TRUE(is_utf8("\xe6\x97\xa5\xe6\x9c\xac"));  // 日本
    EXPECT_TRUE(is_utf8("\xf0\x9f\x94\x91"));          // U+1F511
    EXPECT_TRUE(is_utf8("\xf4\x8f\xbf\xbf"));          // U+10FFFF
    EXPECT_TRUE(is_utf8("\xed\x9f\xbf"));              // U+D7FF
    EXPECT_TRUE(is_utf8("\xee\x80\x80"));              // U+E000
}

TEST(utf8, rejects_malformed_text) {
    for (auto text : {
             "\x80",              // lone continuation
             "\xc3",              // truncated 2-byte
             "\xc0\xaf",          // overlong '/'
             "\xc1\xbf",          // overlong
             "\xe0\x80\xaf",      // overlong 3-byte
             "\xed\xa0\x80",      // surrogate U+D800
             "\xed\xbf\xbf",      // surrogate U+DFFF
             "\xe6\x97",          // truncated 3-byte
             "\xf0\x80\x80\xaf",  // overlong 4-byte
             "\xf4\x90\x80\x80",  // above U+10FFFF
             "\xf5\x80\x80\x80",  // invalid lead
             "\xff",              // invalid byte
             "abc\xc3(",          // bad continuation
         }) {
        EXPECT_FALSE(is_utf8(text)) << testing::PrintToString(std::string{text});
    }
}

}  // namespace
}  // namespace warden::password
