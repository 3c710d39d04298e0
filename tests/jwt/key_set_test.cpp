// Key sets (RFC 7517 §5) and their policy: unique kids, no symmetric/asymmetric mix.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/key_set.hpp>

namespace warden::jwt {
namespace {

namespace json = boost::json;

key hs(std::string kid) { return *key::generate(algorithm::hs256, {.kid = std::move(kid)}); }

TEST(key_set, refuses_two_keys_with_the_same_kid) {
    EXPECT_EQ(key_set::from_keys({hs("a"), hs("a")}).error(), errc::duplicate_kid);
    auto set = *key_set::from_keys({hs("a")});
    EXPECT_EQ(set.add(hs("a")).error(), errc::duplicate_kid);
    EXPECT_EQ(set.size(), 1U);  // unchanged
}

TEST(key_set, refuses_symmetric_keys_next_to_asymmetric_ones) {
    auto const ec = *key::generate(algorithm::es256, {.kid = "e"});
    EXPECT_EQ(key_set::from_keys({hs("h"), ec}).error(), errc::mixed_key_set);
    EXPECT_EQ(key_set::from_keys({*ec.public_key(), hs("h")}).error(), errc::mixed_key_set);
}

TEST(key_set, allows_keys_without_kid_and_several_asymmetric_types) {
    auto const set =
        key_set::from_keys({*key::generate(algorithm::es256), *key::generate(algorithm::eddsa),
                            *key::generate(algorithm::es256, {.kid = "x"})});
    ASSERT_TRUE(set.has_value());
    EXPECT_EQ(set->size(), 3U);
    EXPECT_NE(set->find("x"), nullptr);
    EXPECT_EQ(set->find("y"), nullptr);
    EXPECT_EQ(set->find(""), nullptr);  // an empty kid names nothing
}

TEST(key_set, loads_a_jwk_set) {
    auto const a = *key::generate(algorithm::es256, {.kid = "a"});
    auto const b = *key::generate(algorithm::rs256, {.kid = "b"});
    auto const jwks = *key_set::from_keys({a, b})->public_jwks();
    auto const set = key_set::from_jwks(json::serialize(jwks));
    ASSERT_TRUE(set.has_value()) << set.error().message();
    EXPECT_EQ(set->size(), 2U);
    EXPECT_EQ(set->find("b")->alg(), algorithm::rs256);
    EXPECT_FALSE(set->find("a")->can_sign());
}

TEST(key_set, refuses_malformed_jwk_sets) {
    EXPECT_EQ(key_set::from_jwks(std::string_view{"{}"}).error(), errc::invalid_key);
    EXPECT_EQ(key_set::from_jwks(std::string_view{R"({"keys":{}})"}).error(), errc::invalid_key);
    EXPECT_EQ(key_set::from_jwks(std::string_view{R"({"keys":[1]})"}).error(), errc::invalid_key);
    EXPECT_EQ(key_set::from_jwks(std::string_view{R"({"keys":[],"keys":[]})"}).error(),
              errc::duplicate_member);
    EXPECT_EQ(key_set::from_jwks(std::string_view{R"({"keys":[)"}).error(), errc::bad_json);
    EXPECT_EQ(key_set::from_jwks(std::string_view{"[]"}).error(), errc::invalid_key);
    // One bad key spoils the set: keys are never silently dropped.
    EXPECT_EQ(key_set::from_jwks(
                  std::string_view{
                      R"({"keys":[{"kty":"RSA","alg":"RS256","use":"enc","n":"AQ","e":"AQ"}]})"})
                  .error(),
              errc::key_use_mismatch);
    EXPECT_TRUE(key_set::from_jwks(std::string_view{R"({"keys":[]})"})->empty());
}

TEST(key_set, publishes_only_public_parts_of_asymmetric_keys) {
    auto const set = *key_set::from_keys({*key::generate(algorithm::es256, {.kid = "a"}),
                                          *key::generate(algorithm::eddsa, {.kid = "b"})});
    auto const jwks = set.public_jwks();
    ASSERT_TRUE(jwks.has_value());
    auto const& keys = jwks->at("keys").as_array();
    ASSERT_EQ(keys.size(), 2U);
    for (auto const& k : keys) EXPECT_FALSE(k.as_object().contains("d"));
    // HS secrets have no public form: an HS-only set publishes {"keys":[]}.
    auto const hs_only = *key_set::from_keys({hs("h")});
    EXPECT_EQ(json::serialize(*hs_only.public_jwks()), R"({"keys":[]})");
}

}  // namespace
}  // namespace warden::jwt
