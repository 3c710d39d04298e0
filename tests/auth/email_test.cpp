#include <warden/auth/email.hpp>

#include <gtest/gtest.h>

#include <string>

namespace warden::auth {
namespace {

TEST(normalize_email, keeps_an_ascii_address_as_written) {
    EXPECT_EQ(normalize_email("Jo.Doe+tag@Example.COM"), "Jo.Doe+tag@Example.COM");
}

TEST(normalize_email, gives_nfc_and_nfd_spellings_one_form) {
    auto const nfc = normalize_email("caf\xc3\xa9@example.com");   // U+00E9
    auto const nfd = normalize_email("cafe\xcc\x81@example.com");  // e + U+0301
    ASSERT_TRUE(nfc);
    EXPECT_EQ(nfc, nfd);
    EXPECT_EQ(*nfc, "caf\xc3\xa9@example.com");
}

TEST(normalize_email, folds_the_case_of_a_non_ascii_address) {
    EXPECT_EQ(normalize_email("CAF\xc3\x89@Example.com"), "caf\xc3\xa9@example.com");  // U+00C9
    EXPECT_EQ(normalize_email("CAFE\xcc\x81@EXAMPLE.COM"), "caf\xc3\xa9@example.com");
    EXPECT_EQ(normalize_email("jo@B\xc3\x9c"
                              "CHER.de"),
              "jo@b\xc3\xbc"
              "cher.de");
}

TEST(normalize_email, maps_the_kelvin_sign_and_sharp_s_to_their_ascii_twins) {
    EXPECT_EQ(normalize_email("\xe2\x84\xaa"
                              "ate@example.com"),
              "kate@example.com");  // U+212A
    EXPECT_EQ(normalize_email("stra\xc3\x9f"
                              "e@example.de"),
              "strasse@example.de");
}

TEST(normalize_email, refuses_invisible_bidi_and_space_characters) {
    for (std::string_view bad : {
             "a\xe2\x80\x8b@example.com",  // U+200B zero width space
             "a\xe2\x80\xae@example.com",  // U+202E right-to-left override
             "\xef\xbb\xbf"
             "a@example.com",              // U+FEFF BOM
             "a\xc2\xa0@example.com",      // U+00A0 no-break space
             "a\xc2\x85@example.com",      // U+0085 next line
             "a\xe3\x80\x80@example.com",  // U+3000 ideographic space
             "a\xe2\x80\xa8@example.com",  // U+2028 line separator
             "a\xe2\x81\xa6@example.com",  // U+2066 left-to-right isolate
             "a\xc2\xad@example.com",      // U+00AD soft hyphen
             "a\xee\x80\x80@example.com",  // U+E000 private use
             "a@exa\xe2\x80\x8dmple.com",  // U+200D zero width joiner in the domain
         }) {
        EXPECT_FALSE(normalize_email(bad)) << bad;
        EXPECT_FALSE(is_valid_email(bad)) << bad;
    }
}

TEST(normalize_email, refuses_malformed_addresses) {
    std::string const long_local(65, 'a');
    for (std::string_view bad :
         {"", "plain", "@example.com", "a@", "a@b", "a@@b.com", "a@b@c.com", "a b@c.com",
          "a@b..com", "a@.b.com", "a@b.com.", "a@-b.com", "\"a\"@b.com", "a@b.com\n", ".a@b.com",
          "a.@b.com", "a@b\xff.com", "<a@b.com>", "a\0@b.com"}) {
        EXPECT_FALSE(normalize_email(bad)) << bad;
    }
    EXPECT_FALSE(normalize_email(long_local + "@b.com"));
    EXPECT_FALSE(normalize_email("a@" + std::string(250, 'b') + ".com"));
    EXPECT_FALSE(normalize_email(std::string(100000, '\xc3') + "@b.com"));
}

TEST(normalize_email, checks_lengths_on_the_stored_form) {
    // 64 bytes once composed (32 x U+00E9), 96 bytes as written in NFD.
    std::string nfd;
    for (int i = 0; i < 32; ++i) nfd += "e\xcc\x81";
    EXPECT_TRUE(normalize_email(nfd + "@example.com"));
    EXPECT_FALSE(normalize_email(nfd + "e@example.com"));
}

TEST(is_valid_email, accepts_common_addresses) {
    for (std::string_view ok :
         {"a@b.co", "john.doe+tag@example.com", "x_y@sub.domain.org", "\xc3\xa9@caf\xc3\xa9.fr",
          "\xe7\x94\xb0\xe4\xb8\xad@\xe4\xbe\x8b.jp"}) {
        EXPECT_TRUE(is_valid_email(ok)) << ok;
    }
}

}  // namespace
}  // namespace warden::auth
