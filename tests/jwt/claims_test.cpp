// JWT claim rules (RFC 7519 §4.1) as the verifier applies them, and the `claims` accessors.
#include <gtest/gtest.h>

#include <limits>
#include <warden/core/json.hpp>
#include <warden/jwt/claims.hpp>

#include "jwt/claims_parser.hpp"
#include "jwt/token_helpers.hpp"

namespace warden::jwt {
namespace {

using test::hs256_header;
using test::make_token;
using test::now_s;

std::string n(std::int64_t offset) { return std::to_string(now_s + offset); }

class jwt_claims : public ::testing::Test {
  protected:
    key const k = test::hs256_key();

    result<claims> check(std::string const& payload, verifier_options options = {}) const {
        return test::make_verifier(k, std::move(options))
            .verify(make_token(k, hs256_header(), payload));
    }
    errc error_of(std::string const& payload, verifier_options options = {}) const {
        auto const r = check(payload, std::move(options));
        EXPECT_FALSE(r.has_value()) << payload;
        return r ? errc{} : static_cast<errc>(r.error().value());
    }
    static verifier_options nothing_required() {
        verifier_options o;
        o.required_claims = {};
        return o;
    }
};

TEST_F(jwt_claims, accepts_an_exp_in_the_future) {
    EXPECT_TRUE(check(R"({"exp":)" + n(1) + "}").has_value());
}

TEST_F(jwt_claims, rejects_an_expired_token) {
    EXPECT_EQ(error_of(R"({"exp":)" + n(-31) + "}"), errc::expired);
    EXPECT_EQ(error_of(R"({"exp":0})"), errc::expired);
    EXPECT_EQ(error_of(R"({"exp":-1e300})"), errc::expired);
}

TEST_F(jwt_claims, tolerates_expiry_within_the_leeway_only) {
    EXPECT_TRUE(check(R"({"exp":)" + n(-29) + "}").has_value());
    // RFC 7519 §4.1.4: valid strictly before exp; now == exp + leeway is expired.
    EXPECT_EQ(error_of(R"({"exp":)" + n(-30) + "}"), errc::expired);
    verifier_options strict;
    strict.leeway = std::chrono::seconds{0};
    EXPECT_EQ(error_of(R"({"exp":)" + n(0) + "}", strict), errc::expired);
    EXPECT_TRUE(check(R"({"exp":)" + n(1) + "}", strict).has_value());
}

TEST_F(jwt_claims, accepts_fractional_numeric_dates) {
    auto const c = check(R"({"exp":)" + n(10) + ".75}");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->exp(), now_s + 10);
    EXPECT_EQ(error_of(R"({"exp":)" + n(-31) + ".5}"), errc::expired);
    EXPECT_TRUE(check(R"({"exp":)" + n(-30) + ".5}").has_value());
}

TEST_F(jwt_claims, rejects_numeric_dates_that_are_not_json_numbers) {
    for (std::string const& bad : {R"({"exp":")" + n(600) + "\"}", std::string{R"({"exp":true})"},
                                   std::string{R"({"exp":null})"}, std::string{R"({"exp":[1]})"},
                                   std::string{R"({"exp":{"t":1}})"}}) {
        EXPECT_EQ(error_of(bad), errc::claim_wrong_type) << bad;
    }
    EXPECT_EQ(error_of(R"({"exp":)" + n(600) + R"(,"nbf":"0"})"), errc::claim_wrong_type);
    EXPECT_EQ(error_of(R"({"exp":)" + n(600) + R"(,"iat":"0"})"), errc::claim_wrong_type);
}

TEST_F(jwt_claims, rejects_a_missing_exp_by_default) {
    EXPECT_EQ(error_of(R"({"sub":"42"})"), errc::missing_claim);
    EXPECT_EQ(error_of("{}"), errc::missing_claim);
    EXPECT_TRUE(check(R"({"sub":"42"})", nothing_required()).has_value());
}

TEST_F(jwt_claims, rejects_a_token_not_yet_valid) {
    EXPECT_EQ(error_of(R"({"exp":)" + n(600) + R"(,"nbf":)" + n(31) + "}"), errc::not_yet_valid);
    EXPECT_TRUE(check(R"({"exp":)" + n(600) + R"(,"nbf":)" + n(29) + "}").has_value());
    EXPECT_TRUE(check(R"({"exp":)" + n(600) + R"(,"nbf":)" + n(-1000) + "}").has_value());
}

TEST_F(jwt_claims, rejects_a_token_issued_in_the_future) {
    EXPECT_EQ(error_of(R"({"exp":)" + n(600) + R"(,"iat":)" + n(31) + "}"), errc::issued_in_future);
    EXPECT_TRUE(check(R"({"exp":)" + n(600) + R"(,"iat":)" + n(30) + "}").has_value());
    EXPECT_TRUE(check(R"({"exp":)" + n(600) + R"(,"iat":)" + n(-3600) + "}").has_value());
}

TEST_F(jwt_claims, checks_the_issuer_when_configured) {
    verifier_options o;
    o.issuer = "https://auth.example.com";
    std::string const exp = R"("exp":)" + n(600);
    EXPECT_TRUE(check("{" + exp + R"(,"iss":"https://auth.example.com"})", o).has_value());
    EXPECT_EQ(error_of("{" + exp + R"(,"iss":"https://evil.example.com"})", o), errc::wrong_issuer);
    EXPECT_EQ(error_of("{" + exp + R"(,"iss":"https://auth.example.com/"})", o),
              errc::wrong_issuer);
    EXPECT_EQ(error_of("{" + exp + "}", o), errc::missing_claim);
    EXPECT_EQ(error_of("{" + exp + R"(,"iss":["https://auth.example.com"]})", o),
              errc::claim_wrong_type);
    // Not configured: any string issuer passes, a non-string one never does.
    EXPECT_TRUE(check("{" + exp + R"(,"iss":"anyone"})").has_value());
    EXPECT_EQ(error_of("{" + exp + R"(,"iss":1})"), errc::claim_wrong_type);
}

TEST_F(jwt_claims, checks_the_audience_as_a_string_or_an_array) {
    verifier_options o;
    o.audiences = {"api", "admin"};
    std::string const exp = R"("exp":)" + n(600);
    EXPECT_TRUE(check("{" + exp + R"(,"aud":"api"})", o).has_value());
    EXPECT_TRUE(check("{" + exp + R"(,"aud":["other","admin"]})", o).has_value());
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":"other"})", o), errc::wrong_audience);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":["other","x"]})", o), errc::wrong_audience);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":[]})", o), errc::wrong_audience);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":"API"})", o), errc::wrong_audience);
    EXPECT_EQ(error_of("{" + exp + "}", o), errc::missing_claim);
}

TEST_F(jwt_claims, rejects_an_audience_of_the_wrong_type) {
    verifier_options o;
    o.audiences = {"api"};
    std::string const exp = R"("exp":)" + n(600);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":1})", o), errc::claim_wrong_type);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":["api",1]})", o), errc::claim_wrong_type);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":["api",["api"]]})", o), errc::claim_wrong_type);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":{"api":true}})", o), errc::claim_wrong_type);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":null})", o), errc::claim_wrong_type);
}

TEST_F(jwt_claims, rejects_any_audience_when_none_is_accepted) {
    // RFC 7519 §4.1.3: a recipient not named in aud must reject the token.
    std::string const exp = R"("exp":)" + n(600);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":"api"})"), errc::wrong_audience);
    EXPECT_EQ(error_of("{" + exp + R"(,"aud":["api"]})"), errc::wrong_audience);
}

TEST_F(jwt_claims, rejects_sub_jti_and_scope_that_are_not_strings) {
    std::string const exp = R"("exp":)" + n(600);
    EXPECT_EQ(error_of("{" + exp + R"(,"sub":42})"), errc::claim_wrong_type);
    EXPECT_EQ(error_of("{" + exp + R"(,"jti":{}})"), errc::claim_wrong_type);
    EXPECT_EQ(error_of("{" + exp + R"(,"scope":["read"]})"), errc::claim_wrong_type);
}

TEST_F(jwt_claims, requires_the_configured_claims) {
    verifier_options o;
    o.required_claims = {"exp", "sub", "jti", "ver"};
    std::string const base = R"({"exp":)" + n(600) + R"(,"sub":"1","jti":"j")";
    EXPECT_TRUE(check(base + R"(,"ver":3})", o).has_value());
    EXPECT_EQ(error_of(base + "}", o), errc::missing_claim);
    EXPECT_EQ(error_of(R"({"exp":)" + n(600) + R"(,"sub":"1","ver":3})", o), errc::missing_claim);
    // A claim nested in another object is not a top-level claim.
    EXPECT_EQ(error_of(base + R"(,"x":{"ver":3}})", o), errc::missing_claim);
}

TEST_F(jwt_claims, nested_registered_names_are_not_registered_claims) {
    std::string const payload =
        R"({"exp":)" + n(600) + R"(,"ctx":{"exp":"soon","aud":1,"sub":[]}})";
    auto const c = check(payload);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    EXPECT_EQ(c->exp(), now_s + 600);
    EXPECT_FALSE(c->sub().has_value());
    EXPECT_EQ(c->kind_of("ctx"), boost::json::kind::object);
}

TEST_F(jwt_claims, gives_typed_accessors_for_registered_claims) {
    auto const c =
        check(R"({"iss":"https://i","sub":"u-1","aud":["a","b"],"exp":)" + n(600) + R"(,"nbf":)" +
                  n(-5) + R"(,"iat":)" + n(-10) + R"(,"jti":"j-1","scope":"read write admin"})",
              [] {
                  verifier_options o;
                  o.audiences = {"b"};
                  return o;
              }());
    ASSERT_TRUE(c.has_value()) << c.error().message();
    EXPECT_EQ(c->iss(), "https://i");
    EXPECT_EQ(c->sub(), "u-1");
    EXPECT_EQ(c->aud(), (std::vector<std::string_view>{"a", "b"}));
    EXPECT_TRUE(c->has_audience("a"));
    EXPECT_FALSE(c->has_audience("c"));
    EXPECT_EQ(c->exp(), now_s + 600);
    EXPECT_EQ(c->nbf(), now_s - 5);
    EXPECT_EQ(c->iat(), now_s - 10);
    EXPECT_EQ(c->jti(), "j-1");
    EXPECT_EQ(c->scope(), "read write admin");
    EXPECT_TRUE(c->has_scope("write"));
    EXPECT_TRUE(c->has_scope("admin"));
    EXPECT_FALSE(c->has_scope("wri"));
    EXPECT_FALSE(c->has_scope(""));
    EXPECT_EQ(c->size(), 8U);
}

TEST_F(jwt_claims, absent_claims_are_empty_optionals) {
    auto const c = check(R"({"exp":)" + n(600) + "}");
    ASSERT_TRUE(c.has_value());
    EXPECT_FALSE(c->sub().has_value());
    EXPECT_FALSE(c->iss().has_value());
    EXPECT_FALSE(c->jti().has_value());
    EXPECT_FALSE(c->scope().has_value());
    EXPECT_FALSE(c->nbf().has_value());
    EXPECT_FALSE(c->iat().has_value());
    EXPECT_TRUE(c->aud().empty());
    EXPECT_FALSE(c->has_scope("read"));
    EXPECT_FALSE(c->contains("ver"));
    EXPECT_FALSE(c->get_string("ver").has_value());
    EXPECT_FALSE(c->kind_of("ver").has_value());
}

TEST_F(jwt_claims, gives_typed_lookups_for_custom_claims) {
    auto const c =
        check(R"({"exp":)" + n(600) +
              R"(,"ver":3,"big":18446744073709551615,"neg":-7,"ratio":2.5,"whole":4.0,)"
              R"("admin":false,"name":"Zo\u00e9 \"Z\"","none":null,"list":[1],"obj":{}})");
    ASSERT_TRUE(c.has_value()) << c.error().message();
    EXPECT_EQ(c->get_int64("ver"), 3);
    EXPECT_EQ(c->get_int64("neg"), -7);
    EXPECT_FALSE(c->get_int64("big").has_value());  // beyond int64
    EXPECT_EQ(c->get_number("big"), 18446744073709551615.0);
    EXPECT_FALSE(c->get_int64("ratio").has_value());
    EXPECT_EQ(c->get_int64("whole"), 4);
    EXPECT_EQ(c->get_number("ratio"), 2.5);
    EXPECT_EQ(c->get_bool("admin"), false);
    EXPECT_FALSE(c->get_bool("ver").has_value());
    EXPECT_EQ(c->get_string("name"), "Zo\xc3\xa9 \"Z\"");  // unescaped
    EXPECT_FALSE(c->get_string("ver").has_value());
    EXPECT_EQ(c->kind_of("none"), boost::json::kind::null);
    EXPECT_EQ(c->kind_of("list"), boost::json::kind::array);
    EXPECT_EQ(c->kind_of("obj"), boost::json::kind::object);
    EXPECT_TRUE(c->contains("none"));
}

TEST_F(jwt_claims, gives_the_whole_payload_as_an_object) {
    std::string const payload =
        R"({"exp":)" + n(600) + R"(,"ctx":{"roles":["a","b"],"n":1},"s":"\u00e9"})";
    auto const c = check(payload);
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->payload_json(), payload);
    auto const o = c->payload();
    EXPECT_EQ(o.at("ctx").at("roles").as_array().size(), 2U);
    EXPECT_EQ(o.at("s").as_string(), "\xc3\xa9");
    EXPECT_EQ(boost::json::value(o), parse_json_strict(payload).value());
}

TEST_F(jwt_claims, stay_valid_when_copied_and_moved) {
    std::string long_claim(700, 'x');  // beyond the inline buffer: heap storage
    for (std::string const& payload :
         {R"({"exp":)" + n(600) + R"(,"sub":"a\nb"})",
          R"({"exp":)" + n(600) + R"(,"sub":"a\nb","pad":")" + long_claim + "\"}"}) {
        auto c = check(payload);
        ASSERT_TRUE(c.has_value());
        claims const copy = *c;
        claims moved = std::move(*c);
        claims assigned;
        assigned = copy;
        for (claims const* x : std::initializer_list<claims const*>{&copy, &moved, &assigned}) {
            EXPECT_EQ(x->sub(), "a\nb");
            EXPECT_EQ(x->exp(), now_s + 600);
            EXPECT_EQ(x->typ(), "JWT");
            EXPECT_EQ(x->payload_json(), payload);
        }
    }
}

TEST(claims_parser, agrees_with_the_strict_dom_parser) {
    // The flat parser and core's DOM parser accept and refuse the same texts.
    for (std::string const text : {"{}",
                                   R"({"a":1})",
                                   R"({"a":{"b":[1,2,{"c":null}]},"d":"\u0041"})",
                                   "[]",
                                   "1",
                                   "\"s\"",
                                   "",
                                   "{",
                                   R"({"a":1,"a":2})",
                                   R"({"a":{"b":1,"b":2}})",
                                   R"([{"x":1,"x":1}])",
                                   R"({"a":1,})",
                                   "{} {}",
                                   "{\"a\":\"\xff\"}",
                                   R"({"\u0061":1,"a":2})",
                                   R"({"a":"\ud800"})",
                                   "{\"a\":1}\n",
                                   " {\"a\" : [ ] } ",

                                   R"({"a":1e999})",
                                   R"({"a":-0.0,"b":1E+2})",
                                   "{\"k\x00\":1}"}) {
        claims c;
        auto const flat = parse_claims_json(text, 16, c);
        auto const dom = parse_json_strict(text);
        bool const dom_object = dom && dom->is_object();
        EXPECT_EQ(!flat.error, dom_object) << text << " flat: " << flat.error.message();
        if (!dom) {
            EXPECT_TRUE(flat.error) << text;
        } else if (!dom->is_object()) {
            EXPECT_EQ(flat.error, errc::not_an_object) << text;
        }
    }
}

TEST(claims_parser, refuses_numbers_beyond_the_double_range) {
    // They would parse as infinities, which JSON cannot express: refused, as core's strict parser.
    claims a, b;
    EXPECT_EQ(parse_claims_json(R"({"a":1e999})", 16, a).error, errc::bad_json);
    EXPECT_EQ(parse_claims_json(R"({"a":[-1e400]})", 16, b).error, errc::bad_json);
}

TEST_F(jwt_claims, rejects_numeric_dates_beyond_the_double_range) {
    EXPECT_EQ(error_of(R"({"exp":1e999})"), errc::bad_json);
    EXPECT_EQ(error_of(R"({"exp":)" + n(600) + R"(,"nbf":-1e999})"), errc::bad_json);
}

TEST(claims_parser, maps_each_json_failure_to_its_error) {
    claims a, b, c, d, e;
    EXPECT_EQ(parse_claims_json(R"({"a":})", 16, a).error, errc::bad_json);
    EXPECT_EQ(parse_claims_json(R"({"a":1,"a":1})", 16, b).error, errc::duplicate_member);
    EXPECT_EQ(parse_claims_json(R"({"a":[[[]]]})", 3, c).error, errc::too_deep);
    EXPECT_FALSE(parse_claims_json(R"({"a":[[]]})", 3, d).error);
    EXPECT_EQ(parse_claims_json(R"(["a"])", 3, e).error, errc::not_an_object);
}

}  // namespace
}  // namespace warden::jwt
