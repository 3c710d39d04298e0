#include <warden/core/base64url.hpp>

#include <gtest/gtest.h>

#include <warden/core/errc.hpp>

namespace warden {
namespace {

// RFC 4648 §10 vectors, without padding.
TEST(base64url_encode, matches_rfc4648_vectors) {
    EXPECT_EQ(base64url_encode(""), "");
    EXPECT_EQ(base64url_encode("f"), "Zg");
    EXPECT_EQ(base64url_encode("fo"), "Zm8");
    EXPECT_EQ(base64url_encode("foo"), "Zm9v");
    EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
    EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
    EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(base64url_encode, uses_the_url_safe_alphabet) {
    EXPECT_EQ(base64url_encode(std::string{"\xfb\xff\xbf", 3}), "-_-_");
}

TEST(base64url_decode, round_trips_every_byte_value) {
    std::string all;
    for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
    for (std::size_t n = 0; n <= all.size(); n += 7) {
        auto const part = all.substr(0, n);
        auto const decoded = base64url_decode(base64url_encode(part));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, part);
    }
}

TEST(base64url_decode, decodes_rfc7515_header) {
    auto const decoded = base64url_decode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(*decoded, "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
}

TEST(base64url_decode, rejects_padding) {
    EXPECT_EQ(base64url_decode("Zg==").error(), core_errc::invalid_base64url);
    EXPECT_EQ(base64url_decode("Zm8=").error(), core_errc::invalid_base64url);
}

TEST(base64url_decode, rejects_the_standard_alphabet) {
    EXPECT_EQ(base64url_decode("+/+/").error(), core_errc::invalid_base64url);
}

TEST(base64url_decode, rejects_whitespace_and_stray_characters) {
    EXPECT_FALSE(base64url_decode("Zm9v YmFy").has_value());
    EXPECT_FALSE(base64url_decode("Zm9v\nYmFy").has_value());
    EXPECT_FALSE(base64url_decode("Zm9v.").has_value());
    EXPECT_FALSE(base64url_decode(std::string_view{"Zm\0v", 4}).has_value());
    EXPECT_FALSE(base64url_decode("Zm9v\xc3\xa9").has_value());
}

TEST(base64url_decode, rejects_impossible_length) {
    EXPECT_EQ(base64url_decode("Z").error(), core_errc::invalid_base64url);
    EXPECT_EQ(base64url_decode("Zm9vY").error(), core_errc::invalid_base64url);
}

TEST(base64url_decode, rejects_non_canonical_trailing_bits) {
    // "Zh" and "Zm9" encode the same bytes as "Zg"/"Zm8" but with non-zero unused bits.
    EXPECT_EQ(base64url_decode("Zh").error(), core_errc::invalid_base64url);
    EXPECT_EQ(base64url_decode("Zm9").error(), core_errc::invalid_base64url);
    EXPECT_TRUE(base64url_decode("Zg").has_value());
}

TEST(base64url_decode, maps_to_invalid_request) {
    EXPECT_EQ(base64url_decode("Z").error(), condition::invalid_request);
}

TEST(base64url_decoded_size, matches_real_sizes) {
    for (std::size_t n = 0; n < 40; ++n) {
        EXPECT_EQ(base64url_decoded_size(base64url_encode(std::string(n, 'x')).size()), n);
    }
}

}  // namespace
}  // namespace warden
