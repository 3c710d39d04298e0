#include "password/bcrypt_sha256.hpp"

#include <gtest/gtest.h>

#include <string>
#include <warden/password/errc.hpp>

namespace warden::password {
namespace {

using namespace std::string_literals;

// Made by passlib 1.7.4: bcrypt_sha256.using(rounds=4).hash("password") and version=1.
constexpr auto v2_hash =
    "$bcrypt-sha256$v=2,t=2b,r=4$qQCLqN5STlLzJNtEyMO3/.$HQjyJxycfMNQ3VP8prKlj0KAEKJTAD2";

TEST(bcrypt_sha256_parse, reads_v2_and_v1) {
    auto const v2 = parse_bcrypt_sha256(v2_hash);
    ASSERT_TRUE(v2.has_value());
    EXPECT_EQ(v2->version, 2);
    EXPECT_EQ(v2->rounds, 4U);
    EXPECT_EQ(v2->salt, "qQCLqN5STlLzJNtEyMO3/.");
    auto const v1 = parse_bcrypt_sha256(
        "$bcrypt-sha256$2a,12$rbkixBPbe.1bAyE4VAk31e$s3UuIvw6lD7wo.JZRbnVO2o12xFI4WO");
    ASSERT_TRUE(v1.has_value());
    EXPECT_EQ(v1->version, 1);
    EXPECT_EQ(v1->minor, 'a');
    EXPECT_EQ(v1->rounds, 12U);
}

TEST(bcrypt_sha256_verify, checks_the_hmac_construction) {
    auto const h = parse_bcrypt_sha256(v2_hash);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(verify_bcrypt_sha256(*h, "password").value(), verdict::match);
    EXPECT_EQ(verify_bcrypt_sha256(*h, "Password").value(), verdict::mismatch);
    EXPECT_EQ(verify_bcrypt_sha256(*h, "").value(), verdict::mismatch);
}

TEST(bcrypt_sha256_parse, rejects_every_malformed_variant) {
    std::string const salt = "qQCLqN5STlLzJNtEyMO3/.";
    std::string const digest = "HQjyJxycfMNQ3VP8prKlj0KAEKJTAD2";
    for (std::string const& text : {
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt,  // no digest
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt + "$",
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt + "$" + digest + "A",  // long digest
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt + "$" + digest.substr(1),
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt.substr(1) + "$" + digest,
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt + "$" + digest + "$",
             "$bcrypt-sha256$v=2,t=2b,r=04$"s + salt + "$" + digest,  // zero-padded
             "$bcrypt-sha256$v=2,t=2b,r=3$"s + salt + "$" + digest,   // below 4
             "$bcrypt-sha256$v=2,t=2b,r=32$"s + salt + "$" + digest,  // above 31
             "$bcrypt-sha256$v=2,t=2b,r=123$"s + salt + "$" + digest,
             "$bcrypt-sha256$v=2,t=2b,r=$"s + salt + "$" + digest,
             "$bcrypt-sha256$v=2,t=2a,r=4$"s + salt + "$" + digest,  // v2 is 2b only
             "$bcrypt-sha256$v=3,t=2b,r=4$"s + salt + "$" + digest,
             "$bcrypt-sha256$v=1,t=2b,r=4$"s + salt + "$" + digest,
             "$bcrypt-sha256$v=2,r=4,t=2b$"s + salt + "$" + digest,
             "$bcrypt-sha256$2y,4$"s + salt + "$" + digest,  // v1: 2a/2b only
             "$bcrypt-sha256$2b,04$"s + salt + "$" + digest,
             "$bcrypt-sha256$2b4$"s + salt + "$" + digest,
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt.substr(0, 21) + "/$" + digest,  // pad bits
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt.substr(0, 21) + "+$" + digest,  // alphabet
             "$bcrypt-sha256$v=2,t=2b,r=4$"s + salt + "$" + digest.substr(0, 30) + "=",
             "$bcrypt-sha256$"s,
             "$bcrypt-sha256"s,
         }) {
        auto const h = parse_bcrypt_sha256(text);
        EXPECT_FALSE(h.has_value()) << text;
        if (!h) {
            EXPECT_EQ(h.error(), errc::malformed_hash) << text;
        }
    }
}

}  // namespace
}  // namespace warden::password
