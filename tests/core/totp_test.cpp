#include <warden/core/totp.hpp>

#include <array>
#include <utility>

#include <gtest/gtest.h>

namespace warden {
namespace {

secret_bytes const rfc_key{std::string_view{"12345678901234567890"}};

TEST(hotp, gives_the_rfc_4226_appendix_d_codes) {
    std::array<std::string_view, 10> const expected{"755224", "287082", "359152", "969429",
                                                    "338314", "254676", "287922", "162583",
                                                    "399871", "520489"};
    for (std::int64_t counter = 0; counter < 10; ++counter)
        EXPECT_EQ(hotp_code(rfc_key, counter), expected[static_cast<std::size_t>(counter)]);
}

TEST(totp, gives_the_rfc_6238_appendix_b_sha1_codes_in_six_digits) {
    // The RFC's eight-digit codes, of which authenticator apps show the last six.
    std::array<std::pair<std::int64_t, std::string_view>, 6> const vectors{{
        {59, "287082"},
        {1111111109, "081804"},
        {1111111111, "050471"},
        {1234567890, "005924"},
        {2000000000, "279037"},
        {20000000000, "353130"},
    }};
    for (auto const& [time, code] : vectors) EXPECT_EQ(hotp_code(rfc_key, totp_step(time)), code);
}

TEST(totp, steps_are_thirty_seconds_from_the_epoch) {
    EXPECT_EQ(totp_step(0), 0);
    EXPECT_EQ(totp_step(29), 0);
    EXPECT_EQ(totp_step(30), 1);
    EXPECT_EQ(totp_step(59), 1);
    EXPECT_EQ(totp_step(1111111111), 37037037);
}

TEST(hotp, codes_are_always_six_digits_and_depend_on_the_key) {
    secret_bytes const other{std::string_view{"another key entirely"}};
    int differing = 0;
    for (std::int64_t step = 0; step < 200; ++step) {
        auto const code = hotp_code(rfc_key, step);
        ASSERT_EQ(code.size(), 6U);
        EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
        if (code != hotp_code(other, step)) ++differing;
    }
    EXPECT_GT(differing, 190);
}

TEST(base32, encodes_the_rfc_4648_vectors_without_padding) {
    EXPECT_EQ(base32_encode(""), "");
    EXPECT_EQ(base32_encode("f"), "MY");
    EXPECT_EQ(base32_encode("fo"), "MZXQ");
    EXPECT_EQ(base32_encode("foo"), "MZXW6");
    EXPECT_EQ(base32_encode("foob"), "MZXW6YQ");
    EXPECT_EQ(base32_encode("fooba"), "MZXW6YTB");
    EXPECT_EQ(base32_encode("foobar"), "MZXW6YTBOI");
}

TEST(base32, encodes_every_byte_value) {
    std::string all;
    for (int b = 0; b < 256; ++b) all += static_cast<char>(b);
    auto const encoded = base32_encode(all);
    EXPECT_EQ(encoded.size(), (256U * 8 + 4) / 5);
    EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    EXPECT_EQ(base32_encode(std::string(20, '\xff')), std::string(32, '7'));
    EXPECT_EQ(base32_encode(std::string(20, '\0')), std::string(32, 'A'));
}

}  // namespace
}  // namespace warden
