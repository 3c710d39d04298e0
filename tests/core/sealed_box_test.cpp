#include <warden/core/sealed_box.hpp>

#include <gtest/gtest.h>

#include <warden/core/condition.hpp>
#include <warden/core/errc.hpp>

namespace warden {
namespace {

secret_bytes key_of(char fill) { return secret_bytes{std::string(32, fill)}; }

std::string flipped(std::string text, std::size_t at) {
    text[at] = static_cast<char>(text[at] ^ 0x01);
    return text;
}

TEST(sealed_box, opens_what_it_sealed) {
    auto const key = key_of('k');
    auto const sealed = seal(key, "-----BEGIN PRIVATE KEY-----", "kid-1|ES256");
    ASSERT_TRUE(sealed) << sealed.error().message();
    EXPECT_EQ(sealed->size(), std::string_view{"-----BEGIN PRIVATE KEY-----"}.size() + 28);
    EXPECT_EQ(sealed->find("BEGIN"), std::string::npos);
    auto const opened = open_sealed(key, *sealed, "kid-1|ES256");
    ASSERT_TRUE(opened) << opened.error().message();
    EXPECT_EQ(opened->view(), "-----BEGIN PRIVATE KEY-----");
}

TEST(sealed_box, opens_an_empty_plaintext_and_empty_associated_data) {
    auto const key = key_of('k');
    auto const sealed = seal(key, "", "");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->size(), seal_overhead);
    auto const opened = open_sealed(key, *sealed, "");
    ASSERT_TRUE(opened) << opened.error().message();
    EXPECT_TRUE(opened->empty());
}

TEST(sealed_box, uses_a_fresh_nonce_every_time) {
    auto const key = key_of('k');
    auto const a = seal(key, "same text", "ad");
    auto const b = seal(key, "same text", "ad");
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->substr(0, seal_nonce_size), b->substr(0, seal_nonce_size));
    EXPECT_NE(*a, *b);
}

TEST(sealed_box, refuses_a_changed_nonce_ciphertext_or_tag) {
    auto const key = key_of('k');
    auto const sealed = seal(key, "a private key", "ad");
    ASSERT_TRUE(sealed);
    for (std::size_t at :
         {std::size_t{0}, seal_nonce_size - 1, seal_nonce_size, seal_nonce_size + 5,
          sealed->size() - seal_tag_size, sealed->size() - 1}) {
        auto const opened = open_sealed(key, flipped(*sealed, at), "ad");
        ASSERT_FALSE(opened) << "byte " << at;
        EXPECT_EQ(opened.error(), seal_errc::not_authentic) << "byte " << at;
    }
}

TEST(sealed_box, refuses_other_associated_data) {
    auto const key = key_of('k');
    auto const sealed = seal(key, "a private key", "kid-1|RS256");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(open_sealed(key, *sealed, "kid-2|RS256").error(), seal_errc::not_authentic);
    EXPECT_EQ(open_sealed(key, *sealed, "").error(), seal_errc::not_authentic);
}

TEST(sealed_box, refuses_another_key) {
    auto const sealed = seal(key_of('k'), "a private key", "ad");
    ASSERT_TRUE(sealed);
    auto const opened = open_sealed(key_of('x'), *sealed, "ad");
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error(), seal_errc::not_authentic);
    EXPECT_EQ(opened.error(), condition::invalid_configuration);
    EXPECT_NE(opened.error().message().find("another key"), std::string::npos);
}

TEST(sealed_box, refuses_truncated_and_extended_input) {
    auto const key = key_of('k');
    auto const sealed = seal(key, "a private key", "ad");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(open_sealed(key, "", "ad").error(), seal_errc::too_short);
    EXPECT_EQ(open_sealed(key, sealed->substr(0, seal_overhead - 1), "ad").error(),
              seal_errc::too_short);
    EXPECT_EQ(open_sealed(key, sealed->substr(0, sealed->size() - 1), "ad").error(),
              seal_errc::not_authentic);
    EXPECT_EQ(open_sealed(key, *sealed + "x", "ad").error(), seal_errc::not_authentic);
}

TEST(sealed_box, refuses_keys_that_are_not_32_bytes) {
    secret_bytes const short_key{std::string(31, 'k')};
    secret_bytes const long_key{std::string(33, 'k')};
    EXPECT_EQ(seal(short_key, "x", "").error(), seal_errc::bad_key_size);
    EXPECT_EQ(seal(long_key, "x", "").error(), seal_errc::bad_key_size);
    EXPECT_EQ(open_sealed(short_key, std::string(40, 'a'), "").error(), seal_errc::bad_key_size);
}

}  // namespace
}  // namespace warden
