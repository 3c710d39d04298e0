// The signer: fixed header, claims in, compact token out.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <warden/core/base64url.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/signer.hpp>

#include "jwt/token_helpers.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

std::string header_of(std::string const& token) {
    return *base64url_decode(token.substr(0, token.find('.')));
}

TEST(signer, refuses_a_key_that_cannot_sign) {
    auto const pub = *key::generate(algorithm::es256)->public_key();
    EXPECT_EQ(signer::create(pub).error(), errc::missing_private_key);
    auto const verify_only = *key::from_jwk(
        R"({"kty":"oct","alg":"HS256","key_ops":["verify"],"k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"})");
    EXPECT_EQ(signer::create(verify_only).error(), errc::key_use_mismatch);
}

TEST(signer, writes_the_header_in_sorted_order_like_pyjwt) {
    auto const with_kid = *signer::create(test::hs256_key("k1"));
    EXPECT_EQ(header_of(*with_kid.sign({{"exp", 1}})), R"({"alg":"HS256","kid":"k1","typ":"JWT"})");
    auto const no_kid =
        *signer::create(test::hs256_key("k1"), {.typ = "JWT", .include_kid = false});
    EXPECT_EQ(header_of(*no_kid.sign({{"exp", 1}})), R"({"alg":"HS256","typ":"JWT"})");
    auto const no_typ = *signer::create(test::hs256_key(), {.typ = "", .include_kid = true});
    EXPECT_EQ(header_of(*no_typ.sign({{"exp", 1}})), R"({"alg":"HS256"})");
    auto const at =
        *signer::create(*key::generate(algorithm::eddsa, {.kid = "e"}), {.typ = "at+jwt"});
    EXPECT_EQ(header_of(*at.sign({{"exp", 1}})), R"({"alg":"EdDSA","kid":"e","typ":"at+jwt"})");
}

TEST(signer, refuses_registered_claims_of_the_wrong_type) {
    auto const s = *signer::create(test::hs256_key());
    for (json::object const& bad :
         {json::object{{"exp", "1700000000"}}, json::object{{"nbf", true}},
          json::object{{"iat", nullptr}}, json::object{{"sub", 42}},
          json::object{{"iss", json::array{}}}, json::object{{"jti", 1.5}},
          json::object{{"aud", 1}}, json::object{{"aud", json::array{"a", 2}}}}) {
        EXPECT_EQ(s.sign(bad).error(), errc::claim_wrong_type) << json::serialize(bad);
    }
    EXPECT_TRUE(s.sign({{"aud", json::array{"a", "b"}}, {"exp", 1.5}, {"sub", "x"}}).has_value());
}

TEST(signer, tokens_verify_for_every_algorithm) {
    for (auto const alg :
         {algorithm::hs256, algorithm::hs384, algorithm::hs512, algorithm::rs256, algorithm::rs384,
          algorithm::rs512, algorithm::ps256, algorithm::ps384, algorithm::ps512, algorithm::es256,
          algorithm::es384, algorithm::es512, algorithm::eddsa}) {
        SCOPED_TRACE(std::string{to_string(alg)});
        auto const k = *key::generate(alg, {.kid = "k"});
        auto const s = *signer::create(k);
        json::object const claims{{"sub", "7"}, {"exp", test::now_s + 60}, {"ver", 2}};
        auto const token = s.sign(claims);
        ASSERT_TRUE(token.has_value());
        auto const verifying = k.is_symmetric() ? k : *k.public_key();
        auto const c = test::make_verifier(verifying).verify(*token);
        ASSERT_TRUE(c.has_value()) << c.error().message();
        EXPECT_EQ(c->sub(), "7");
        EXPECT_EQ(c->get_int64("ver"), 2);
        EXPECT_EQ(c->kid(), "k");
        EXPECT_EQ(c->alg(), alg);
        EXPECT_EQ(s.signing_key().alg(), alg);
    }
}

TEST(signer, signs_arbitrary_payload_bytes) {
    auto const k = test::hs256_key();
    auto const token = signer::create(k)->sign_payload(std::string{"\x00\xff raw", 6});
    ASSERT_TRUE(token.has_value());
    auto const r = test::make_verifier(k).verify_jws(*token);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->payload, (std::string{"\x00\xff raw", 6}));
}

}  // namespace
}  // namespace warden::jwt
