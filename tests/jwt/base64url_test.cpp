#include "jwt/base64url.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <warden/core/base64url.hpp>

namespace warden::jwt {
namespace {

std::optional<std::string> fast_decode(std::string_view in) {
    std::string out(base64url_decoded_size(in.size()) + 3, '\0');
    auto const n = detail::base64url_decode(in, out.data());
    if (!n) return std::nullopt;
    out.resize(*n);
    return out;
}

std::string fast_encode(std::string_view in) {
    std::string out(detail::base64url_encoded_size(in.size()), '\0');
    out.resize(detail::base64url_encode(in, out.data()));
    return out;
}

TEST(jwt_base64url, decodes_the_rfc_4648_vectors) {
    EXPECT_EQ(fast_decode(""), "");
    EXPECT_EQ(fast_decode("Zg"), "f");
    EXPECT_EQ(fast_decode("Zm8"), "fo");
    EXPECT_EQ(fast_decode("Zm9v"), "foo");
    EXPECT_EQ(fast_decode("Zm9vYg"), "foob");
    EXPECT_EQ(fast_decode("Zm9vYmE"), "fooba");
    EXPECT_EQ(fast_decode("Zm9vYmFy"), "foobar");
    EXPECT_EQ(fast_decode("-_8"), "\xfb\xff");
}

TEST(jwt_base64url, rejects_padding_foreign_characters_and_stray_bits) {
    for (char const* bad : {"Zg==", "Zg=", "Zm9v=", "Z", "Zm9vY", "+/8", "Zm 9v", "Zm9v\n", "Zh",
                            "Zm9", "Zm9vYmF", "Zm9w?", "Zm9v.", "\xc3\xa9Zg"}) {
        // Every one of these is refused by core too; "Zh", "Zm9" carry non-zero unused bits.
        EXPECT_FALSE(fast_decode(bad).has_value()) << bad;
        EXPECT_FALSE(base64url_decode(bad).has_value()) << bad;
    }
}

TEST(jwt_base64url, encodes_like_core) {
    std::mt19937 rng{42};
    for (std::size_t size = 0; size < 200; ++size) {
        std::string bytes(size, '\0');
        for (auto& c : bytes) c = static_cast<char>(rng());
        EXPECT_EQ(fast_encode(bytes), base64url_encode(bytes));
        EXPECT_EQ(fast_decode(fast_encode(bytes)), bytes);
    }
}

TEST(jwt_base64url, agrees_with_core_on_random_text) {
    std::mt19937 rng{7};
    std::string const alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=. ";
    int accepted = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text(rng() % 12, '\0');
        for (auto& c : text) c = alphabet[rng() % alphabet.size()];
        auto const core = base64url_decode(text);
        auto const fast = fast_decode(text);
        ASSERT_EQ(core.has_value(), fast.has_value()) << text;
        if (core) {
            EXPECT_EQ(*core, *fast);
            ++accepted;
        }
    }
    EXPECT_GT(accepted, 100);  // the sample exercised both outcomes
}

TEST(jwt_base64url, checks_every_byte_value_at_every_position) {
    // Covers the vector (32-character blocks) and scalar paths alike: lengths 64..67 put
    // positions in two full blocks and in each kind of tail.
    std::string const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t length : {64U, 66U, 67U, 96U}) {
        std::string base(length, 'A');
        for (std::size_t i = 0; i < length; ++i) base[i] = alphabet[(i * 11) % 64];
        // Zero the trailing bits so the unmodified text is canonical.
        if (length % 4 == 2) base.back() = 'A';
        if (length % 4 == 3) base.back() = 'A';
        ASSERT_TRUE(base64url_decode(base).has_value()) << length;
        for (std::size_t pos = 0; pos < length; ++pos) {
            for (int b = 0; b < 256; ++b) {
                std::string text = base;
                text[pos] = static_cast<char>(b);
                auto const core = base64url_decode(text);
                auto const fast = fast_decode(text);
                ASSERT_EQ(core.has_value(), fast.has_value()) << length << " " << pos << " " << b;
                if (core) {
                    ASSERT_EQ(*core, *fast) << length << " " << pos << " " << b;
                }
            }
        }
    }
}

}  // namespace
}  // namespace warden::jwt
