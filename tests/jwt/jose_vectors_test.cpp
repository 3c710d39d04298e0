// Every vector of tests/data/jose/jose_vectors.json (RFC 7515 App. A, RFC 8037 App. A.4, RFC 7520
// §4 and the derived attack cases): valid ones verify with their key and give the expected header
// and payload; every `reject` one is refused with the error named below.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <string>
#include <warden/core/base64url.hpp>
#include <warden/core/clock.hpp>
#include <warden/jwt.hpp>

#include "jwt/key_impl.hpp"
#include "support/test_data.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

json::array const& vectors() {
    static json::value const data = test::read_json(test::data_path("jose/jose_vectors.json"));
    return data.at("vectors").as_array();
}

json::object const& vector_by_id(std::string_view id) {
    for (auto const& v : vectors()) {
        if (v.at("id").as_string() == id) return v.as_object();
    }
    throw std::runtime_error("no vector " + std::string{id});
}

// The error each `reject` vector must produce.
std::map<std::string, errc> const expected_rejections{
    {"rfc7515-A.5", errc::alg_none},
    {"derived-hs256-payload-tampered", errc::bad_signature},
    {"derived-hs256-empty-signature", errc::bad_signature},
    {"derived-alg-none-stripped-signature", errc::alg_none},
    {"derived-alg-None-stripped-signature", errc::alg_not_allowed},  // alg is case-sensitive
    {"derived-alg-NONE-stripped-signature", errc::alg_not_allowed},
    {"derived-alg-nOnE-stripped-signature", errc::alg_not_allowed},
    {"derived-rs256-to-hs256-key-confusion", errc::alg_not_allowed},
    {"derived-es256-der-signature", errc::bad_signature},
    {"derived-eddsa-signature-bitflip", errc::bad_signature},
    {"derived-hs256-padded-signature", errc::bad_base64},
    {"derived-hs256-std-base64-alphabet", errc::bad_base64},
    {"derived-hs256-four-segments", errc::malformed},
    {"derived-hs256-whitespace", errc::bad_base64},
    {"derived-hs256-unknown-crit", errc::unknown_crit},
    // The embedded `jwk` header is ignored; the verifier's own key does not verify the token.
    {"derived-es256-embedded-attacker-jwk", errc::bad_signature},
};

algorithm alg_of(json::object const& v, char const* field) {
    auto const a = algorithm_from_string(std::string_view{v.at(field).as_string()});
    if (!a) throw std::runtime_error("unknown alg in vector");
    return *a;
}

key key_of(json::object const& v) {
    auto k = key::from_jwk(v.at("jwk").as_object(), alg_of(v, "verify_with_alg"));
    EXPECT_TRUE(k.has_value()) << v.at("id").as_string() << ": " << k.error().message();
    return *k;
}

// A clock just before the 2011 `exp` of the RFC 7515 claims, so the signature is what is tested.
manual_clock const before_2011_exp{time_point{std::chrono::seconds{1300819000}}};
system_clock const real_clock;

verifier jws_verifier_for(key const& k) {
    verifier_options options;
    options.required_claims = {};
    auto v = verifier::create(*key_set::from_keys({k}), options, before_2011_exp);
    EXPECT_TRUE(v.has_value());
    return *v;
}

TEST(jose_vectors, file_has_the_thirty_documented_vectors) {
    EXPECT_EQ(vectors().size(), 30U);
    std::size_t rejects = 0;
    for (auto const& v : vectors()) {
        if (v.at("expect").as_string() == "reject") ++rejects;
    }
    EXPECT_EQ(rejects, expected_rejections.size());
}

TEST(jose_vectors, valid_compact_vectors_verify_with_their_key) {
    int checked = 0;
    for (auto const& value : vectors()) {
        auto const& v = value.as_object();
        if (v.at("expect").as_string() != "valid" ||
            v.at("serialization").as_string() != "compact") {
            continue;
        }
        SCOPED_TRACE(std::string{v.at("id").as_string()});
        key const k = key_of(v);
        verifier const verify = jws_verifier_for(k);
        std::string const token{v.at("jws").as_string()};
        result<verified_jws> r =
            v.contains("detached_payload_raw")
                ? verify.verify_detached(token, v.at("detached_payload_raw").as_string())
                : verify.verify_jws(token);
        ASSERT_TRUE(r.has_value()) << r.error().message();
        EXPECT_EQ(json::value(r->header), v.at("expected_header"));
        EXPECT_EQ(r->payload, v.at("expected_payload_raw").as_string());
        EXPECT_EQ(r->alg, alg_of(v, "verify_with_alg"));
        ++checked;
    }
    EXPECT_EQ(checked, 11);  // RFC 7515 A.1-A.4, RFC 8037 A.4, RFC 7520 4.1-4.5, malleated ES256
}

TEST(jose_vectors, valid_jwt_vectors_give_their_claims) {
    int checked = 0;
    for (auto const& value : vectors()) {
        auto const& v = value.as_object();
        if (v.at("expect").as_string() != "valid" ||
            v.at("serialization").as_string() != "compact" ||
            v.at("expected_payload_json").is_null()) {
            continue;
        }
        SCOPED_TRACE(std::string{v.at("id").as_string()});
        key const k = key_of(v);
        auto const verify = *verifier::create(*key_set::from_keys({k}), {}, before_2011_exp);
        auto const c = verify.verify(v.at("jws").as_string());
        ASSERT_TRUE(c.has_value()) << c.error().message();
        EXPECT_EQ(json::value(c->payload()), v.at("expected_payload_json"));
        EXPECT_EQ(c->payload_json(), v.at("expected_payload_raw").as_string());
        EXPECT_EQ(c->iss(), "joe");
        EXPECT_EQ(c->exp(), 1300819380);
        EXPECT_EQ(c->get_bool("http://example.com/is_root"), true);
        // With the real clock the same token is long expired (2011).
        auto const now = *verifier::create(*key_set::from_keys({k}), {}, real_clock);
        EXPECT_EQ(now.verify(v.at("jws").as_string()).error(), errc::expired);
        ++checked;
    }
    EXPECT_EQ(checked, 4);  // A.1, A.2, A.3 and the malleated ES256 copy of A.3
}

TEST(jose_vectors, detached_content_token_has_an_empty_payload_segment) {
    auto const& v = vector_by_id("rfc7520-4.5");
    verifier const verify = jws_verifier_for(key_of(v));
    std::string const token{v.at("jws").as_string()};
    // Without its content the token is an empty-payload JWS whose signature does not match.
    EXPECT_EQ(verify.verify_jws(token).error(), errc::bad_signature);
    // A compact token that has a payload cannot be checked as detached.
    auto const& attached = vector_by_id("rfc7520-4.4");
    EXPECT_EQ(verify.verify_detached(attached.at("jws").as_string(), "x").error(), errc::malformed);
}

TEST(jose_vectors, every_reject_vector_is_refused_with_its_error) {
    int checked = 0;
    for (auto const& value : vectors()) {
        auto const& v = value.as_object();
        if (v.at("expect").as_string() != "reject") continue;
        std::string const id{v.at("id").as_string()};
        SCOPED_TRACE(id);
        auto const expected = expected_rejections.find(id);
        ASSERT_NE(expected, expected_rejections.end()) << "no expectation for " << id;
        // The verifier holds the named key (verifier_key_id) or the vector's own key.
        auto const* key_id = v.if_contains("verifier_key_id");
        json::object const& key_vector =
            key_id != nullptr && key_id->is_string() ? vector_by_id(key_id->as_string()) : v;
        key const k = key_of(key_vector);
        auto const verify = *verifier::create(*key_set::from_keys({k}), {}, before_2011_exp);
        std::string const token{v.at("jws").as_string()};
        auto const as_jwt = verify.verify(token);
        ASSERT_FALSE(as_jwt.has_value());
        EXPECT_EQ(as_jwt.error(), expected->second) << as_jwt.error().message();
        EXPECT_EQ(as_jwt.error(), condition::invalid_token);
        auto const as_jws = verify.verify_jws(token);
        ASSERT_FALSE(as_jws.has_value());
        EXPECT_EQ(as_jws.error(), expected->second);
        ++checked;
    }
    EXPECT_EQ(checked, 16);
}

// RFC 7520 4.6-4.8 use the JWS JSON serialization (unprotected headers, several signatures),
// which this compact-only library does not accept as a token. Their signatures are still checked
// here through the same signature code the verifier uses.
TEST(jose_vectors, json_serialization_vectors_verify_through_the_signature_primitive) {
    int signatures = 0;
    std::optional<key> last_key;
    for (auto const& value : vectors()) {
        auto const& v = value.as_object();
        if (v.at("serialization").as_string() != "json_general") continue;
        SCOPED_TRACE(std::string{v.at("id").as_string()});
        auto const& general = v.at("jws_json_general").as_object();
        std::string const payload{general.at("payload").as_string()};
        EXPECT_EQ(*base64url_decode(payload), v.at("expected_payload_raw").as_string());
        for (auto const& sig_value : general.at("signatures").as_array()) {
            auto const& sig = sig_value.as_object();
            std::string protected_b64;
            json::object header;
            if (auto const* p = sig.if_contains("protected")) {
                protected_b64 = std::string{p->as_string()};
                header = json::parse(*base64url_decode(protected_b64)).as_object();
            }
            if (auto const* h = sig.if_contains("header")) {
                for (auto const& [name, val] : h->as_object()) header[name] = val;
            }
            algorithm const alg =
                *algorithm_from_string(std::string_view{header.at("alg").as_string()});
            // The JWK of the set whose key type fits the algorithm.
            std::optional<key> k;
            for (auto const& jwk : v.at("jwks").as_array()) {
                auto candidate = key::from_jwk(jwk.as_object(), alg);
                if (candidate) k = *candidate;
            }
            ASSERT_TRUE(k.has_value());
            std::string const signing_input = protected_b64 + "." + payload;
            auto const raw_sig = base64url_decode(sig.at("signature").as_string());
            ASSERT_TRUE(raw_sig.has_value());
            EXPECT_TRUE(key_access::impl(*k).verify(signing_input, *raw_sig));
            EXPECT_FALSE(key_access::impl(*k).verify(signing_input + "x", *raw_sig));
            ++signatures;
            last_key = k;
        }
        // As a token, the JSON serialization is simply not a compact JWS.
        auto const verify =
            *verifier::create(*key_set::from_keys({*last_key}), {}, before_2011_exp);
        EXPECT_EQ(verify.verify(json::serialize(general)).error(), errc::malformed);
    }
    EXPECT_EQ(signatures, 5);  // 4.6: 1, 4.7: 1, 4.8: 3
}

TEST(jose_vectors, deterministic_signatures_are_reproduced_by_the_signer) {
    int checked = 0;
    for (auto const& value : vectors()) {
        auto const& v = value.as_object();
        auto const* deterministic = v.if_contains("signature_is_deterministic");
        if (v.at("expect").as_string() != "valid" ||
            v.at("serialization").as_string() != "compact" || deterministic == nullptr ||
            !deterministic->as_bool()) {
            continue;
        }
        SCOPED_TRACE(std::string{v.at("id").as_string()});
        key const k = key_of(v);
        auto const sig = key_access::impl(k).sign(v.at("signing_input").as_string());
        ASSERT_TRUE(sig.has_value());
        EXPECT_EQ(base64url_encode(*sig), v.at("signature_b64").as_string());
        ++checked;
    }
    EXPECT_EQ(checked, 6);  // HS256 A.1, RS256 A.2, EdDSA RFC 8037, RFC 7520 4.1, 4.4, 4.5
}

}  // namespace
}  // namespace warden::jwt
