#include <warden/auth/guard.hpp>

#include <chrono>
#include <future>
#include <optional>
#include <utility>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <warden/auth/errc.hpp>
#include <warden/jwt/errc.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

class guard_test : public test::auth_fixture {
  protected:
    result<principal> check(std::string const& header, scope_list required = {}) {
        return test::run(guard_->authenticate(header, required));
    }
};

TEST(bearer_token, takes_the_token_of_a_bearer_header) {
    EXPECT_EQ(bearer_token("Bearer abc.def.ghi"), "abc.def.ghi");
    EXPECT_EQ(bearer_token("bearer abc"), "abc");
    EXPECT_EQ(bearer_token("BEARER  abc "), "abc");
}

TEST(bearer_token, is_empty_for_other_schemes_and_empty_tokens) {
    EXPECT_EQ(bearer_token(""), "");
    EXPECT_EQ(bearer_token("Bearer"), "");
    EXPECT_EQ(bearer_token("Bearer "), "");
    EXPECT_EQ(bearer_token("Bearer    "), "");
    EXPECT_EQ(bearer_token("Basic dXNlcjpwYXNz"), "");
    EXPECT_EQ(bearer_token("Bearerabc"), "");
    EXPECT_EQ(bearer_token("Token abc"), "");
}

TEST_F(guard_test, reads_on_the_lookup_pool_even_when_the_main_pool_is_stuck) {
    // The main pool's only thread is held (as by a write waiting for its disk sync): the guard's
    // read must not queue behind it.
    work_pool writes{{.threads = 1, .queue_limit = 4}};
    work_pool lookups{{.threads = 1, .queue_limit = 4}};
    database db{store_->backends(store_), writes, lookups};
    store_subjects subjects{db};
    guard separate{*tokens_, subjects};
    std::promise<void> release;
    bool released = false;
    auto release_once = [&] {
        if (!std::exchange(released, true)) release.set_value();
    };
    std::shared_future<void> held = release.get_future().share();
    boost::asio::io_context io;
    boost::asio::co_spawn(io, writes.run([held]() -> result<void> {
        held.wait();
        return {};
    }),
                          boost::asio::detached);
    auto const u = add_user();
    // Both outlive the coroutine, which runs in io.run() below.
    std::string const header = "Bearer " + access_for(u);
    scope_list const none;
    std::optional<result<principal>> outcome;
    // Had the read queued behind the held thread, this deadline frees it and the test fails.
    boost::asio::steady_timer deadline{io, std::chrono::seconds{5}};
    deadline.async_wait([&](boost::system::error_code ec) {
        if (!ec) release_once();
    });
    boost::asio::co_spawn(io, separate.authenticate(header, none),
                          [&](std::exception_ptr, result<principal> r) {
                              if (!released) outcome = std::move(r);
                              deadline.cancel();
                              release_once();
                          });
    io.run();
    ASSERT_TRUE(outcome.has_value());
    EXPECT_TRUE(outcome->has_value()) << outcome->error().message();
}

TEST_F(guard_test, accepts_a_valid_token_and_returns_the_current_row) {
    auto const u = add_user({"read"});
    auto const p = check("Bearer " + access_for(u, {"read"}));
    ASSERT_TRUE(p.has_value()) << p.error().message();
    EXPECT_EQ(p->user->id, u.id);
    EXPECT_EQ(p->scopes, (scope_list{"read"}));
    EXPECT_EQ(p->token.session_id, "family-1");
    EXPECT_FALSE(p->token.jti.empty());
}

TEST_F(guard_test, missing_or_foreign_header_is_missing_credentials) {
    EXPECT_EQ(check("").error(), errc::missing_credentials);
    EXPECT_EQ(check("Basic abc").error(), errc::missing_credentials);
    EXPECT_EQ(check("").error(), condition::unauthenticated);
}

TEST_F(guard_test, garbage_is_invalid_token) {
    for (std::string bad : {"Bearer x", "Bearer a.b.c", "Bearer e30.e30.e30"}) {
        EXPECT_EQ(check(bad).error(), condition::invalid_token) << bad;
    }
    EXPECT_EQ(events_.tokens_rejected(token_rejection::malformed), 3U);
}

TEST_F(guard_test, expired_token_is_invalid_after_the_leeway) {
    auto const u = add_user();
    auto const token = access_for(u);
    clock_.advance(std::chrono::minutes{30} + std::chrono::seconds{29});
    EXPECT_TRUE(check("Bearer " + token).has_value());
    clock_.advance(std::chrono::seconds{2});
    EXPECT_EQ(check("Bearer " + token).error(), condition::invalid_token);
    EXPECT_EQ(check("Bearer " + token).error(), jwt::errc::expired);
    EXPECT_EQ(events_.tokens_rejected(token_rejection::expired), 2U);
}

TEST_F(guard_test, revoked_jti_is_refused) {
    auto const u = add_user();
    auto const issued = tokens_->issue_access(u, {}, "f").value();
    ASSERT_TRUE(store_->revoke_jti(issued.jti, issued.expires_at));
    EXPECT_EQ(check("Bearer " + issued.token).error(), errc::token_revoked);
    EXPECT_EQ(check("Bearer " + issued.token).error(), condition::invalid_token);
}

TEST_F(guard_test, deleted_user_is_gone) {
    auto const u = add_user();
    auto const token = access_for(u);
    ASSERT_TRUE(store_->delete_user(u.id));
    EXPECT_EQ(check("Bearer " + token).error(), errc::user_gone);
}

TEST_F(guard_test, token_older_than_the_user_version_is_outdated) {
    auto const u = add_user();
    auto const token = access_for(u);
    store::user_update bump;
    bump.bump_token_version = true;
    ASSERT_TRUE(store_->update_user(u.id, bump, now()));
    EXPECT_EQ(check("Bearer " + token).error(), errc::token_outdated);
    auto const fresh = access_for(store_->find_user(u.id).value());
    EXPECT_TRUE(check("Bearer " + fresh).has_value());
}

TEST_F(guard_test, inactive_user_is_refused_with_inactive_user) {
    auto const u = add_user({}, false);
    EXPECT_EQ(check("Bearer " + access_for(u)).error(), errc::inactive_user);
}

TEST_F(guard_test, a_deactivated_user_is_inactive_before_its_token_is_outdated) {
    // FastAPI's get_current_active_user: 400 "Inactive user" while inactive, for the token the
    // deactivation outdated too; once reactivated, that token is outdated (401).
    auto const u = add_user();
    auto const token = access_for(u);
    store::user_update off;
    off.is_active = false;
    off.bump_token_version = true;
    ASSERT_TRUE(store_->update_user(u.id, off, now()));
    EXPECT_EQ(check("Bearer " + token).error(), errc::inactive_user);
    store::user_update on;
    on.is_active = true;
    ASSERT_TRUE(store_->update_user(u.id, on, now()));
    EXPECT_EQ(check("Bearer " + token).error(), errc::token_outdated);
}

TEST_F(guard_test, missing_scope_is_insufficient_scope) {
    auto const u = add_user({"admin", "read"});
    auto const token = access_for(u, {"read"});
    EXPECT_EQ(check("Bearer " + token, {"admin"}).error(), errc::insufficient_scope);
    EXPECT_TRUE(check("Bearer " + token, {"read"}).has_value());
}

TEST_F(guard_test, scope_the_user_lost_since_the_token_no_longer_counts) {
    auto const u = add_user({"admin"});
    auto const token = access_for(u, {"admin"});
    EXPECT_TRUE(check("Bearer " + token, {"admin"}).has_value());
    store::user_update demote;
    demote.scopes = std::vector<std::string>{};
    ASSERT_TRUE(store_->update_user(u.id, demote, now()));
    EXPECT_EQ(check("Bearer " + token, {"admin"}).error(), errc::insufficient_scope);
}

TEST_F(guard_test, counts_each_refusal_by_its_reason_and_no_acceptance) {
    auto const u = add_user({"read"});
    auto const token = access_for(u, {"read"});
    ASSERT_TRUE(check("Bearer " + token).has_value());
    EXPECT_FALSE(check("").has_value());
    EXPECT_FALSE(check("Bearer " + token, {"admin"}).has_value());
    auto other =
        jwt::key::from_utf8_secret(jwt::algorithm::hs256, "another-secret-of-at-least-32-bytes!!")
            .value();
    auto const forged =
        jwt::signer::create(other).value().sign({{"sub", "1"}, {"exp", now() + 60}}).value();
    EXPECT_FALSE(check("Bearer " + forged).has_value());
    auto const foreign =
        jwt::signer::create(
            jwt::key::from_utf8_secret(jwt::algorithm::hs256, test::test_secret).value())
            .value()
            .sign({{"sub", "not-a-number"}, {"exp", now() + 60}})
            .value();
    EXPECT_FALSE(check("Bearer " + foreign).has_value());
    auto const issued = tokens_->issue_access(u, {}, "f").value();
    ASSERT_TRUE(store_->revoke_jti(issued.jti, issued.expires_at));
    EXPECT_FALSE(check("Bearer " + issued.token).has_value());

    EXPECT_EQ(events_.tokens_rejected(token_rejection::missing), 1U);
    EXPECT_EQ(events_.tokens_rejected(token_rejection::insufficient_scope), 1U);
    EXPECT_EQ(events_.tokens_rejected(token_rejection::bad_signature), 1U);
    EXPECT_EQ(events_.tokens_rejected(token_rejection::invalid_claims), 1U);
    EXPECT_EQ(events_.tokens_rejected(token_rejection::revoked), 1U);
    for (auto const r :
         {token_rejection::malformed, token_rejection::expired, token_rejection::outdated,
          token_rejection::user_gone, token_rejection::inactive_user}) {
        EXPECT_EQ(events_.tokens_rejected(r), 0U) << to_string(r);
    }

    ASSERT_TRUE(store_->delete_user(u.id));
    EXPECT_FALSE(check("Bearer " + token).has_value());
    EXPECT_EQ(events_.tokens_rejected(token_rejection::user_gone), 1U);
    EXPECT_EQ(events_.store_failures(), 0U);  // a missing user is an answer, not a failure
}

TEST_F(guard_test, accepts_a_fastapi_style_token_with_sub_and_exp_only) {
    auto const u = add_user();
    auto key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, test::test_secret).value();
    auto const signer = jwt::signer::create(key).value();
    auto const token = signer.sign({{"sub", std::to_string(u.id)}, {"exp", now() + 60}}).value();
    auto const p = check("Bearer " + token);
    ASSERT_TRUE(p.has_value());
    EXPECT_TRUE(p->token.jti.empty());
    EXPECT_TRUE(p->token.session_id.empty());
    EXPECT_TRUE(p->scopes.empty());
}

TEST_F(guard_test, requirement_names_its_scopes_and_the_principal) {
    auto const requirement = guard_->require({"write", "admin", "write"});
    EXPECT_EQ(requirement.required_scope(), "admin write");
    auto const u = add_user({"admin", "write"});
    auto const p =
        test::run(requirement.authenticate("Bearer " + access_for(u, {"admin", "write"})));
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(requirement.log_identity(*p), std::to_string(u.id));
}

}  // namespace
}  // namespace warden::auth
