#include <warden/auth/tokens.hpp>

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <warden/auth/errc.hpp>
#include <warden/jwt/errc.hpp>

#include <warden/core/base64url.hpp>

#include "auth/auth_fixture.hpp"

namespace warden::auth {
namespace {

using tokens_test = test::auth_fixture;

TEST_F(tokens_test, access_token_carries_the_spec_claims) {
    auto const u = add_user({"read", "write"});
    auto const issued = tokens_->issue_access(u, {"read"}, "fam").value();
    auto const claims = tokens_->verifier().verify(issued.token).value();
    EXPECT_EQ(claims.sub(), std::to_string(u.id));
    EXPECT_EQ(claims.exp(), now() + 1800);
    EXPECT_EQ(claims.iat(), now());
    EXPECT_EQ(claims.jti(), issued.jti);
    EXPECT_EQ(claims.scope(), "read");
    EXPECT_EQ(claims.get_string("sid"), "fam");
    EXPECT_EQ(claims.get_int64("ver"), 0);
    EXPECT_FALSE(claims.contains("iss"));
    EXPECT_FALSE(claims.contains("aud"));
}

TEST_F(tokens_test, jtis_are_unique) {
    auto const u = add_user();
    EXPECT_NE(tokens_->issue_access(u, {}, "f").value().jti,
              tokens_->issue_access(u, {}, "f").value().jti);
}

TEST_F(tokens_test, read_access_returns_the_claims) {
    auto const u = add_user({"a"});
    auto const issued = tokens_->issue_access(u, {"a"}, "fam").value();
    auto const c = tokens_->read_access(issued.token).value();
    EXPECT_EQ(c.user, u.id);
    EXPECT_EQ(c.jti, issued.jti);
    EXPECT_EQ(c.session_id, "fam");
    EXPECT_EQ(c.scopes, (scope_list{"a"}));
    EXPECT_EQ(c.expires_at, issued.expires_at);
}

TEST_F(tokens_test, read_access_rejects_bad_sub_sid_ver_and_scope) {
    auto key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, test::test_secret).value();
    auto const signer = jwt::signer::create(key).value();
    auto const exp = now() + 60;
    std::vector<boost::json::object> bad{
        {{"exp", exp}},
        {{"sub", "abc"}, {"exp", exp}},
        {{"sub", "0"}, {"exp", exp}},
        {{"sub", "-5"}, {"exp", exp}},
        {{"sub", "007"}, {"exp", exp}},
        {{"sub", "99999999999999999999"}, {"exp", exp}},
        {{"sub", "1"}, {"exp", exp}, {"sid", 5}},
        {{"sub", "1"}, {"exp", exp}, {"ver", "1"}},
        {{"sub", "1"}, {"exp", exp}, {"ver", -1}},
        {{"sub", "1"}, {"exp", exp}, {"scope", "bad\"scope"}},
    };
    for (auto const& claims : bad) {
        auto const token = signer.sign(claims).value();
        EXPECT_EQ(tokens_->read_access(token).error(), errc::invalid_token)
            << boost::json::serialize(claims);
    }
    // The verifier's own refusals keep their code (what refused the token), condition and all.
    EXPECT_EQ(tokens_->read_access("not a token").error(), jwt::errc::malformed);
    EXPECT_EQ(tokens_->read_access("not a token").error(), condition::invalid_token);
}

TEST_F(tokens_test, refresh_tokens_are_long_random_and_stored_by_hash) {
    auto const a = tokens_->issue_refresh().value();
    auto const b = tokens_->issue_refresh().value();
    EXPECT_NE(a.token, b.token);
    EXPECT_EQ(base64url_decode(a.token).value().size(), 32U);
    EXPECT_EQ(a.hash, token_service::refresh_token_hash(a.token));
    EXPECT_NE(a.hash, a.token);
    EXPECT_EQ(a.expires_at, now() + 14 * 24 * 3600);
}

}  // namespace
}  // namespace warden::auth
