// The one DER <-> r||s conversion (RFC 7518 §3.4).
#include "jwt/openssl/ecdsa_signature.hpp"

#include <gtest/gtest.h>

#include <warden/core/base64url.hpp>
#include <warden/jwt/errc.hpp>

#include "support/test_data.hpp"

namespace warden::jwt::openssl {
namespace {

// RFC 7515 A.3: the ES256 signature as r||s.
std::string const a3_raw = *base64url_decode(
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");

TEST(ecdsa_signature, converts_raw_to_der_and_back) {
    auto const der = ecdsa_raw_to_der(a3_raw);
    ASSERT_TRUE(der.has_value());
    EXPECT_EQ(static_cast<unsigned char>((*der)[0]), 0x30);  // SEQUENCE
    auto const raw = ecdsa_der_to_raw(*der, 32);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(*raw, a3_raw);
}

TEST(ecdsa_signature, encodes_a_known_der_value) {
    // r = 1, s = 0x80 (needs a leading zero in DER): 30 07 02 01 01 02 02 00 80
    std::string raw(64, '\0');
    raw[31] = '\x01';
    raw[63] = '\x80';
    auto const der = ecdsa_raw_to_der(raw);
    ASSERT_TRUE(der.has_value());
    EXPECT_EQ(*der, test::from_hex("3007020101020200"
                                   "80"));
    EXPECT_EQ(*ecdsa_der_to_raw(*der, 32), raw);
}

TEST(ecdsa_signature, pads_short_integers_to_the_field_size) {
    auto const raw = ecdsa_der_to_raw(test::from_hex("3006020101020102"), 66);
    ASSERT_TRUE(raw.has_value());
    ASSERT_EQ(raw->size(), 132U);
    EXPECT_EQ((*raw)[65], '\x01');
    EXPECT_EQ((*raw)[131], '\x02');
}

TEST(ecdsa_signature, refuses_malformed_der) {
    auto const der = *ecdsa_raw_to_der(a3_raw);
    EXPECT_EQ(ecdsa_der_to_raw(der + std::string(1, '\0'), 32).error(),
              errc::bad_signature);  // trailing data
    EXPECT_EQ(ecdsa_der_to_raw(der.substr(0, der.size() - 1), 32).error(), errc::bad_signature);
    EXPECT_EQ(ecdsa_der_to_raw("", 32).error(), errc::bad_signature);
    EXPECT_EQ(ecdsa_der_to_raw(a3_raw, 32).error(), errc::bad_signature);  // raw is not DER
    // r wider than the field.
    EXPECT_EQ(ecdsa_der_to_raw(der, 16).error(), errc::bad_signature);
}

TEST(ecdsa_signature, refuses_raw_signatures_of_odd_or_zero_length) {
    EXPECT_EQ(ecdsa_raw_to_der("").error(), errc::bad_signature);
    EXPECT_EQ(ecdsa_raw_to_der(a3_raw.substr(1)).error(), errc::bad_signature);
}

}  // namespace
}  // namespace warden::jwt::openssl
