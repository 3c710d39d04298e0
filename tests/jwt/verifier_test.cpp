// The verifier's JWS rules (RFC 7515, RFC 8725): one test per check, negative cases first.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <thread>
#include <vector>
#include <warden/jwt/verifier.hpp>

#include "jwt/token_helpers.hpp"

namespace warden::jwt {
namespace {

using test::claims_json;
using test::hs256_header;
using test::make_token;
using test::make_verifier;

class jws_verify : public ::testing::Test {
  protected:
    key const k = test::hs256_key();
    verifier const v = make_verifier(k);

    errc error_of(std::string const& token) const {
        auto const r = v.verify(token);
        EXPECT_FALSE(r.has_value()) << token;
        return r ? errc{} : static_cast<errc>(r.error().value());
    }
};

TEST_F(jws_verify, accepts_a_token_signed_with_the_configured_key) {
    auto const c = v.verify(make_token(k, hs256_header(), claims_json()));
    ASSERT_TRUE(c.has_value()) << c.error().message();
    EXPECT_EQ(c->sub(), "42");
    EXPECT_EQ(c->alg(), algorithm::hs256);
    EXPECT_EQ(c->typ(), "JWT");
}

TEST_F(jws_verify, rejects_a_token_over_the_size_limit_before_decoding) {
    std::string const huge(8 * 1024 + 1, '!');  // not even base64url: size is checked first
    EXPECT_EQ(error_of(huge), errc::token_too_large);
    verifier_options small;
    small.limits.max_token_size = 40;
    auto const tight = make_verifier(k, small);
    EXPECT_EQ(tight.verify(make_token(k, hs256_header(), claims_json())).error(),
              errc::token_too_large);
}

TEST_F(jws_verify, rejects_tokens_without_exactly_three_segments) {
    std::string const good = make_token(k, hs256_header(), claims_json());
    for (std::string const& bad :
         {std::string{}, std::string{"abc"}, std::string{"a.b"}, good + ".x", good + ".",
          "." + good, good.substr(good.find('.'))}) {
        EXPECT_EQ(error_of(bad), errc::malformed) << bad;
    }
}

TEST_F(jws_verify, rejects_a_json_serialization) {
    EXPECT_EQ(error_of(R"({"payload":"e30","signatures":[]})"), errc::malformed);
}

TEST_F(jws_verify, rejects_bad_base64_in_any_segment) {
    std::string const good = make_token(k, hs256_header(), claims_json());
    auto const d1 = good.find('.');
    auto const d2 = good.find('.', d1 + 1);
    EXPECT_EQ(error_of("!" + good.substr(1)), errc::bad_base64);  // header
    EXPECT_EQ(error_of(good.substr(0, d1 + 1) + "=" + good.substr(d1 + 2)), errc::bad_base64);
    EXPECT_EQ(error_of(good.substr(0, d2 + 1) + "+" + good.substr(d2 + 2)), errc::bad_base64);
    EXPECT_EQ(error_of(good + "="), errc::bad_base64);  // padded signature
}

TEST_F(jws_verify, rejects_a_header_that_is_not_json) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256",})", claims_json())), errc::bad_json);
    EXPECT_EQ(error_of(make_token(k, "\xff", claims_json())), errc::bad_json);
}

TEST_F(jws_verify, rejects_a_header_with_a_duplicate_member) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","alg":"none"})", claims_json())),
              errc::duplicate_member);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","\u0061lg":"HS256"})", claims_json())),
              errc::duplicate_member);
}

TEST_F(jws_verify, rejects_a_header_nested_too_deeply) {
    std::string const deep =
        R"({"alg":"HS256","x":)" + std::string(20, '[') + std::string(20, ']') + "}";
    EXPECT_EQ(error_of(make_token(k, deep, claims_json())), errc::too_deep);
}

TEST_F(jws_verify, rejects_a_header_that_is_not_an_object) {
    EXPECT_EQ(error_of(make_token(k, R"(["alg","HS256"])", claims_json())), errc::not_an_object);
    EXPECT_EQ(error_of(make_token(k, R"("HS256")", claims_json())), errc::not_an_object);
}

TEST_F(jws_verify, rejects_a_header_without_a_string_alg) {
    EXPECT_EQ(error_of(make_token(k, R"({"typ":"JWT"})", claims_json())), errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":256})", claims_json())), errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":null})", claims_json())), errc::bad_header);
}

TEST_F(jws_verify, rejects_alg_none) {
    std::string const none =
        base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(claims_json()) + ".";
    EXPECT_EQ(error_of(none), errc::alg_none);
    // Even with a (meaningless) signature attached.
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"none"})", claims_json())), errc::alg_none);
}

TEST_F(jws_verify, rejects_other_spellings_of_none_as_unknown_algorithms) {
    for (char const* alg : {"None", "NONE", "nOnE", "hs256", "HS256 ", ""}) {
        std::string const header = std::string{R"({"alg":")"} + alg + "\"}";
        EXPECT_EQ(error_of(make_token(k, header, claims_json())), errc::alg_not_allowed) << alg;
    }
}

TEST_F(jws_verify, rejects_an_algorithm_no_key_is_bound_to) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS512"})", claims_json())), errc::alg_not_allowed);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"RS256"})", claims_json())), errc::alg_not_allowed);
}

TEST_F(jws_verify, rejects_hs256_for_a_verifier_holding_an_rsa_key) {
    auto const rsa = *key::generate(algorithm::rs256);
    auto const pem = *rsa.public_pem();
    // The classic confusion: an HMAC keyed with the RSA public key's PEM text.
    auto const forged_key = *key::from_utf8_secret(algorithm::hs256, pem);
    auto const rsa_verifier = make_verifier(*rsa.public_key());
    auto const token = make_token(forged_key, R"({"alg":"HS256"})", claims_json());
    EXPECT_EQ(rsa_verifier.verify(token).error(), errc::alg_not_allowed);
}

TEST_F(jws_verify, rejects_a_token_whose_alg_is_not_its_kid_keys) {
    auto const named = test::hs256_key("k1");
    auto const with_kid = make_verifier(named);
    EXPECT_EQ(
        with_kid.verify(make_token(named, R"({"alg":"HS384","kid":"k1"})", claims_json())).error(),
        errc::alg_not_allowed);
}

TEST_F(jws_verify, rejects_unknown_crit_extensions) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","crit":["exp"],"exp":1})", claims_json())),
              errc::unknown_crit);
    EXPECT_EQ(
        error_of(make_token(k, R"({"alg":"HS256","crit":["b64"],"b64":false})", claims_json())),
        errc::unknown_crit);
}

TEST_F(jws_verify, rejects_malformed_crit_and_lone_b64) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","crit":[]})", claims_json())),
              errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","crit":"x"})", claims_json())),
              errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","crit":[1]})", claims_json())),
              errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","b64":true})", claims_json())),
              errc::bad_header);
}

TEST_F(jws_verify, rejects_kid_typ_and_cty_of_the_wrong_type) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","kid":1})", claims_json())),
              errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","typ":["JWT"]})", claims_json())),
              errc::bad_header);
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","cty":{}})", claims_json())),
              errc::bad_header);
}

TEST_F(jws_verify, rejects_a_kid_that_names_no_configured_key) {
    EXPECT_EQ(error_of(make_token(k, R"({"alg":"HS256","kid":"other"})", claims_json())),
              errc::key_not_found);
}

TEST_F(jws_verify, never_takes_the_key_from_jwk_jku_x5u_or_x5c_headers) {
    auto const attacker = *key::generate(algorithm::es256);
    auto const victim = *key::generate(algorithm::es256);
    auto const es = make_verifier(*victim.public_key());
    std::string const header =
        R"({"alg":"ES256","jwk":)" + boost::json::serialize(*attacker.public_jwk()) + "}";
    EXPECT_EQ(es.verify(make_token(attacker, header, claims_json())).error(), errc::bad_signature);
    // Signed by the configured key, the same headers are simply ignored.
    for (char const* h : {R"({"alg":"HS256","jku":"https://evil.example/jwks"})",
                          R"({"alg":"HS256","x5u":"https://evil.example/cert"})",
                          R"({"alg":"HS256","x5c":["MIIB"]})"}) {
        EXPECT_TRUE(v.verify(make_token(k, h, claims_json())).has_value()) << h;
    }
}

TEST_F(jws_verify, rejects_a_modified_signature_payload_or_header) {
    std::string const good = make_token(k, hs256_header(), claims_json());
    std::string flipped = good;
    flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(error_of(flipped), errc::bad_signature);
    auto const d1 = good.find('.');
    auto const d2 = good.find('.', d1 + 1);
    std::string const other_payload = base64url_encode(claims_json(R"("admin":true)"));
    EXPECT_EQ(error_of(good.substr(0, d1 + 1) + other_payload + good.substr(d2)),
              errc::bad_signature);
    std::string const other_header = base64url_encode(R"({"alg":"HS256"})");
    EXPECT_EQ(error_of(other_header + good.substr(d1)), errc::bad_signature);
}

TEST_F(jws_verify, rejects_truncated_and_empty_signatures) {
    std::string const good = make_token(k, hs256_header(), claims_json());
    auto const d2 = good.rfind('.');
    auto const sig = *base64url_decode(good.substr(d2 + 1));
    EXPECT_EQ(error_of(good.substr(0, d2 + 1) + base64url_encode(sig.substr(0, 16))),
              errc::bad_signature);
    EXPECT_EQ(error_of(good.substr(0, d2 + 1)), errc::bad_signature);
    EXPECT_EQ(error_of(good.substr(0, d2 + 1) + base64url_encode(sig + sig)), errc::bad_signature);
}

TEST_F(jws_verify, rejects_a_signed_payload_that_is_not_a_json_object) {
    EXPECT_EQ(error_of(make_token(k, hs256_header(), "not json")), errc::bad_json);
    EXPECT_EQ(error_of(make_token(k, hs256_header(), "")), errc::bad_json);
    EXPECT_EQ(error_of(make_token(k, hs256_header(), R"({"exp":1,})")), errc::bad_json);
    EXPECT_EQ(error_of(make_token(k, hs256_header(), "[1,2]")), errc::not_an_object);
    EXPECT_EQ(error_of(make_token(k, hs256_header(), "42")), errc::not_an_object);
}

TEST_F(jws_verify, rejects_duplicate_claims_at_any_depth) {
    EXPECT_EQ(error_of(make_token(k, hs256_header(), R"({"sub":"1","exp":1,"sub":"2"})")),
              errc::duplicate_member);
    EXPECT_EQ(error_of(make_token(k, hs256_header(), R"({"sub":"1","s\u0075b":"2"})")),
              errc::duplicate_member);
    EXPECT_EQ(error_of(make_token(k, hs256_header(), claims_json(R"("x":{"a":1,"a":2})"))),
              errc::duplicate_member);
    EXPECT_EQ(
        error_of(make_token(k, hs256_header(), claims_json(R"("x":[{"a":1},{"b":1,"b":1}])"))),
        errc::duplicate_member);
}

TEST_F(jws_verify, rejects_a_payload_nested_too_deeply) {
    std::string const deep = claims_json(R"("x":)" + std::string(16, '[') + std::string(16, ']'));
    EXPECT_EQ(error_of(make_token(k, hs256_header(), deep)), errc::too_deep);
    std::string const ok = claims_json(R"("x":)" + std::string(15, '[') + std::string(15, ']'));
    EXPECT_TRUE(v.verify(make_token(k, hs256_header(), ok)).has_value());
}

TEST_F(jws_verify, accepts_the_same_header_however_it_is_spelled) {
    // Known headers take a memoised path; any other spelling is parsed: same outcome.
    for (char const* h : {R"({"alg":"HS256","typ":"JWT"})", R"({"typ":"JWT","alg":"HS256"})",
                          R"({ "alg" : "HS256" })", R"({"alg":"HS256","x-custom":[1,{"y":2}]})",
                          R"({"alg":"HS256","typ":"JWT","cty":"JWT"})"}) {
        EXPECT_TRUE(v.verify(make_token(k, h, claims_json())).has_value()) << h;
    }
}

TEST_F(jws_verify, checks_typ_only_when_configured) {
    verifier_options typed;
    typed.typ = "at+jwt";
    auto const at = make_verifier(k, typed);
    EXPECT_TRUE(
        at.verify(make_token(k, R"({"alg":"HS256","typ":"at+jwt"})", claims_json())).has_value());
    EXPECT_TRUE(
        at.verify(make_token(k, R"({"alg":"HS256","typ":"AT+JWT"})", claims_json())).has_value());
    EXPECT_TRUE(
        at.verify(make_token(k, R"({"alg":"HS256","typ":"application/at+jwt"})", claims_json()))
            .has_value());
    EXPECT_EQ(at.verify(make_token(k, R"({"alg":"HS256","typ":"JWT"})", claims_json())).error(),
              errc::wrong_typ);
    EXPECT_EQ(at.verify(make_token(k, R"({"alg":"HS256"})", claims_json())).error(),
              errc::wrong_typ);
    EXPECT_EQ(at.verify(make_token(k, R"({"alg":"HS256","typ":"jwt+at"})", claims_json())).error(),
              errc::wrong_typ);
    // Not configured: any typ, or none.
    EXPECT_TRUE(
        v.verify(make_token(k, R"({"alg":"HS256","typ":"whatever"})", claims_json())).has_value());
}

TEST_F(jws_verify, picks_the_key_named_by_kid) {
    auto const a = test::hs256_key("a");
    auto const b = *key::from_utf8_secret(algorithm::hs256, "another-secret-of-at-least-32-bytes!!",
                                          {.kid = "b"});
    auto const both = *verifier::create(*key_set::from_keys({a, b}), {}, test::fixed_clock());
    EXPECT_TRUE(
        both.verify(make_token(b, R"({"alg":"HS256","kid":"b"})", claims_json())).has_value());
    EXPECT_EQ(both.verify(make_token(b, R"({"alg":"HS256","kid":"a"})", claims_json())).error(),
              errc::bad_signature);
    auto const c = both.verify(make_token(a, R"({"alg":"HS256","kid":"a"})", claims_json()));
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->kid(), "a");
}

TEST_F(jws_verify, tries_every_key_of_the_algorithm_when_there_is_no_kid) {
    // Rotation: tokens from before and after the switch verify while both keys are configured.
    auto const old_key = test::hs256_key();
    auto const new_key = *key::generate(algorithm::hs256);
    auto const both =
        *verifier::create(*key_set::from_keys({new_key, old_key}), {}, test::fixed_clock());
    EXPECT_TRUE(both.verify(make_token(old_key, hs256_header(), claims_json())).has_value());
    EXPECT_TRUE(both.verify(make_token(new_key, hs256_header(), claims_json())).has_value());
    auto const stranger = *key::generate(algorithm::hs256);
    EXPECT_EQ(both.verify(make_token(stranger, hs256_header(), claims_json())).error(),
              errc::bad_signature);
}

TEST_F(jws_verify, errors_never_echo_the_token) {
    std::string const token =
        make_token(k, R"({"alg":"HS256","kid":"secret-kid-value"})", claims_json());
    auto const r = v.verify(token);
    ASSERT_FALSE(r.has_value());
    std::string const message = r.error().message();
    EXPECT_EQ(message.find("secret-kid-value"), std::string::npos);
    EXPECT_EQ(message.find(token.substr(0, 10)), std::string::npos);
    EXPECT_LT(message.size(), 64U);
}

TEST_F(jws_verify, verify_jws_accepts_any_payload_bytes) {
    auto const r = v.verify_jws(make_token(k, hs256_header(), std::string{"\x00\x01 binary", 9}));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->payload, (std::string{"\x00\x01 binary", 9}));
    EXPECT_EQ(r->header.at("typ").as_string(), "JWT");
    auto const empty = v.verify_jws(make_token(k, hs256_header(), ""));
    ASSERT_TRUE(empty.has_value());
    EXPECT_TRUE(empty->payload.empty());
}

TEST_F(jws_verify, verify_detached_checks_the_content_given_apart) {
    std::string const content = "detached content";
    std::string const full = make_token(k, hs256_header(), content);
    auto const d1 = full.find('.');
    auto const d2 = full.rfind('.');
    std::string const detached = full.substr(0, d1 + 1) + full.substr(d2);
    EXPECT_TRUE(v.verify_detached(detached, content).has_value());
    EXPECT_EQ(v.verify_detached(detached, "other content").error(), errc::bad_signature);
    EXPECT_EQ(v.verify_detached(full, content).error(), errc::malformed);
}

TEST(jws_verifier_create, refuses_an_empty_key_set_and_bad_options) {
    manual_clock clock;
    EXPECT_EQ(verifier::create({}, {}, clock).error(), errc::empty_key_set);
    auto const keys = *key_set::from_keys({test::hs256_key()});
    verifier_options negative;
    negative.leeway = std::chrono::seconds{-1};
    EXPECT_EQ(verifier::create(keys, negative, clock).error(), errc::invalid_options);
    verifier_options zero_size;
    zero_size.limits.max_token_size = 0;
    EXPECT_EQ(verifier::create(keys, zero_size, clock).error(), errc::invalid_options);
    verifier_options zero_depth;
    zero_depth.limits.max_json_depth = 0;
    EXPECT_EQ(verifier::create(keys, zero_depth, clock).error(), errc::invalid_options);
    EXPECT_TRUE(verifier::create(keys, {}, clock).has_value());
}

TEST(jws_verifier_create, refuses_a_key_whose_key_ops_exclude_verify) {
    manual_clock clock;
    auto const sign_only = *key::from_jwk(
        R"({"kty":"oct","alg":"HS256","key_ops":["sign"],"k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"})");
    EXPECT_EQ(verifier::create(*key_set::from_keys({sign_only}), {}, clock).error(),
              errc::key_use_mismatch);
}

TEST(jws_verify_threads, many_threads_verify_with_one_verifier) {
    auto const hs = test::hs256_key();
    auto const es = *key::generate(algorithm::es256, {.kid = "es"});
    auto const hs_verifier = test::make_verifier(hs);
    auto const es_verifier = test::make_verifier(*es.public_key());
    std::string const hs_token = make_token(hs, hs256_header(), claims_json());
    std::string const es_token = make_token(es, R"({"alg":"ES256","kid":"es"})", claims_json());
    std::string bad = hs_token;
    bad.back() = bad.back() == 'A' ? 'B' : 'A';
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 300; ++i) {
                if (!hs_verifier.verify(hs_token)) ++failures;
                if (hs_verifier.verify(bad)) ++failures;
                if (i % 30 == 0 && !es_verifier.verify(es_token)) ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace warden::jwt
