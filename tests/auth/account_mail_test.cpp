// E-mail verification and password reset (auth::account_mail_service) against the real SQLite
// store, with a manual clock and a recording "send mail" function.
#include <warden/auth/account_mail.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include <warden/auth/errc.hpp>
#include <warden/auth/guard.hpp>
#include <warden/auth/login.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/auth/store_subjects.hpp>
#include <warden/core/digest.hpp>
#include <warden/jwt/key_set.hpp>
#include <warden/password/errc.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace warden::auth {
namespace {

struct sent_mail {
    account_mail kind;
    std::string to;
    std::string token;
    std::chrono::seconds valid_for;
};

password::options cheap() {
    password::options o;
    o.argon2 = {.memory_kib = 7168, .iterations = 1, .parallelism = 1};
    return o;
}

class account_mail_test : public ::testing::Test {
  protected:
    account_mail_test() {
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
        logins_ = std::make_unique<login_service>(
            *db_, hashes_, *sessions_, lockout_policy{.max_failures = 3}, clock_, floor_);
        mail_ = std::make_unique<account_mail_service>(
            *db_, hashes_, logins_->limiter(),
            account_mail_policy{.limit_per_email = 3, .limit_per_client = 5}, clock_,
            [this](account_mail kind, std::string_view to, std::string_view token,
                   std::chrono::seconds valid_for) {
                std::lock_guard const lock{mutex_};
                sent_.push_back({kind, std::string{to}, std::string{token}, valid_for});
            });
    }

    store::user add_user(std::string email, bool verified = false, bool active = true) {
        auto const hash = hashes_.hashing_context().hash("correct horse").value();
        store::new_user u{std::move(email), hash, "", active, {}};
        u.is_verified = verified;
        return db_->users().create_user(u, now()).value();
    }

    std::int64_t now() const { return to_unix_seconds(clock_.now()); }

    std::vector<sent_mail> sent() {
        std::lock_guard const lock{mutex_};
        return sent_;
    }

    grant_outcome login(std::string email, std::string password, std::string address = "10.0.0.1") {
        password_login request{std::move(email), secret_bytes{std::move(password)}, std::nullopt,
                               std::move(address), secret_bytes{}};
        return test::run(logins_->password_grant(std::move(request)));
    }

    test::temp_dir dir_;
    manual_clock clock_;
    work_pool pool_{{.threads = 2, .queue_limit = 16}};
    password::hash_pool hashes_{password::context::create(cheap()).value(),
                                {.threads = 1, .queue_limit = 8}};
    verification_floor floor_;
    std::unique_ptr<token_service> tokens_;
    std::unique_ptr<database> db_;
    std::unique_ptr<session_service> sessions_;
    std::unique_ptr<store_subjects> subjects_;
    std::unique_ptr<guard> guard_;
    std::unique_ptr<login_service> logins_;
    std::unique_ptr<account_mail_service> mail_;
    std::mutex mutex_;
    std::vector<sent_mail> sent_;
};

TEST_F(account_mail_test, verification_mails_a_single_use_token_that_verifies) {
    auto const user = add_user("v@example.com");
    ASSERT_TRUE(test::run(mail_->request_verification("v@example.com", "10.0.0.1")));
    auto const mails = sent();
    ASSERT_EQ(mails.size(), 1U);
    EXPECT_EQ(mails[0].kind, account_mail::verify_email);
    EXPECT_EQ(mails[0].to, "v@example.com");
    EXPECT_EQ(mails[0].token.size(), 43U);  // 256 bits, base64url
    EXPECT_EQ(mails[0].valid_for, std::chrono::hours{24});
    auto const verified = test::run(mail_->verify(mails[0].token));
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->id, user.id);
    EXPECT_TRUE(verified->is_verified);
    EXPECT_EQ(test::run(mail_->verify(mails[0].token)).error(), errc::invalid_mail_token);
    // Verified: no further mail.
    ASSERT_TRUE(test::run(mail_->request_verification("v@example.com", "10.0.0.1")));
    EXPECT_EQ(sent().size(), 1U);
}

TEST_F(account_mail_test, the_store_keeps_only_the_hash) {
    add_user("h@example.com");
    auto const other = add_user("other@example.com");
    ASSERT_TRUE(test::run(mail_->forgot_password("h@example.com", "10.0.0.1")));
    auto const token = sent().at(0).token;
    // The store holds sha256(token): the same hash cannot be stored again, for anyone.
    EXPECT_FALSE(db_->one_time_tokens().issue_one_time_token(
        store::one_time_token_kind::reset, other.id, sha256(token), now(), now() + 60));
    EXPECT_TRUE(db_->one_time_tokens().issue_one_time_token(store::one_time_token_kind::reset,
                                                            other.id, token, now(), now() + 60));
}

TEST_F(account_mail_test, unknown_inactive_and_bad_tokens) {
    add_user("off@example.com", false, false);
    ASSERT_TRUE(test::run(mail_->request_verification("nobody@example.com", "10.0.0.1")));
    ASSERT_TRUE(test::run(mail_->forgot_password("nobody@example.com", "10.0.0.1")));
    ASSERT_TRUE(test::run(mail_->forgot_password("off@example.com", "10.0.0.1")));
    EXPECT_TRUE(sent().empty());
    for (std::string const& token :
         std::vector<std::string>{"", "abc", std::string(43, 'a'), std::string(300, 'b')}) {
        EXPECT_EQ(test::run(mail_->verify(token)).error(), errc::invalid_mail_token);
        EXPECT_EQ(
            test::run(mail_->reset_password(token, secret_bytes{std::string{"new password 1"}}))
                .error(),
            errc::invalid_mail_token);
    }
}

TEST_F(account_mail_test, tokens_expire_and_a_new_one_replaces_the_old) {
    add_user("e@example.com");
    ASSERT_TRUE(test::run(mail_->request_verification("e@example.com", "10.0.0.1")));
    ASSERT_TRUE(test::run(mail_->request_verification("e@example.com", "10.0.0.1")));
    auto const mails = sent();
    ASSERT_EQ(mails.size(), 2U);
    EXPECT_EQ(test::run(mail_->verify(mails[0].token)).error(), errc::invalid_mail_token);
    clock_.advance(std::chrono::hours{24});
    EXPECT_EQ(test::run(mail_->verify(mails[1].token)).error(), errc::invalid_mail_token);
}

TEST_F(account_mail_test, reset_sets_the_password_revokes_sessions_and_clears_the_lockout) {
    auto const user = add_user("r@example.com");
    auto const before = login("r@example.com", "correct horse");
    ASSERT_TRUE(before.tokens);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(login("r@example.com", "wrong", "10.0.1." + std::to_string(i)).tokens);
    }
    EXPECT_EQ(login("r@example.com", "correct horse", "10.0.2.1").tokens.error(), errc::locked_out);
    ASSERT_TRUE(test::run(mail_->forgot_password("r@example.com", "10.0.0.1")));
    auto const mails = sent();
    ASSERT_EQ(mails.size(), 1U);
    EXPECT_EQ(mails[0].kind, account_mail::reset_password);
    EXPECT_EQ(mails[0].valid_for, std::chrono::hours{1});
    // The policy applies first (the token stays unspent).
    EXPECT_EQ(test::run(mail_->reset_password(mails[0].token, secret_bytes{std::string{"short"}}))
                  .error(),
              password::errc::password_too_short);
    ASSERT_TRUE(test::run(
        mail_->reset_password(mails[0].token, secret_bytes{std::string{"new password 1"}})));
    EXPECT_EQ(test::run(mail_->reset_password(mails[0].token,
                                              secret_bytes{std::string{"new password 2"}}))
                  .error(),
              errc::invalid_mail_token);
    EXPECT_FALSE(test::run(guard_->authenticate("Bearer " + before.tokens->access_token, {})));
    EXPECT_FALSE(test::run(sessions_->refresh(before.tokens->refresh_token, std::nullopt)));
    EXPECT_EQ(login("r@example.com", "correct horse", "10.0.2.2").tokens.error(),
              errc::wrong_credentials);
    EXPECT_TRUE(login("r@example.com", "new password 1", "10.0.2.3").tokens);
    (void)user;
}

TEST_F(account_mail_test, rate_limits_per_address_and_per_client) {
    add_user("l@example.com");
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(
            test::run(mail_->forgot_password("l@example.com", "10.0.3." + std::to_string(i))));
    }
    EXPECT_EQ(sent().size(), 3U);  // limit_per_email
    for (int i = 0; i < 8; ++i) {
        auto const email = "c" + std::to_string(i) + "@example.com";
        add_user(email);
        ASSERT_TRUE(test::run(mail_->forgot_password(email, "10.0.4.1")));
    }
    EXPECT_EQ(sent().size(), 3U + 5U);  // limit_per_client
    // A new window, new mails.
    clock_.advance(std::chrono::hours{1});
    ASSERT_TRUE(test::run(mail_->forgot_password("l@example.com", "10.0.4.1")));
    EXPECT_EQ(sent().size(), 9U);
}

TEST_F(account_mail_test, login_and_guard_can_require_a_verified_user) {
    add_user("g@example.com");
    logins_->require_verified_email(true);
    EXPECT_EQ(login("g@example.com", "correct horse").tokens.error(), errc::email_not_verified);
    EXPECT_EQ(login("g@example.com", "wrong").tokens.error(), errc::wrong_credentials);
    logins_->require_verified_email(false);
    auto const tokens = login("g@example.com", "correct horse");
    ASSERT_TRUE(tokens.tokens);
    auto const header = "Bearer " + tokens.tokens->access_token;
    EXPECT_TRUE(test::run(guard_->require().authenticate(header)));
    EXPECT_EQ(test::run(guard_->require_verified().authenticate(header)).error(),
              errc::unverified_user);
    ASSERT_TRUE(test::run(mail_->request_verification("g@example.com", "10.0.0.1")));
    ASSERT_TRUE(test::run(mail_->verify(sent().at(0).token)));
    EXPECT_TRUE(test::run(guard_->require_verified().authenticate(header)));
}

TEST_F(account_mail_test, welcome_mails_a_new_user_once_per_limit) {
    auto const user = add_user("w@example.com");
    ASSERT_TRUE(test::run(mail_->welcome(user)));
    ASSERT_EQ(sent().size(), 1U);
    EXPECT_EQ(sent()[0].kind, account_mail::verify_email);
    auto const verified = add_user("done@example.com", true);
    ASSERT_TRUE(test::run(mail_->welcome(verified)));
    EXPECT_EQ(sent().size(), 1U);
}

TEST_F(account_mail_test, without_a_mailer_answers_the_same) {
    account_mail_service silent{*db_, hashes_, logins_->limiter(), {}, clock_, {}};
    auto const user = add_user("s@example.com");
    EXPECT_TRUE(test::run(silent.request_verification("s@example.com", "10.0.0.1")));
    EXPECT_TRUE(test::run(silent.forgot_password("s@example.com", "10.0.0.1")));
    EXPECT_TRUE(test::run(silent.welcome(user)));
}

}  // namespace
}  // namespace warden::auth
