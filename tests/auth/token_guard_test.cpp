// token_guard: a resource server's guard over a remote JWK Set (fake fetch, manual clock).
#include <warden/auth/token_guard.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <boost/json/serialize.hpp>

#include <warden/auth/errc.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/random.hpp>
#include <warden/jwt.hpp>

#include "auth/jwks_fakes.hpp"
#include "jwt/token_helpers.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

using namespace std::chrono_literals;
using test::signed_token;

constexpr char const* jwks_uri = "https://auth.example.com/.well-known/jwks.json";

class token_guard_test : public ::testing::Test {
  protected:
    token_guard_test() : a_(test::es256_key("key-a")), b_(test::es256_key("key-b")) {
        server_.set_keys({a_}, 300s);
    }

    result<token_principal> check(std::string header, scope_list required = {}) {
        return test::run(guard_.authenticate(std::move(header), required));
    }
    static std::string bearer(std::string const& token) {
        std::string header{"Bearer "};
        header += token;
        return header;
    }
    std::string token_a(boost::json::object claims = {}) {
        return signed_token(a_, clock_, std::move(claims));
    }

    manual_clock clock_{time_point{std::chrono::seconds{test::now_s}}};
    test::fake_jwks server_;
    jwt::key a_;
    jwt::key b_;
    remote_key_set keys_{jwks_uri, server_.fetcher(), clock_,
                         remote_key_set_options{.min_refetch_interval = 30s}};
    token_guard guard_{keys_};
};

TEST_F(token_guard_test, accepts_a_valid_token_and_reads_its_principal) {
    auto const p = check(bearer(token_a({{"sub", "7"},
                                         {"scope", "items:write items:read"},
                                         {"jti", "abc"},
                                         {"client_id", "reports"}})),
                         {"items:read"});
    ASSERT_TRUE(p.has_value()) << p.error().message();
    EXPECT_EQ(p->subject, "7");
    EXPECT_EQ(p->scopes, (scope_list{"items:read", "items:write"}));
    EXPECT_EQ(p->jti, "abc");
    EXPECT_EQ(p->client_id, "reports");
    EXPECT_EQ(p->expires_at, test::now_s + 600);
}

TEST_F(token_guard_test, no_bearer_header_is_not_authenticated) {
    for (char const* header : {"", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"}) {
        auto const p = check(header);
        ASSERT_FALSE(p.has_value()) << header;
        EXPECT_EQ(p.error(), errc::missing_credentials);
        EXPECT_EQ(p.error(), condition::unauthenticated);
    }
    EXPECT_EQ(server_.calls(), 0U);  // nothing fetched for a request without a token
}

TEST_F(token_guard_test, bad_tokens_are_invalid_token) {
    auto const good = token_a();
    auto tampered = good;
    auto const dot = tampered.find('.');
    tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
    auto const other_key = signed_token(test::es256_key("key-a"), clock_);  // a forged "key-a"
    auto const expired = token_a({{"exp", test::now_s - 3600}});
    for (auto const& token :
         {std::string{"garbage"}, tampered, other_key, expired, good.substr(0, good.size() - 4)}) {
        auto const p = check(bearer(token));
        ASSERT_FALSE(p.has_value()) << token;
        EXPECT_EQ(p.error(), condition::invalid_token) << p.error().message();
    }
}

TEST_F(token_guard_test, a_token_without_sub_or_with_unreadable_claims_is_invalid) {
    jwt::signer const signer = jwt::signer::create(a_).value();
    auto const no_sub = signer.sign({{"exp", test::now_s + 600}}).value();
    EXPECT_EQ(check(bearer(no_sub)).error(), condition::invalid_token);
    EXPECT_EQ(check(bearer(token_a({{"client_id", 5}}))).error(), errc::invalid_token);
    EXPECT_EQ(check(bearer(token_a({{"scope", "bad\"scope"}}))).error(), errc::invalid_token);
    auto const no_exp = signer.sign({{"sub", "7"}}).value();
    EXPECT_EQ(check(bearer(no_exp)).error(), jwt::errc::missing_claim);
}

TEST_F(token_guard_test, a_missing_scope_is_insufficient_scope) {
    auto const token = token_a({{"scope", "items:write"}});
    auto const p = check(bearer(token), {"items:read"});
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error(), errc::insufficient_scope);
    EXPECT_EQ(p.error(), condition::insufficient_scope);
    EXPECT_FALSE(check(bearer(token_a()), {"items:read"}).has_value());
    auto const requirement = guard_.require({"items:write", "items:read", "items:read"});
    EXPECT_EQ(requirement.required_scope(), "items:read items:write");
    auto const both = test::run(requirement.authenticate(
        bearer(token_a({{"sub", "9"}, {"scope", "items:read items:write"}}))));
    ASSERT_TRUE(both.has_value());
    EXPECT_EQ(requirement.log_identity(*both), "9");
}

TEST_F(token_guard_test, checks_issuer_and_audience_when_configured) {
    remote_key_set_options options;
    options.verifier.issuer = "https://auth.example.com";
    options.verifier.audiences = {"items-api"};
    remote_key_set keys{jwks_uri, server_.fetcher(), clock_, options};
    token_guard const guard{keys};
    auto const run = [&](boost::json::object claims) {
        return test::run(guard.authenticate(bearer(token_a(std::move(claims))), {}));
    };
    EXPECT_TRUE(run({{"iss", "https://auth.example.com"}, {"aud", "items-api"}}).has_value());
    EXPECT_EQ(run({{"iss", "https://evil.example.com"}, {"aud", "items-api"}}).error(),
              jwt::errc::wrong_issuer);
    EXPECT_EQ(run({{"iss", "https://auth.example.com"}, {"aud", "billing"}}).error(),
              jwt::errc::wrong_audience);
    EXPECT_EQ(run({{"iss", "https://auth.example.com"}}).error(), condition::invalid_token);
}

TEST_F(token_guard_test, no_key_set_yet_is_unavailable) {
    server_.fail_with(make_error_code(boost::system::errc::connection_refused));
    auto const p = check(bearer(token_a()));
    ASSERT_FALSE(p.has_value());
    EXPECT_EQ(p.error(), jwks_errc::key_set_unavailable);
    EXPECT_EQ(p.error(), condition::unavailable);
    EXPECT_EQ(keys_.last_error(), boost::system::errc::connection_refused);
}

TEST_F(token_guard_test, a_token_of_a_rotated_in_key_is_accepted_after_one_fetch) {
    ASSERT_TRUE(check(bearer(token_a())).has_value());
    EXPECT_EQ(server_.calls(), 1U);
    clock_.advance(30s);
    server_.set_keys({a_, b_}, 300s);
    auto const p = check(bearer(signed_token(b_, clock_)));
    ASSERT_TRUE(p.has_value()) << p.error().message();
    EXPECT_EQ(server_.calls(), 2U);
    EXPECT_TRUE(check(bearer(token_a())).has_value());
    EXPECT_EQ(server_.calls(), 2U);
}

TEST_F(token_guard_test, a_flood_of_unknown_kids_costs_one_fetch_per_interval) {
    ASSERT_TRUE(check(bearer(token_a())).has_value());
    clock_.advance(30s);
    auto const flood = [&] {
        for (int i = 0; i < 200; ++i) {
            auto const kid = base64url_encode(random_bytes(12).value());
            auto const forged = signed_token(test::es256_key(kid), clock_);
            auto const p = check(bearer(forged));
            ASSERT_FALSE(p.has_value());
            EXPECT_EQ(p.error(), jwt::errc::key_not_found);
            clock_.advance(10ms);
        }
    };
    flood();
    EXPECT_EQ(server_.calls(), 2U);
    clock_.advance(30s);
    flood();
    EXPECT_EQ(server_.calls(), 3U);
    // Real tokens were served throughout.
    EXPECT_TRUE(check(bearer(token_a())).has_value());
}

TEST_F(token_guard_test, never_follows_jku_x5u_jwk_or_x5c_headers) {
    auto const attacker = test::es256_key("attacker");
    auto const attacker_jwk = boost::json::serialize(attacker.public_jwk().value());
    std::string payload = R"({"sub":"1","scope":"items:read","exp":)";
    payload += std::to_string(test::now_s + 600);
    payload += '}';
    auto const header = [&](std::string_view kid) {
        std::string h = R"({"alg":"ES256","kid":")";
        h += kid;
        h +=
            R"(","jku":"https://attacker.example/jwks.json","x5u":"https://attacker.example/c.pem",)";
        h += R"("x5c":["MIIB"],"jwk":)";
        h += attacker_jwk;
        h += "}";
        return h;
    };
    // Signed by the attacker's key that the token itself carries or points at: refused, and only
    // the configured jwks_uri is ever fetched.
    for (std::string_view kid : {"attacker", "key-a"}) {
        auto const forged = jwt::test::make_token(attacker, header(kid), payload);
        auto const p = check(bearer(forged), {"items:read"});
        ASSERT_FALSE(p.has_value()) << kid;
        EXPECT_EQ(p.error(), condition::invalid_token);
    }
    // The same headers on a token really signed by key-a: they change nothing.
    auto const genuine = jwt::test::make_token(a_, header("key-a"), payload);
    EXPECT_TRUE(check(bearer(genuine), {"items:read"}).has_value());
    clock_.advance(60s);
    (void)check(bearer(jwt::test::make_token(attacker, header("attacker"), payload)));
    for (auto const& url : server_.urls()) EXPECT_EQ(url, jwks_uri);
    EXPECT_EQ(server_.calls(), 2U);
}

}  // namespace
}  // namespace warden::auth
