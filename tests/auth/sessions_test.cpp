#include <warden/auth/sessions.hpp>

#include <algorithm>
#include <exception>
#include <vector>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <warden/auth/errc.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

class sessions_test : public test::auth_fixture {
  protected:
    session_service sessions_{*tokens_, *db_, &events_};

    token_response start(store::user const& u, scope_list scopes = {}) {
        return test::run(sessions_.start(u, std::move(scopes))).value();
    }
    result<token_response> refresh(std::string const& token,
                                   std::optional<scope_list> scope = std::nullopt) {
        return test::run(sessions_.refresh(token, std::move(scope)));
    }
    result<principal> check(std::string const& access) {
        return test::run(guard_->authenticate("Bearer " + access, {}));
    }
};

TEST_F(sessions_test, refresh_rotates_the_pair) {
    auto const u = add_user({"read", "write"});
    auto const first = start(u, {"read", "write"});
    auto const second = refresh(first.refresh_token);
    ASSERT_TRUE(second.has_value());
    EXPECT_NE(second->refresh_token, first.refresh_token);
    EXPECT_EQ(second->scope, "read write");
    EXPECT_TRUE(check(second->access_token).has_value());
    EXPECT_TRUE(refresh(second->refresh_token).has_value());
}

TEST_F(sessions_test, reuse_revokes_the_family_and_its_access_tokens) {
    auto const u = add_user();
    auto const first = start(u);
    auto const second = refresh(first.refresh_token).value();
    auto const reused = refresh(first.refresh_token);
    EXPECT_EQ(reused.error(), errc::refresh_token_reused);
    EXPECT_EQ(reused.error(), condition::invalid_grant);
    EXPECT_EQ(check(second.access_token).error(), errc::token_revoked);
    EXPECT_EQ(check(first.access_token).error(), errc::token_revoked);
    EXPECT_EQ(refresh(second.refresh_token).error(), errc::invalid_refresh_token);
}

TEST_F(sessions_test, racing_refreshes_have_exactly_one_winner) {
    // Several store threads: the spend and the new grant of one rotation must not interleave
    // with another presenter's reuse check, or the winner's grant lands in a revoked family.
    work_pool wide{{.threads = 4, .queue_limit = 64}};
    database db{store_->backends(store_), wide};
    session_service sessions{*tokens_, db};
    store_->spend_delay = std::chrono::milliseconds{2};
    auto const u = add_user();
    for (int round = 0; round < 10; ++round) {
        auto const pair = test::run(sessions.start(u, {})).value();
        boost::asio::io_context io;
        std::vector<result<token_response>> outcomes;
        for (int i = 0; i < 8; ++i) {
            boost::asio::co_spawn(io, sessions.refresh(pair.refresh_token, std::nullopt),
                                  [&](std::exception_ptr, result<token_response> r) {
                                      outcomes.push_back(std::move(r));
                                  });
        }
        io.run();
        ASSERT_EQ(outcomes.size(), 8U);
        auto const winners = std::count_if(outcomes.begin(), outcomes.end(),
                                           [](auto const& r) { return r.has_value(); });
        EXPECT_EQ(winners, 1) << "round " << round;
        for (auto const& r : outcomes) {
            if (!r) {
                EXPECT_EQ(r.error(), condition::invalid_grant);
            }
        }
    }
}

TEST_F(sessions_test, scope_narrows_but_never_widens) {
    auto const u = add_user({"read", "write"});
    auto const first = start(u, {"read"});
    EXPECT_EQ(refresh(first.refresh_token, scope_list{"write"}).error(), errc::scope_not_granted);
    // A refused scope costs nothing: the token is still good.
    auto const narrowed = refresh(first.refresh_token, scope_list{"read"});
    ASSERT_TRUE(narrowed.has_value());
    EXPECT_EQ(narrowed->scope, "read");
}

TEST_F(sessions_test, narrowed_refresh_keeps_the_original_grant_for_the_next_one) {
    auto const u = add_user({"read", "write"});
    auto const first = start(u, {"read", "write"});
    auto const narrowed = refresh(first.refresh_token, scope_list{"read"}).value();
    EXPECT_EQ(narrowed.scope, "read");
    EXPECT_EQ(refresh(narrowed.refresh_token).value().scope, "read write");
}

TEST_F(sessions_test, unknown_expired_and_ineligible_grants_are_invalid) {
    EXPECT_EQ(refresh("no-such-token").error(), errc::invalid_refresh_token);
    auto const u = add_user();
    auto const first = start(u);
    clock_.advance(std::chrono::hours{24 * 15});
    EXPECT_EQ(refresh(first.refresh_token).error(), errc::invalid_refresh_token);

    clock_.advance(-std::chrono::hours{24 * 15});
    auto const other = start(u);
    store::user_update off;
    off.is_active = false;
    ASSERT_TRUE(store_->update_user(u.id, off, now()));
    EXPECT_EQ(refresh(other.refresh_token).error(), errc::user_not_eligible);
}

TEST_F(sessions_test, refresh_grants_are_counted_by_outcome) {
    auto const u = add_user({"read"});
    auto const first = start(u, {"read"});
    EXPECT_FALSE(refresh("no-such-token"));
    EXPECT_FALSE(refresh(first.refresh_token, scope_list{"admin"}));
    auto const second = refresh(first.refresh_token).value();
    EXPECT_FALSE(refresh(first.refresh_token));  // spent: the family goes
    EXPECT_FALSE(refresh(second.refresh_token));
    EXPECT_EQ(events_.refreshes(refresh_outcome::success), 1U);
    EXPECT_EQ(events_.refreshes(refresh_outcome::invalid_scope), 1U);
    EXPECT_EQ(events_.refreshes(refresh_outcome::reused), 1U);
    EXPECT_EQ(events_.refreshes(refresh_outcome::invalid_token), 2U);
    EXPECT_EQ(events_.refreshes(refresh_outcome::user_not_eligible), 0U);
    EXPECT_EQ(events_.refreshes(refresh_outcome::error), 0U);
}

TEST_F(sessions_test, logout_revokes_family_and_token) {
    auto const u = add_user();
    auto const pair = start(u);
    auto const p = check(pair.access_token).value();
    ASSERT_TRUE(test::run(sessions_.end(p.token.session_id, p.token.jti, p.token.expires_at)));
    EXPECT_EQ(check(pair.access_token).error(), errc::token_revoked);
    EXPECT_EQ(refresh(pair.refresh_token).error(), errc::invalid_refresh_token);
}

TEST_F(sessions_test, revoke_handles_refresh_access_and_garbage) {
    auto const u = add_user();
    auto const a = start(u);
    ASSERT_TRUE(test::run(sessions_.revoke(a.refresh_token, "")));
    EXPECT_EQ(refresh(a.refresh_token).error(), errc::invalid_refresh_token);
    EXPECT_EQ(check(a.access_token).error(), errc::token_revoked);

    auto const b = start(u);
    ASSERT_TRUE(
        test::run(sessions_.revoke(b.access_token, "refresh_token")));  // a wrong hint still works
    EXPECT_EQ(check(b.access_token).error(), errc::token_revoked);
    EXPECT_TRUE(
        refresh(b.refresh_token).has_value());  // revoking an access token keeps the session

    EXPECT_TRUE(test::run(sessions_.revoke("garbage", "access_token")));
    EXPECT_TRUE(test::run(sessions_.revoke("", "")));
}

}  // namespace
}  // namespace warden::auth
