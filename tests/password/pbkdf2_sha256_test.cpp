#include "password/pbkdf2_sha256.hpp"

#include <gtest/gtest.h>

#include <string>
#include <warden/password/errc.hpp>

#include "password/codec.hpp"
#include "support/test_data.hpp"

namespace warden::password {
namespace {

using namespace std::string_literals;

std::string ab64(std::string_view bytes) { return base64_encode(bytes, base64_alphabet::ab64); }

TEST(pbkdf2_sha256_verify, matches_the_published_pbkdf2_hmac_sha256_vectors) {
    // PBKDF2-HMAC-SHA256("password", "salt", c, 32): the SHA-256 counterparts of RFC 6070.
    struct vector {
        std::uint32_t rounds;
        char const* hex;
    };
    for (auto const& v :
         {vector{1, "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"},
          vector{2, "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"},
          vector{4096, "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"}}) {
        auto const text = "$pbkdf2-sha256$" + std::to_string(v.rounds) + "$" + ab64("salt") + "$" +
                          ab64(test::from_hex(v.hex));
        auto const h = parse_pbkdf2_sha256(text);
        ASSERT_TRUE(h.has_value()) << text;
        EXPECT_EQ(verify_pbkdf2_sha256(*h, "password").value(), verdict::match) << text;
        EXPECT_EQ(verify_pbkdf2_sha256(*h, "passwore").value(), verdict::mismatch) << text;
    }
}

TEST(pbkdf2_sha256_parse, reads_rounds_salt_and_digest_in_adapted_base64) {
    // passlib.hash.pbkdf2_sha256.hash("pw"): '.' stands for '+'.
    auto const h = parse_pbkdf2_sha256(
        "$pbkdf2-sha256$29000$m7N2bk3pfU9J6R1DCGFM6Q$SEAtak0tjvVvF2sj.mbwcdSdVsK1MyI0WCDkQ4Bho5c");
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->rounds, 29000U);
    EXPECT_EQ(h->salt.size(), 16U);
    EXPECT_EQ(h->digest.size(), 32U);
    EXPECT_EQ(verify_pbkdf2_sha256(*h, "pw").value(), verdict::match);
}

TEST(pbkdf2_sha256_parse, rejects_every_malformed_variant) {
    std::string const salt = "m7N2bk3pfU9J6R1DCGFM6Q";
    std::string const digest = "SEAtak0tjvVvF2sj.mbwcdSdVsK1MyI0WCDkQ4Bho5c";
    for (std::string const& text : {
             "$pbkdf2-sha256$29000$"s + salt,
             "$pbkdf2-sha256$29000$"s + salt + "$",
             "$pbkdf2-sha256$29000$"s + salt + "$" + digest + "$",
             "$pbkdf2-sha256$29000$"s + salt + "$" + digest.substr(0, 42),  // 31 bytes
             "$pbkdf2-sha256$29000$"s + salt + "$" + digest + "AAAA",       // 35 bytes
             "$pbkdf2-sha256$29000$"s + salt + "$" + digest + "=",
             "$pbkdf2-sha256$29000$"s + salt + "$SEAtak0tjvVvF2sj+mbwcdSdVsK1MyI0WCDkQ4Bho5c",
             "$pbkdf2-sha256$29000$"s + salt + "$" + digest.substr(0, 42) + "d",  // pad bits
             "$pbkdf2-sha256$29000$"s + salt + "=$" + digest,
             "$pbkdf2-sha256$29000$m7N2b$"s + digest,          // 1 mod 4
             "$pbkdf2-sha256$029000$"s + salt + "$" + digest,  // leading zero
             "$pbkdf2-sha256$0$"s + salt + "$" + digest,       // zero rounds
             "$pbkdf2-sha256$-1$"s + salt + "$" + digest,
             "$pbkdf2-sha256$4294967296$"s + salt + "$" + digest,  // over 32 bits
             "$pbkdf2-sha256$$"s + salt + "$" + digest,
             "$pbkdf2-sha256$29k$"s + salt + "$" + digest,
             "$pbkdf2-sha256$"s + salt + "$" + digest,
             "$pbkdf2-sha512$29000$"s + salt + "$" + digest,
             "$pbkdf2$29000$"s + salt + "$" + digest,
             "$pbkdf2-sha256$29000$"s + std::string(1400, 'A') + "$" + digest,  // salt > 1024
         }) {
        auto const h = parse_pbkdf2_sha256(text);
        EXPECT_FALSE(h.has_value()) << text;
        if (!h) {
            EXPECT_EQ(h.error(), errc::malformed_hash) << text;
        }
    }
}

}  // namespace
}  // namespace warden::password
