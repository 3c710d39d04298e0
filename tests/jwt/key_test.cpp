// Keys: secrets, PEM, JWK, generation, export; each bound to one algorithm.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <warden/core/base64url.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/key.hpp>

#include "jwt/key_impl.hpp"
#include "jwt/pem_fixtures.hpp"
#include "support/test_data.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

constexpr algorithm all_algorithms[] = {
    algorithm::hs256, algorithm::hs384, algorithm::hs512, algorithm::rs256, algorithm::rs384,
    algorithm::rs512, algorithm::ps256, algorithm::ps384, algorithm::ps512, algorithm::es256,
    algorithm::es384, algorithm::es512, algorithm::eddsa};

bool round_trips(key const& signing, key const& verifying) {
    auto const sig = key_access::impl(signing).sign("message");
    return sig && key_access::impl(verifying).verify("message", *sig) &&
           !key_access::impl(verifying).verify("messagf", *sig);
}

json::object wycheproof_jwk_group(std::string_view comment) {
    auto const data =
        warden::test::read_json(warden::test::data_path("jose/wycheproof/json_web_key_test.json"));
    for (auto const& g : data.at("testGroups").as_array()) {
        if (g.at("comment").as_string() == comment) {
            return g.at("private").at("keys").as_array().front().as_object();
        }
    }
    throw std::runtime_error("no such group");
}

// RFC 7638 §3.1: the example RSA key and its thumbprint.
constexpr std::string_view rfc7638_jwk =
    R"({"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"})";

TEST(key_from_secret, refuses_a_secret_shorter_than_the_hash) {
    EXPECT_EQ(key::from_secret(algorithm::hs256, secret_bytes{std::string(31, 'k')}).error(),
              errc::weak_key);
    EXPECT_EQ(key::from_secret(algorithm::hs384, secret_bytes{std::string(47, 'k')}).error(),
              errc::weak_key);
    EXPECT_EQ(key::from_secret(algorithm::hs512, secret_bytes{std::string(63, 'k')}).error(),
              errc::weak_key);
    EXPECT_EQ(key::from_secret(algorithm::hs256, secret_bytes{}).error(), errc::weak_key);
    EXPECT_EQ(key::from_secret(algorithm::hs256, secret_bytes{std::string(31, 'k')}).error(),
              condition::invalid_configuration);
}

TEST(key_from_secret, accepts_a_secret_as_long_as_the_hash) {
    for (auto [alg, size] : {std::pair{algorithm::hs256, 32}, std::pair{algorithm::hs384, 48},
                             std::pair{algorithm::hs512, 64}}) {
        auto const k =
            key::from_secret(alg, secret_bytes{std::string(static_cast<std::size_t>(size), 'k')});
        ASSERT_TRUE(k.has_value());
        EXPECT_EQ(k->alg(), alg);
        EXPECT_TRUE(k->is_symmetric());
        EXPECT_TRUE(k->can_sign());
        EXPECT_TRUE(round_trips(*k, *k));
    }
}

TEST(key_from_secret, refuses_an_asymmetric_algorithm) {
    EXPECT_EQ(key::from_secret(algorithm::rs256, secret_bytes{std::string(64, 'k')}).error(),
              errc::key_alg_mismatch);
    EXPECT_EQ(key::from_secret(algorithm::eddsa, secret_bytes{std::string(64, 'k')}).error(),
              errc::key_alg_mismatch);
}

TEST(key_from_utf8_secret, uses_the_utf8_bytes_and_refuses_invalid_utf8) {
    auto const text =
        key::from_utf8_secret(algorithm::hs256, "p\xc3\xa4ssw\xc3\xb6rd-that-is-long-enough-32b");
    auto const bytes = key::from_secret(
        algorithm::hs256,
        secret_bytes{std::string_view{"p\xc3\xa4ssw\xc3\xb6rd-that-is-long-enough-32b"}});
    ASSERT_TRUE(text.has_value());
    ASSERT_TRUE(bytes.has_value());
    EXPECT_TRUE(round_trips(*text, *bytes));
    EXPECT_EQ(
        key::from_utf8_secret(algorithm::hs256, "\xff\xfe-not-utf8-but-long-enough-bytes").error(),
        errc::invalid_key);
    EXPECT_EQ(key::from_utf8_secret(algorithm::hs256, "short").error(), errc::weak_key);
}

TEST(key_generate, makes_a_working_key_for_every_algorithm) {
    for (auto const alg : all_algorithms) {
        SCOPED_TRACE(std::string{to_string(alg)});
        auto const k = key::generate(alg, {.kid = "g"});
        ASSERT_TRUE(k.has_value()) << k.error().message();
        EXPECT_EQ(k->alg(), alg);
        EXPECT_EQ(k->kid(), "g");
        EXPECT_TRUE(k->can_sign());
        if (is_symmetric(alg)) {
            EXPECT_TRUE(round_trips(*k, *k));
        } else {
            auto const pub = k->public_key();
            ASSERT_TRUE(pub.has_value());
            EXPECT_FALSE(pub->can_sign());
            EXPECT_TRUE(round_trips(*k, *pub));
        }
    }
}

TEST(key_generate, refuses_rsa_keys_below_2048_bits) {
    EXPECT_EQ(key::generate(algorithm::rs256, {}, 1024).error(), errc::weak_key);
    EXPECT_EQ(key::generate(algorithm::ps256, {}, 2047).error(), errc::weak_key);
    EXPECT_EQ(key::generate(algorithm::rs256, {}, 20000).error(), errc::invalid_options);
}

TEST(key_from_pem, loads_private_and_public_keys_of_each_type) {
    for (auto const alg : {algorithm::rs256, algorithm::ps512, algorithm::es256, algorithm::es384,
                           algorithm::es512, algorithm::eddsa}) {
        SCOPED_TRACE(std::string{to_string(alg)});
        auto const original = *key::generate(alg);
        auto const private_pem = original.private_pem();
        ASSERT_TRUE(private_pem.has_value());
        EXPECT_NE(private_pem->view().find("-----BEGIN PRIVATE KEY-----"), std::string_view::npos);
        auto const reloaded = key::from_pem(alg, private_pem->view(), {.kid = "r"});
        ASSERT_TRUE(reloaded.has_value()) << reloaded.error().message();
        EXPECT_TRUE(reloaded->can_sign());
        EXPECT_EQ(reloaded->kid(), "r");
        auto const public_pem = original.public_pem();
        ASSERT_TRUE(public_pem.has_value());
        EXPECT_NE(public_pem->find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
        auto const pub = key::from_pem(alg, *public_pem);
        ASSERT_TRUE(pub.has_value());
        EXPECT_FALSE(pub->can_sign());
        EXPECT_TRUE(round_trips(*reloaded, *pub));
        EXPECT_TRUE(round_trips(original, *pub));
    }
}

TEST(key_from_pem, loads_pkcs1_rsa_keys) {
    auto const priv = key::from_pem(algorithm::rs256, test::pem::rsa2048_pkcs1_private);
    auto const pub = key::from_pem(algorithm::rs256, test::pem::rsa2048_pkcs1_public);
    ASSERT_TRUE(priv.has_value()) << priv.error().message();
    ASSERT_TRUE(pub.has_value()) << pub.error().message();
    EXPECT_TRUE(round_trips(*priv, *pub));
}

TEST(key_from_pem, refuses_encrypted_garbage_and_empty_input) {
    EXPECT_EQ(key::from_pem(algorithm::es256, test::pem::encrypted_ec_private).error(),
              errc::invalid_key);
    EXPECT_EQ(key::from_pem(algorithm::es256, "").error(), errc::invalid_key);
    EXPECT_EQ(key::from_pem(algorithm::es256,
                            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                  .error(),
              errc::invalid_key);
    EXPECT_EQ(key::from_pem(algorithm::es256, "not a pem at all").error(), errc::invalid_key);
}

TEST(key_from_pem, refuses_a_key_of_another_type_or_curve) {
    auto const ec = *key::generate(algorithm::es256);
    auto const ec_pem = *ec.public_pem();
    EXPECT_EQ(key::from_pem(algorithm::rs256, ec_pem).error(), errc::key_alg_mismatch);
    EXPECT_EQ(key::from_pem(algorithm::es384, ec_pem).error(), errc::key_alg_mismatch);
    EXPECT_EQ(key::from_pem(algorithm::eddsa, ec_pem).error(), errc::key_alg_mismatch);
    auto const rsa_pem = *key::generate(algorithm::rs256)->public_pem();
    EXPECT_EQ(key::from_pem(algorithm::es256, rsa_pem).error(), errc::key_alg_mismatch);
    // A PEM is never an HMAC secret (the RS256 -> HS256 confusion).
    EXPECT_EQ(key::from_pem(algorithm::hs256, rsa_pem).error(), errc::key_alg_mismatch);
}

TEST(key_from_pem, refuses_weak_and_unsupported_keys) {
    EXPECT_EQ(key::from_pem(algorithm::rs256, test::pem::rsa1024_public).error(), errc::weak_key);
    EXPECT_EQ(key::from_pem(algorithm::eddsa, test::pem::x25519_public).error(),
              errc::unsupported_key);
    EXPECT_EQ(key::from_pem(algorithm::es256, test::pem::secp256k1_public).error(),
              errc::unsupported_key);
}

json::object without(json::object o, std::string_view member) {
    o.erase(member);
    return o;
}

json::object with(json::object o, std::string_view member, json::value v) {
    o[member] = std::move(v);
    return o;
}

TEST(key_from_jwk, takes_the_algorithm_from_the_jwk_the_caller_or_the_curve) {
    auto const with_alg = key::from_jwk(rfc7638_jwk);
    ASSERT_TRUE(with_alg.has_value()) << with_alg.error().message();
    EXPECT_EQ(with_alg->alg(), algorithm::rs256);
    EXPECT_EQ(with_alg->kid(), "2011-04-29");
    EXPECT_FALSE(with_alg->can_sign());
    auto const bare = without(json::parse(rfc7638_jwk).as_object(), "alg");
    EXPECT_EQ(key::from_jwk(bare).error(), errc::missing_algorithm);  // RS* or PS*? ambiguous
    EXPECT_EQ(key::from_jwk(bare, algorithm::ps256)->alg(), algorithm::ps256);
    EXPECT_EQ(key::from_jwk(json::parse(rfc7638_jwk).as_object(), algorithm::ps256).error(),
              errc::key_alg_mismatch);
    for (auto const alg :
         {algorithm::es256, algorithm::es384, algorithm::es512, algorithm::eddsa}) {
        auto const jwk = without(*key::generate(alg)->public_jwk(), "alg");
        auto const k = key::from_jwk(jwk);
        ASSERT_TRUE(k.has_value()) << to_string(alg);
        EXPECT_EQ(k->alg(), alg);
    }
}

TEST(key_from_jwk, refuses_missing_unknown_or_mistyped_members) {
    auto const good = json::parse(rfc7638_jwk).as_object();
    EXPECT_EQ(key::from_jwk(without(good, "kty")).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(good, "kty", "DSA")).error(), errc::unsupported_key);
    EXPECT_EQ(key::from_jwk(with(good, "kty", 1)).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(without(good, "n")).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(good, "e", "AQAB=")).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(good, "n", 12)).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(good, "kid", 7)).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(good, "alg", "none")).error(), errc::unsupported_key);
    EXPECT_EQ(key::from_jwk(with(good, "alg", "RSA1_5")).error(), errc::unsupported_key);
    EXPECT_EQ(key::from_jwk(with(good, "alg", "ES256")).error(), errc::key_alg_mismatch);
    EXPECT_EQ(key::from_jwk(with(good, "oth", json::array{})).error(), errc::unsupported_key);
    EXPECT_EQ(key::from_jwk(std::string_view{R"({"kty":"RSA","kty":"EC"})"}).error(),
              errc::bad_json);
    EXPECT_EQ(key::from_jwk(std::string_view{"[]"}).error(), errc::invalid_key);
}

TEST(key_from_jwk, honours_use_and_key_ops) {
    auto const good = json::parse(rfc7638_jwk).as_object();
    EXPECT_TRUE(key::from_jwk(with(good, "use", "sig")).has_value());
    EXPECT_EQ(key::from_jwk(with(good, "use", "enc")).error(), errc::key_use_mismatch);
    EXPECT_EQ(key::from_jwk(with(good, "key_ops", json::array{"encrypt"})).error(),
              errc::key_use_mismatch);
    EXPECT_EQ(key::from_jwk(with(good, "key_ops", json::array{})).error(), errc::key_use_mismatch);
    EXPECT_EQ(key::from_jwk(with(good, "key_ops", json::array{"verify", "verify"})).error(),
              errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(good, "key_ops", "verify")).error(), errc::invalid_key);
    // A public key allowed only to "sign" can do nothing at all.
    EXPECT_EQ(key::from_jwk(with(good, "key_ops", json::array{"sign"})).error(),
              errc::key_use_mismatch);
    auto const verify_only = key::from_jwk(with(good, "key_ops", json::array{"verify"}));
    ASSERT_TRUE(verify_only.has_value());
    EXPECT_TRUE(verify_only->can_verify());
}

// The private JWK of an EC key: its public JWK plus d (from a known RFC 7515 A.3 vector).
json::object rfc7515_a3_private_jwk() {
    auto const data = warden::test::read_json(warden::test::data_path("jose/jose_vectors.json"));
    for (auto const& v : data.at("vectors").as_array()) {
        if (v.at("id").as_string() == "rfc7515-A.3") return v.at("jwk").as_object();
    }
    throw std::runtime_error("no A.3");
}

TEST(key_from_jwk, a_private_key_limited_to_verify_cannot_sign) {
    auto const jwk = rfc7515_a3_private_jwk();
    auto const full = key::from_jwk(jwk, algorithm::es256);
    ASSERT_TRUE(full.has_value());
    EXPECT_TRUE(full->can_sign());
    auto const limited =
        key::from_jwk(with(jwk, "key_ops", json::array{"verify"}), algorithm::es256);
    ASSERT_TRUE(limited.has_value());
    EXPECT_FALSE(limited->can_sign());
    EXPECT_TRUE(limited->can_verify());
}

TEST(key_from_jwk, refuses_ec_keys_off_the_curve_or_of_the_wrong_size) {
    auto const jwk = *key::generate(algorithm::es256)->public_jwk();
    std::string y = *base64url_decode(jwk.at("y").as_string());
    y.back() = static_cast<char>(y.back() ^ 1);
    EXPECT_EQ(key::from_jwk(with(jwk, "y", json::string{base64url_encode(y)})).error(),
              errc::invalid_key);
    std::string const x = *base64url_decode(jwk.at("x").as_string());
    EXPECT_EQ(key::from_jwk(with(jwk, "x", json::string{base64url_encode(x.substr(1))})).error(),
              errc::invalid_key);
    EXPECT_EQ(
        key::from_jwk(with(jwk, "x", json::string{base64url_encode(std::string(1, '\0') + x)}))
            .error(),
        errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(jwk, "crv", "P-384")).error(), errc::key_alg_mismatch);
    EXPECT_EQ(key::from_jwk(without(with(jwk, "crv", "P-384"), "alg")).error(), errc::invalid_key);
    EXPECT_EQ(key::from_jwk(without(with(jwk, "crv", "secp256k1"), "alg")).error(),
              errc::unsupported_key);
    EXPECT_EQ(key::from_jwk(without(jwk, "y")).error(), errc::invalid_key);
}

TEST(key_from_jwk, refuses_private_halves_that_do_not_match) {
    // An EC JWK whose d belongs to another key.
    auto const ec = rfc7515_a3_private_jwk();
    std::string d = *base64url_decode(ec.at("d").as_string());
    d[3] = static_cast<char>(d[3] ^ 1);
    EXPECT_EQ(
        key::from_jwk(with(ec, "d", json::string{base64url_encode(d)}), algorithm::es256).error(),
        errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(ec, "d", "AAAA"), algorithm::es256).error(), errc::invalid_key);
    // An Ed25519 JWK whose d is another key's.
    auto const jwk = *key::generate(algorithm::eddsa)->public_jwk();
    std::string const other_d(32, '\x07');
    EXPECT_EQ(key::from_jwk(with(jwk, "d", json::string{base64url_encode(other_d)})).error(),
              errc::invalid_key);
    EXPECT_EQ(key::from_jwk(with(jwk, "crv", "X25519")).error(), errc::unsupported_key);
    EXPECT_EQ(key::from_jwk(with(jwk, "x", "AAAA")).error(), errc::invalid_key);
}

TEST(key_from_jwk, refuses_weak_rsa_keys) {
    // Wycheproof JWK groups: public exponent 1, and a ROCA-vulnerable modulus (CVE-2017-15361).
    EXPECT_EQ(key::from_jwk(wycheproof_jwk_group("exponentOne")).error(), errc::weak_key);
    EXPECT_EQ(key::from_jwk(wycheproof_jwk_group("jws_rsa_roca_key")).error(), errc::weak_key);
    EXPECT_EQ(key::from_jwk(wycheproof_jwk_group("keysize_too_small")).error(), errc::weak_key);
    auto const good = json::parse(rfc7638_jwk).as_object();
    EXPECT_EQ(key::from_jwk(with(good, "e", "Ag")).error(), errc::weak_key);  // e = 2, even
}

TEST(key_from_jwk, refuses_partial_rsa_private_keys) {
    auto const data = warden::test::read_json(warden::test::data_path("jose/jose_vectors.json"));
    json::object rsa;
    for (auto const& v : data.at("vectors").as_array()) {
        if (v.at("id").as_string() == "rfc7515-A.2") rsa = v.at("jwk").as_object();
    }
    ASSERT_TRUE(key::from_jwk(rsa, algorithm::rs256).has_value());
    EXPECT_TRUE(key::from_jwk(rsa, algorithm::rs256)->can_sign());
    EXPECT_EQ(key::from_jwk(without(rsa, "qi"), algorithm::rs256).error(), errc::invalid_key);
    // n, e, d alone are a complete private key.
    auto const minimal =
        without(without(without(without(without(rsa, "p"), "q"), "dp"), "dq"), "qi");
    auto const k = key::from_jwk(minimal, algorithm::rs256);
    ASSERT_TRUE(k.has_value()) << k.error().message();
    EXPECT_TRUE(k->can_sign());
    // A d that is not the private exponent of n, e.
    auto broken = minimal;
    std::string d = *base64url_decode(broken.at("d").as_string());
    d[5] = static_cast<char>(d[5] ^ 0x40);
    broken["d"] = base64url_encode(d);
    EXPECT_EQ(key::from_jwk(broken, algorithm::rs256).error(), errc::invalid_key);
}

TEST(key_from_jwk, refuses_short_and_empty_hmac_secrets) {
    EXPECT_EQ(key::from_jwk(std::string_view{R"({"kty":"oct","alg":"HS256","k":""})"}).error(),
              errc::weak_key);
    EXPECT_EQ(
        key::from_jwk(
            std::string_view{
                R"({"kty":"oct","alg":"HS256","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg"})"})
            .error(),
        errc::weak_key);
    EXPECT_EQ(key::from_jwk(std::string_view{R"({"kty":"oct","alg":"HS256"})"}).error(),
              errc::invalid_key);
    EXPECT_EQ(
        key::from_jwk(
            std::string_view{R"({"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"})"})
            .error(),
        errc::missing_algorithm);
    EXPECT_EQ(
        key::from_jwk(
            std::string_view{
                R"({"kty":"oct","alg":"A256GCM","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"})"})
            .error(),
        errc::unsupported_key);
    auto const k = key::from_jwk(std::string_view{
        R"({"kty":"oct","alg":"HS256","kid":"h","k":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"})"});
    ASSERT_TRUE(k.has_value());
    EXPECT_EQ(k->kid(), "h");
    EXPECT_TRUE(k->is_symmetric());
}

TEST(key_export, gives_the_public_jwk_of_asymmetric_keys_only) {
    for (auto const alg : all_algorithms) {
        SCOPED_TRACE(std::string{to_string(alg)});
        auto const k = *key::generate(alg, {.kid = "e1"});
        auto const jwk = k.public_jwk();
        if (is_symmetric(alg)) {
            EXPECT_EQ(jwk.error(), errc::not_exportable);
            EXPECT_EQ(k.public_pem().error(), errc::not_exportable);
            EXPECT_EQ(k.private_pem().error(), errc::not_exportable);
            EXPECT_EQ(k.thumbprint().error(), errc::not_exportable);
            EXPECT_EQ(k.public_key().error(), errc::not_exportable);
            continue;
        }
        ASSERT_TRUE(jwk.has_value());
        EXPECT_EQ(jwk->at("alg").as_string(), to_string(alg));
        EXPECT_EQ(jwk->at("use").as_string(), "sig");
        EXPECT_EQ(jwk->at("kid").as_string(), "e1");
        for (char const* secret : {"d", "p", "q", "dp", "dq", "qi", "k"})
            EXPECT_FALSE(jwk->contains(secret));
        auto const back = key::from_jwk(*jwk);
        ASSERT_TRUE(back.has_value()) << back.error().message();
        EXPECT_TRUE(round_trips(k, *back));
        EXPECT_EQ(back->thumbprint(), k.thumbprint());
    }
}

TEST(key_export, computes_the_rfc_7638_thumbprint) {
    EXPECT_EQ(key::from_jwk(rfc7638_jwk)->thumbprint(),
              "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(key_export, refuses_private_pem_of_a_public_key) {
    auto const pub = *key::generate(algorithm::es256)->public_key();
    EXPECT_EQ(pub.private_pem().error(), errc::missing_private_key);
    EXPECT_TRUE(pub.public_pem().has_value());
}

TEST(key_algorithm, names_round_trip_and_none_is_unknown) {
    for (auto const alg : all_algorithms) EXPECT_EQ(algorithm_from_string(to_string(alg)), alg);
    for (char const* unknown : {"none", "None", "hs256", "ES256K", "RS1", "", "EdDSA "}) {
        EXPECT_FALSE(algorithm_from_string(unknown).has_value()) << unknown;
    }
    EXPECT_EQ(key_type_of(algorithm::ps384), key_type::rsa);
    EXPECT_EQ(key_type_of(algorithm::eddsa), key_type::okp);
    EXPECT_EQ(hash_size(algorithm::es512), 64U);
}

}  // namespace
}  // namespace warden::jwt
