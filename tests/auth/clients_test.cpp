// OAuth2 clients: the client id rules, registration, secret rotation, authentication, the
// client_credentials grant's token, the guard's answer to it, and introspection.
#include <warden/auth/clients.hpp>

#include <gtest/gtest.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <warden/auth/errc.hpp>
#include <warden/auth/introspection.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/digest.hpp>
#include <warden/store/errc.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

TEST(client_id, accepts_unreserved_characters_that_are_not_all_digits) {
    for (std::string_view id : {"a", "billing-service", "svc.v2", "A_b~c-9", "1a", "0x1"}) {
        EXPECT_TRUE(is_valid_client_id(id)) << id;
    }
    EXPECT_TRUE(is_valid_client_id(std::string(64, 'x')));
}

TEST(client_id, refuses_empty_long_digits_and_other_characters) {
    for (std::string_view id : {"", "1", "42", "0007", "a b", "a:b", "a/b", "a%20", "é", "a+b"}) {
        EXPECT_FALSE(is_valid_client_id(id)) << id;
    }
    EXPECT_FALSE(is_valid_client_id(std::string(65, 'x')));
    EXPECT_FALSE(is_valid_client_id(std::string_view{"a\0b", 3}));
}

class clients_test : public test::auth_fixture {
  protected:
    client_with_secret add(std::string id, scope_list scopes = {"read", "write"}) {
        return test::run(clients_.add(std::move(id), std::move(scopes))).value();
    }
    result<client> authenticate(std::string id, std::string_view secret) {
        secret_bytes presented{secret};
        return test::run(clients_.authenticate(std::move(id), std::move(presented)));
    }
    token_introspection introspect(std::string token) {
        return test::run(introspection_.introspect(std::move(token))).value();
    }
    std::string client_token(client_with_secret const& c,
                             std::optional<scope_list> scopes = std::nullopt) {
        return clients_.issue_token(c.client, scopes).value().access_token;
    }
    std::string signed_token(boost::json::object const& claims) {
        auto key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, test::test_secret).value();
        return jwt::signer::create(key).value().sign(claims).value();
    }

    client_service clients_{*db_, *tokens_};
    introspection_service introspection_{*tokens_, *guard_, clients_, *db_};
};

TEST_F(clients_test, add_makes_a_256_bit_secret_and_stores_only_its_hash) {
    auto const added = add("billing", {"write", "read", "read"});
    EXPECT_EQ(added.client.client_id, "billing");
    EXPECT_EQ(added.client.scopes, (scope_list{"read", "write"}));
    EXPECT_EQ(added.client.created_at, now());
    auto const raw = base64url_decode(added.secret.view());
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 32u);
    auto const stored = store_->find_client("billing").value();
    EXPECT_EQ(stored.secret_hash, sha256(added.secret.view()));
    EXPECT_NE(stored.secret_hash.find(added.secret.view()), 0u);
    EXPECT_NE(add("other").secret.view(), added.secret.view());
}

TEST_F(clients_test, add_refuses_bad_ids_bad_scopes_and_taken_ids) {
    EXPECT_EQ(test::run(clients_.add("12345", {})).error(), errc::invalid_client_id);
    EXPECT_EQ(test::run(clients_.add("a b", {})).error(), errc::invalid_client_id);
    EXPECT_EQ(test::run(clients_.add("ok", {"bad\"scope"})).error(), errc::invalid_scope_syntax);
    EXPECT_EQ(test::run(clients_.add("ok", {std::string(65, 's')})).error(),
              errc::invalid_scope_syntax);
    add("taken");
    EXPECT_EQ(test::run(clients_.add("taken", {})).error(), store::errc::already_exists);
    EXPECT_EQ(store_->clients().value().size(), 1u);
}

TEST_F(clients_test, authenticate_accepts_the_secret_and_nothing_else) {
    auto const added = add("billing");
    auto const ok = authenticate("billing", added.secret.view());
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->client_id, "billing");
    EXPECT_EQ(ok->scopes, (scope_list{"read", "write"}));
    std::string wrong{added.secret.view()};
    wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(authenticate("billing", wrong).error(), errc::invalid_client);
    EXPECT_EQ(authenticate("billing", "").error(), errc::invalid_client);
    EXPECT_EQ(authenticate("unknown", added.secret.view()).error(), errc::invalid_client);
    EXPECT_EQ(authenticate("", added.secret.view()).error(), errc::invalid_client);
    EXPECT_EQ(authenticate("not valid", added.secret.view()).error(), errc::invalid_client);
    EXPECT_EQ(authenticate("billing", sha256(added.secret.view())).error(), errc::invalid_client);
}

TEST_F(clients_test, rotate_secret_retires_the_old_secret_at_once) {
    auto const added = add("billing");
    clock_.advance(std::chrono::seconds{10});
    auto const rotated = test::run(clients_.rotate_secret("billing")).value();
    EXPECT_NE(rotated.secret.view(), added.secret.view());
    EXPECT_EQ(rotated.client.updated_at, now());
    EXPECT_EQ(rotated.client.scopes, added.client.scopes);
    EXPECT_EQ(authenticate("billing", added.secret.view()).error(), errc::invalid_client);
    EXPECT_TRUE(authenticate("billing", rotated.secret.view()));
    EXPECT_EQ(test::run(clients_.rotate_secret("unknown")).error(), store::errc::not_found);
}

TEST_F(clients_test, remove_ends_the_client_and_list_shows_the_rest_in_order) {
    auto const doomed = add("b-doomed");
    add("c-kept");
    add("a-kept");
    ASSERT_TRUE(test::run(clients_.remove("b-doomed")));
    EXPECT_EQ(authenticate("b-doomed", doomed.secret.view()).error(), errc::invalid_client);
    EXPECT_EQ(test::run(clients_.remove("b-doomed")).error(), store::errc::not_found);
    auto const listed = test::run(clients_.list()).value();
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[0].client_id, "a-kept");
    EXPECT_EQ(listed[1].client_id, "c-kept");
}

TEST_F(clients_test, the_grant_gives_all_scopes_or_a_subset_never_more) {
    auto const c = add("billing", {"read", "write"});
    auto const all = clients_.issue_token(c.client, std::nullopt).value();
    EXPECT_EQ(all.scope, "read write");
    EXPECT_EQ(all.expires_in, tokens_->settings().access_ttl.count());
    EXPECT_EQ(clients_.issue_token(c.client, scope_list{"read"}).value().scope, "read");
    EXPECT_EQ(clients_.issue_token(c.client, scope_list{}).value().scope, "");
    EXPECT_EQ(clients_.issue_token(c.client, scope_list{"admin"}).error(), errc::scope_not_granted);
    EXPECT_EQ(clients_.issue_token(c.client, scope_list{"read", "admin"}).error(),
              errc::scope_not_granted);
}

TEST_F(clients_test, a_client_token_names_the_client_and_no_user) {
    auto const c = add("billing");
    auto const claims = tokens_->read_access(client_token(c, scope_list{"read"})).value();
    EXPECT_EQ(claims.client_id, "billing");
    EXPECT_EQ(claims.user, 0);
    EXPECT_EQ(claims.scopes, (scope_list{"read"}));
    EXPECT_EQ(claims.issued_at, now());
    EXPECT_EQ(claims.expires_at, now() + tokens_->settings().access_ttl.count());
    EXPECT_FALSE(claims.jti.empty());
    EXPECT_TRUE(claims.session_id.empty());
}

TEST_F(clients_test, read_access_refuses_a_client_id_that_disagrees_with_sub) {
    auto const exp = now() + 60;
    std::vector<boost::json::object> bad{
        {{"sub", "billing"}, {"client_id", "other"}, {"exp", exp}},
        {{"sub", "1"}, {"client_id", "billing"}, {"exp", exp}},
        {{"client_id", "billing"}, {"exp", exp}},
        {{"sub", "billing"}, {"client_id", 5}, {"exp", exp}},
        {{"sub", ""}, {"client_id", ""}, {"exp", exp}},
    };
    for (auto const& claims : bad) {
        EXPECT_EQ(tokens_->read_access(signed_token(claims)).error(), errc::invalid_token)
            << boost::json::serialize(claims);
    }
}

TEST_F(clients_test, the_guard_refuses_a_client_token_on_user_routes_with_403) {
    auto const c = add("admin-bot", {"admin"});
    auto const token = client_token(c);
    auto const header = "Bearer " + token;
    EXPECT_EQ(test::run(guard_->authenticate(header, {})).error(), errc::insufficient_scope);
    EXPECT_EQ(test::run(guard_->authenticate(header, {"admin"})).error(),
              condition::insufficient_scope);
}

TEST_F(clients_test, introspection_of_a_live_client_token) {
    auto const c = add("billing");
    auto const token = client_token(c, scope_list{"read"});
    auto const found = introspect(token);
    EXPECT_TRUE(found.active);
    EXPECT_EQ(found.token_type, "access_token");
    EXPECT_EQ(found.client_id, "billing");
    EXPECT_EQ(found.sub, "billing");
    EXPECT_EQ(found.scope, "read");
    EXPECT_EQ(found.jti, tokens_->read_access(token).value().jti);
    EXPECT_EQ(found.issued_at, now());
    EXPECT_EQ(found.expires_at, now() + tokens_->settings().access_ttl.count());
}

TEST_F(clients_test, a_revoked_or_orphaned_client_token_is_not_live) {
    auto const c = add("billing");
    auto const revoked = client_token(c);
    auto const claims = tokens_->read_access(revoked).value();
    ASSERT_TRUE(store_->revoke_jti(claims.jti, claims.expires_at));
    EXPECT_FALSE(introspect(revoked).active);
    auto const orphan = client_token(c);
    EXPECT_TRUE(introspect(orphan).active);
    ASSERT_TRUE(test::run(clients_.remove("billing")));
    EXPECT_FALSE(introspect(orphan).active);
}

TEST_F(clients_test, introspection_of_user_tokens_follows_the_guard) {
    auto const user = add_user({"read"});
    session_service sessions{*tokens_, *db_};
    auto const pair = test::run(sessions.start(user, {"read"})).value();
    auto const access = introspect(pair.access_token);
    EXPECT_TRUE(access.active);
    EXPECT_EQ(access.token_type, "access_token");
    EXPECT_EQ(access.sub, std::to_string(user.id));
    EXPECT_EQ(access.scope, "read");
    EXPECT_TRUE(access.client_id.empty());
    EXPECT_FALSE(access.jti.empty());
    auto const refresh = introspect(pair.refresh_token);
    EXPECT_TRUE(refresh.active);
    EXPECT_EQ(refresh.token_type, "refresh_token");
    EXPECT_EQ(refresh.sub, std::to_string(user.id));
    EXPECT_EQ(refresh.scope, "read");
    EXPECT_EQ(refresh.expires_at, now() + tokens_->settings().refresh_ttl.count());
    EXPECT_TRUE(refresh.jti.empty());
    // A spent refresh token is not live; the new pair is.
    auto const next = test::run(sessions.refresh(pair.refresh_token, std::nullopt)).value();
    EXPECT_FALSE(introspect(pair.refresh_token).active);
    EXPECT_TRUE(introspect(next.refresh_token).active);
    // Deactivation: neither the access token nor the refresh tokens are live any more.
    store::user_update deactivate;
    deactivate.is_active = false;
    deactivate.bump_token_version = true;
    ASSERT_TRUE(store_->update_user(user.id, deactivate, now()));
    EXPECT_FALSE(introspect(next.access_token).active);
    EXPECT_FALSE(introspect(next.refresh_token).active);
}

TEST_F(clients_test, expired_garbage_and_empty_tokens_are_not_live) {
    auto const c = add("billing");
    auto const token = client_token(c);
    clock_.advance(tokens_->settings().access_ttl + std::chrono::minutes{5});
    EXPECT_FALSE(introspect(token).active);
    for (std::string const& garbage :
         std::vector<std::string>{"", "garbage", "a.b.c", std::string(43, 'A'), token + "x"}) {
        auto const found = introspect(garbage);
        EXPECT_FALSE(found.active) << garbage;
        EXPECT_TRUE(found.token_type.empty());
        EXPECT_TRUE(found.sub.empty());
    }
}

}  // namespace
}  // namespace warden::auth
