// Purging and pool saturation against the real SQLite store, with a manual clock.
#include <warden/auth/maintenance.hpp>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <warden/auth/errc.hpp>
#include <warden/auth/login.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/auth/store_subjects.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/key_set.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace warden::auth {
namespace {

class sqlite_auth : public ::testing::Test {
  protected:
    sqlite_auth() {
        auto key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, test::test_secret).value();
        tokens_ = std::make_unique<token_service>(
            jwt::signer::create(key).value(),
            jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, clock_).value(),
            token_settings{}, clock_);
        db_ = std::make_unique<database>(
            store::open("sqlite:///" + (dir_.path() / "w.db").string()).value(), pool_);
        sessions_ = std::make_unique<session_service>(*tokens_, *db_);
        subjects_ = std::make_unique<store_subjects>(*db_);
        guard_ = std::make_unique<guard>(*tokens_, *subjects_);
    }

    std::int64_t now() const { return to_unix_seconds(clock_.now()); }

    test::temp_dir dir_;
    manual_clock clock_;
    work_pool pool_{{.threads = 2, .queue_limit = 16}};
    std::unique_ptr<token_service> tokens_;
    std::unique_ptr<database> db_;
    std::unique_ptr<session_service> sessions_;
    std::unique_ptr<store_subjects> subjects_;
    std::unique_ptr<guard> guard_;
};

TEST_F(sqlite_auth, revocations_are_kept_until_the_token_expires_then_purged) {
    auto const user =
        db_->users().create_user({"p@example.com", "hash", "", true, {}}, now()).value();
    auto const pair = test::run(sessions_->start(user, {})).value();
    auto const p = test::run(guard_->authenticate("Bearer " + pair.access_token, {})).value();
    ASSERT_TRUE(test::run(sessions_->end(p.token.session_id, p.token.jti, p.token.expires_at)));
    EXPECT_TRUE(db_->revocations().is_revoked(p.token.jti).value());

    // Before expiry nothing of the session may go: the token is still refused as revoked.
    clock_.advance(std::chrono::minutes{29});
    EXPECT_EQ(test::run(purge_expired(*db_, now(), std::chrono::minutes{15})).value(), 0);
    EXPECT_EQ(test::run(guard_->authenticate("Bearer " + pair.access_token, {})).error(),
              errc::token_revoked);

    // After the token's exp, its revocation is purged (the token is refused as expired anyway).
    clock_.advance(std::chrono::minutes{2});
    EXPECT_GE(test::run(purge_expired(*db_, now(), std::chrono::minutes{15})).value(), 1);
    EXPECT_FALSE(db_->revocations().is_revoked(p.token.jti).value());
    EXPECT_EQ(test::run(guard_->authenticate("Bearer " + pair.access_token, {})).error(),
              jwt::errc::expired);
}

TEST_F(sqlite_auth, expired_sessions_and_counters_are_purged) {
    auto const user =
        db_->users().create_user({"s@example.com", "hash", "", true, {}}, now()).value();
    auto const pair = test::run(sessions_->start(user, {})).value();
    ASSERT_TRUE(db_->counters().add_failure("account:s@example.com", now(), 900));
    clock_.advance(std::chrono::hours{24 * 15});
    EXPECT_GE(test::run(purge_expired(*db_, now(), std::chrono::minutes{15})).value(), 2);
    EXPECT_EQ(db_->counters().failures("account:s@example.com", now(), 900).value().count, 0);
    EXPECT_EQ(test::run(sessions_->refresh(pair.refresh_token, std::nullopt)).error(),
              errc::invalid_refresh_token);
}

TEST_F(sqlite_auth, a_saturated_hash_pool_refuses_logins_at_once) {
    password::options costly;
    costly.argon2 = {.memory_kib = 65536, .iterations = 3, .parallelism = 1};
    password::hash_pool hashes{password::context::create(costly).value(),
                               {.threads = 1, .queue_limit = 0}};
    auto const hash = hashes.hashing_context().hash("correct horse").value();
    ASSERT_TRUE(db_->users().create_user({"busy@example.com", hash, "", true, {}}, now()));
    verification_floor floor;
    login_service logins{*db_, hashes, *sessions_, {.max_failures = 100}, clock_, floor};

    boost::asio::io_context io;
    std::vector<grant_outcome> outcomes;
    for (int i = 0; i < 3; ++i) {
        password_login login{"busy@example.com", secret_bytes{std::string_view{"correct horse"}},
                             std::nullopt, "10.0.0.1", secret_bytes{}};
        boost::asio::co_spawn(
            io, logins.password_grant(std::move(login)),
            [&](std::exception_ptr, grant_outcome o) { outcomes.push_back(std::move(o)); });
    }
    io.run();
    ASSERT_EQ(outcomes.size(), 3U);
    int ok = 0;
    int unavailable = 0;
    for (auto const& o : outcomes) {
        if (o.tokens)
            ++ok;
        else if (o.tokens.error() == condition::unavailable)
            ++unavailable;
    }
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(unavailable, 2);
}

}  // namespace
}  // namespace warden::auth
