// The TOTP second factor (auth::totp_service) and the password grant that asks for it, against
// the real SQLite store with a manual clock; codes are computed from the enrolment's secret.
#include <warden/auth/totp.hpp>

#include <gtest/gtest.h>

#include <warden/auth/errc.hpp>
#include <warden/auth/login.hpp>
#include <warden/auth/sessions.hpp>
#include <warden/core/sealed_box.hpp>
#include <warden/core/totp.hpp>
#include <warden/jwt/key_set.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace warden::auth {
namespace {

password::options cheap() {
    password::options o;
    o.argon2 = {.memory_kib = 7168, .iterations = 1, .parallelism = 1};
    return o;
}

/// RFC 4648 base32 without padding, as the enrolment gives the secret.
std::string base32_decode(std::string_view text) {
    static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char const c : text) {
        buffer = (buffer << 5U) | static_cast<std::uint32_t>(alphabet.find(c));
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU);
        }
    }
    return out;
}

secret_bytes kek_of(char fill) { return secret_bytes{std::string(32, fill)}; }

class totp_test : public ::testing::Test {
  protected:
    totp_test() {
        auto key = jwt::key::from_utf8_secret(jwt::algorithm::hs256, test::test_secret).value();
        tokens_ = std::make_unique<token_service>(
            jwt::signer::create(key).value(),
            jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, clock_).value(),
            token_settings{}, clock_);
        db_ = std::make_unique<database>(
            store::open("sqlite:///" + (dir_.path() / "w.db").string()).value(), pool_);
        sessions_ = std::make_unique<session_service>(*tokens_, *db_);
        logins_ = std::make_unique<login_service>(
            *db_, hashes_, *sessions_, lockout_policy{.max_failures = 3}, clock_, floor_);
        totp_holder_ = std::make_unique<totp_service>(*db_, kek_of('k'), "Example Co", clock_);
        logins_->check_second_factor_with(totp_holder_.get());
        user_ = add_user("t@example.com");
    }

    store::user add_user(std::string email) {
        auto const hash = hashes_.hashing_context().hash("correct horse").value();
        return db_->users()
            .create_user(store::new_user{std::move(email), hash, "", true, {}}, now())
            .value();
    }

    std::int64_t now() const { return to_unix_seconds(clock_.now()); }
    totp_service& totp() const { return *totp_holder_; }

    /// Enrols the user; the secret's raw bytes are kept for computing codes.
    totp_enrolment enrol() {
        auto enrolment = test::run(totp().enrol(user_.id, user_.email));
        EXPECT_TRUE(enrolment) << enrolment.error().message();
        secret_ = secret_bytes{base32_decode(enrolment->secret)};
        return *enrolment;
    }

    /// The code of the step `offset` steps from now.
    std::string code(std::int64_t offset = 0) const {
        return hotp_code(secret_, totp_step(now()) + offset);
    }

    /// Enrols and confirms with the current code.
    totp_enrolment enabled() {
        auto enrolment = enrol();
        auto const confirmed = test::run(totp().confirm(user_.id, code()));
        EXPECT_TRUE(confirmed) << confirmed.error().message();
        return enrolment;
    }

    second_factor check(std::string_view otp) const {
        auto const checked = totp().check(user_.id, otp, now());
        EXPECT_TRUE(checked) << checked.error().message();
        return checked ? *checked : second_factor::not_enabled;
    }

    grant_outcome login(std::string otp, std::string address = "10.0.0.1") {
        password_login request{user_.email, secret_bytes{std::string_view{"correct horse"}},
                               std::nullopt, std::move(address), secret_bytes{std::move(otp)}};
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
    std::unique_ptr<login_service> logins_;
    std::unique_ptr<totp_service> totp_holder_;
    store::user user_;
    secret_bytes secret_;
};

TEST_F(totp_test, enrolment_stores_the_secret_sealed_and_the_codes_hashed) {
    auto const enrolment = enrol();
    EXPECT_EQ(enrolment.secret.size(), 32U);
    EXPECT_EQ(secret_.size(), 20U);
    EXPECT_EQ(enrolment.otpauth_uri,
              "otpauth://totp/Example%20Co:t%40example.com?secret=" + enrolment.secret +
                  "&issuer=Example%20Co&algorithm=SHA1&digits=6&period=30");
    ASSERT_EQ(enrolment.recovery_codes.size(), recovery_code_count);
    auto const record = db_->totp().totp_of(user_.id).value();
    EXPECT_FALSE(record.confirmed);
    EXPECT_EQ(record.recovery_codes_left, 10);
    EXPECT_EQ(record.sealed_secret.find(secret_.view()), std::string::npos);
    EXPECT_EQ(record.sealed_secret.size(), 20U + seal_overhead);
    // Sealed for this user alone.
    EXPECT_FALSE(open_sealed(kek_of('k'), record.sealed_secret, "totp|999"));
    EXPECT_EQ(open_sealed(kek_of('k'), record.sealed_secret, "totp|" + std::to_string(user_.id))
                  .value()
                  .view(),
              secret_.view());
}

TEST_F(totp_test, nothing_is_asked_before_confirmation) {
    EXPECT_EQ(check(""), second_factor::not_enabled);
    enrol();
    EXPECT_EQ(check(""), second_factor::not_enabled);
    EXPECT_EQ(check(code()), second_factor::not_enabled);
    EXPECT_TRUE(login("").tokens);
}

TEST_F(totp_test, confirmation_checks_the_code_and_spends_its_step) {
    enrol();
    EXPECT_EQ(test::run(totp().confirm(user_.id, "12345")).error(), errc::wrong_totp_code);
    EXPECT_EQ(test::run(totp().confirm(user_.id, code(2))).error(), errc::wrong_totp_code);
    EXPECT_EQ(test::run(totp().confirm(user_.id, "abcdef")).error(), errc::wrong_totp_code);
    ASSERT_TRUE(test::run(totp().confirm(user_.id, code())));
    EXPECT_EQ(test::run(totp().confirm(user_.id, code(1))).error(), errc::totp_already_enabled);
    EXPECT_EQ(test::run(totp().enrol(user_.id, user_.email)).error(), errc::totp_already_enabled);
    EXPECT_EQ(check(code()), second_factor::refused);  // the confirmation's code
}

TEST_F(totp_test, confirmation_without_enrolment) {
    EXPECT_EQ(test::run(totp().confirm(user_.id, "123456")).error(), errc::totp_not_enrolled);
    EXPECT_EQ(test::run(totp().enrol(424242, "x@example.com")).error(), errc::user_gone);
}

TEST_F(totp_test, a_code_is_accepted_within_one_step_and_once) {
    enabled();
    EXPECT_EQ(check(""), second_factor::missing);
    EXPECT_EQ(check("   "), second_factor::missing);
    EXPECT_EQ(check(code(2)), second_factor::refused);
    EXPECT_EQ(check(code(-2)), second_factor::refused);
    auto const next = code(1);
    EXPECT_EQ(check(next), second_factor::accepted);
    EXPECT_EQ(check(next), second_factor::refused);
    EXPECT_EQ(check(code(-1)), second_factor::refused);  // older than one accepted
    clock_.advance(std::chrono::seconds{60});
    EXPECT_EQ(check(next), second_factor::refused);  // now one step behind, and spent
    auto const later = code();
    EXPECT_EQ(check(later.substr(0, 3) + " " + later.substr(3)), second_factor::accepted);
}

TEST_F(totp_test, recovery_codes_work_once_whatever_their_case_and_dashes) {
    auto const enrolment = enabled();
    auto const& codes = enrolment.recovery_codes;
    EXPECT_EQ(check(codes[0]), second_factor::accepted);
    EXPECT_EQ(check(codes[0]), second_factor::refused);
    std::string shouted;
    for (char const c : codes[1])
        if (c != '-') shouted += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(check(shouted), second_factor::accepted);
    EXPECT_EQ(check(codes[1]), second_factor::refused);
    EXPECT_EQ(check("aaaa-bbbb-cccc-dddd"), second_factor::refused);
    EXPECT_EQ(db_->totp().totp_of(user_.id).value().recovery_codes_left, 8);
}

TEST_F(totp_test, a_secret_sealed_under_another_key_does_not_open) {
    enrol();
    totp_service other{*db_, kek_of('o'), "warden", clock_};
    EXPECT_EQ(test::run(other.confirm(user_.id, code())).error(), seal_errc::not_authentic);
    ASSERT_TRUE(test::run(totp().confirm(user_.id, code())));
    EXPECT_EQ(other.check(user_.id, code(1), now()).error(), seal_errc::not_authentic);
    // A store failure is no verdict: the login gives its attempt back.
    login_service logins{*db_,   hashes_, *sessions_, lockout_policy{.max_failures = 3},
                         clock_, floor_};
    logins.check_second_factor_with(&other);
    for (int i = 0; i < 4; ++i) {
        password_login request{user_.email, secret_bytes{std::string_view{"correct horse"}},
                               std::nullopt, "10.0.0.1", secret_bytes{code(1)}};
        EXPECT_EQ(test::run(logins.password_grant(std::move(request))).tokens.error(),
                  seal_errc::not_authentic);
    }
    EXPECT_TRUE(login(code(1)).tokens);
}

TEST_F(totp_test, the_start_up_check_opens_a_stored_secret_with_the_key) {
    totp_service other{*db_, kek_of('o'), "warden", clock_};
    EXPECT_TRUE(totp().check_key());
    EXPECT_TRUE(other.check_key());  // nothing stored yet: any key will do
    enrol();
    EXPECT_TRUE(totp().check_key());
    EXPECT_EQ(other.check_key().error(), seal_errc::not_authentic);
    ASSERT_TRUE(test::run(totp().confirm(user_.id, code())));
    EXPECT_EQ(other.check_key().error(), seal_errc::not_authentic);
    ASSERT_TRUE(test::run(totp().disable(user_.id)));
    EXPECT_TRUE(other.check_key());
}

TEST_F(totp_test, disabling_deletes_it) {
    auto const enrolment = enabled();
    ASSERT_TRUE(test::run(totp().disable(user_.id)));
    EXPECT_EQ(check(""), second_factor::not_enabled);
    EXPECT_EQ(check(enrolment.recovery_codes[0]), second_factor::not_enabled);
    EXPECT_EQ(test::run(totp().disable(user_.id)).error(), errc::totp_not_enabled);
    EXPECT_TRUE(test::run(totp().enrol(user_.id, user_.email)));
}

TEST_F(totp_test, the_password_grant_asks_for_the_code_and_counts_wrong_ones) {
    enabled();
    // Asking is no failure: more than the limit, and nothing locks.
    for (int i = 0; i < 5; ++i) EXPECT_EQ(login("").tokens.error(), errc::mfa_required);
    EXPECT_EQ(logins_->limiter().locked_for(user_.email, "10.0.0.1", now()).value(), 0);
    // A wrong password is still only that, whatever the code.
    password_login wrong{user_.email, secret_bytes{std::string_view{"wrong"}}, std::nullopt,
                         "10.0.0.1", secret_bytes{code(1)}};
    EXPECT_EQ(test::run(logins_->password_grant(std::move(wrong))).tokens.error(),
              errc::wrong_credentials);
    EXPECT_EQ(login("000000" == code(1) ? "111111" : "000000").tokens.error(),
              errc::wrong_second_factor);
    EXPECT_EQ(login("").tokens.error(), errc::mfa_required);
    // The third failure (a replay of the confirmation's code) locks the account.
    EXPECT_EQ(login(code()).tokens.error(), errc::wrong_second_factor);
    auto const locked = login(code(1));
    EXPECT_EQ(locked.tokens.error(), errc::locked_out);
    EXPECT_GT(locked.retry_after, 0);
}

TEST_F(totp_test, the_password_grant_succeeds_with_a_code_and_clears_failures) {
    auto const enrolment = enabled();
    auto const wrong = [&] { return "000000" == code(1) ? "111111" : "000000"; };
    EXPECT_EQ(login(wrong()).tokens.error(), errc::wrong_second_factor);
    auto const granted = login(code(1));
    ASSERT_TRUE(granted.tokens) << granted.tokens.error().message();
    EXPECT_FALSE(granted.tokens->access_token.empty());
    // The success cleared the account's failure: two more (from other addresses, whose counts
    // are their own) stay under the limit of three.
    EXPECT_EQ(login(wrong(), "10.0.0.2").tokens.error(), errc::wrong_second_factor);
    EXPECT_EQ(login(wrong(), "10.0.0.3").tokens.error(), errc::wrong_second_factor);
    EXPECT_TRUE(login(enrolment.recovery_codes[0], "10.0.0.4").tokens);
}

}  // namespace
}  // namespace warden::auth
