#include <warden/auth/events.hpp>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <warden/auth/errc.hpp>
#include <warden/core/errc.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/store/errc.hpp>

#include "auth/auth_fixture.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

TEST(events, labels_are_the_names_operators_query) {
    std::vector<std::string> logins;
    for (auto const o : all_login_outcomes) logins.emplace_back(to_string(o));
    EXPECT_EQ(logins,
              (std::vector<std::string>{"success", "bad_credentials", "locked", "inactive",
                                        "unverified", "mfa_required", "invalid_scope", "error"}));
    std::set<std::string> reasons;
    for (auto const r : all_token_rejections) reasons.emplace(to_string(r));
    EXPECT_EQ(reasons.size(), all_token_rejections.size());
    for (auto const* required :
         {"malformed", "bad_signature", "expired", "revoked", "user_gone", "insufficient_scope"}) {
        EXPECT_TRUE(reasons.contains(required)) << required;
    }
    std::set<std::string> refreshes;
    for (auto const o : all_refresh_outcomes) refreshes.emplace(to_string(o));
    EXPECT_EQ(refreshes.size(), all_refresh_outcomes.size());
    EXPECT_TRUE(refreshes.contains("success"));
}

TEST(events, a_grant_error_names_its_login_outcome) {
    EXPECT_EQ(login_outcome_of({}), login_outcome::success);
    EXPECT_EQ(login_outcome_of(errc::wrong_credentials), login_outcome::bad_credentials);
    EXPECT_EQ(login_outcome_of(errc::locked_out), login_outcome::locked);
    EXPECT_EQ(login_outcome_of(errc::inactive_user), login_outcome::inactive);
    EXPECT_EQ(login_outcome_of(errc::scope_not_granted), login_outcome::invalid_scope);
    EXPECT_EQ(login_outcome_of(core_errc::pool_full), login_outcome::error);
    EXPECT_EQ(login_outcome_of(store::errc::unavailable), login_outcome::error);
}

TEST(events, a_guard_error_names_its_rejection_reason) {
    EXPECT_EQ(token_rejection_of(errc::missing_credentials), token_rejection::missing);
    EXPECT_EQ(token_rejection_of(jwt::errc::malformed), token_rejection::malformed);
    EXPECT_EQ(token_rejection_of(jwt::errc::bad_base64), token_rejection::malformed);
    EXPECT_EQ(token_rejection_of(jwt::errc::token_too_large), token_rejection::malformed);
    EXPECT_EQ(token_rejection_of(jwt::errc::bad_signature), token_rejection::bad_signature);
    EXPECT_EQ(token_rejection_of(jwt::errc::alg_none), token_rejection::bad_signature);
    EXPECT_EQ(token_rejection_of(jwt::errc::key_not_found), token_rejection::bad_signature);
    EXPECT_EQ(token_rejection_of(jwt::errc::expired), token_rejection::expired);
    EXPECT_EQ(token_rejection_of(jwt::errc::wrong_audience), token_rejection::invalid_claims);
    EXPECT_EQ(token_rejection_of(jwt::errc::not_yet_valid), token_rejection::invalid_claims);
    EXPECT_EQ(token_rejection_of(errc::invalid_token), token_rejection::invalid_claims);
    EXPECT_EQ(token_rejection_of(errc::token_revoked), token_rejection::revoked);
    EXPECT_EQ(token_rejection_of(errc::token_outdated), token_rejection::outdated);
    EXPECT_EQ(token_rejection_of(errc::user_gone), token_rejection::user_gone);
    EXPECT_EQ(token_rejection_of(errc::inactive_user), token_rejection::inactive_user);
    EXPECT_EQ(token_rejection_of(errc::insufficient_scope), token_rejection::insufficient_scope);
    // Failures that refuse no token are not counted as refusals.
    EXPECT_FALSE(token_rejection_of(store::errc::unavailable));
    EXPECT_FALSE(token_rejection_of(core_errc::pool_full));
    EXPECT_FALSE(token_rejection_of(jwt::errc::crypto_failure));
    EXPECT_FALSE(token_rejection_of(errc::email_taken));
}

TEST(events, a_refresh_error_names_its_outcome) {
    EXPECT_EQ(refresh_outcome_of({}), refresh_outcome::success);
    EXPECT_EQ(refresh_outcome_of(errc::invalid_refresh_token), refresh_outcome::invalid_token);
    EXPECT_EQ(refresh_outcome_of(errc::refresh_token_reused), refresh_outcome::reused);
    EXPECT_EQ(refresh_outcome_of(errc::user_not_eligible), refresh_outcome::user_not_eligible);
    EXPECT_EQ(refresh_outcome_of(errc::scope_not_granted), refresh_outcome::invalid_scope);
    EXPECT_EQ(refresh_outcome_of(store::errc::backend_error), refresh_outcome::error);
}

TEST(events, only_an_unreachable_or_failing_store_is_a_store_failure) {
    EXPECT_TRUE(is_store_failure(store::errc::unavailable));
    EXPECT_TRUE(is_store_failure(store::errc::backend_error));
    EXPECT_FALSE(is_store_failure(store::errc::not_found));
    EXPECT_FALSE(is_store_failure(store::errc::email_taken));
    EXPECT_FALSE(is_store_failure(core_errc::pool_full));
    EXPECT_FALSE(is_store_failure({}));
}

TEST(events, counts_from_many_threads_without_losing_one) {
    events counts;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&counts] {
            for (int i = 0; i < 10000; ++i) {
                counts.login(login_outcome::success);
                counts.token_rejected(token_rejection::expired);
            }
        });
    }
    for (auto& t : threads) t.join();
    counts.refresh(refresh_outcome::reused);
    counts.store_failed();
    EXPECT_EQ(counts.logins(login_outcome::success), 40000U);
    EXPECT_EQ(counts.logins(login_outcome::bad_credentials), 0U);
    EXPECT_EQ(counts.tokens_rejected(token_rejection::expired), 40000U);
    EXPECT_EQ(counts.refreshes(refresh_outcome::reused), 1U);
    EXPECT_EQ(counts.refreshes(refresh_outcome::success), 0U);
    EXPECT_EQ(counts.store_failures(), 1U);
}

using database_failures = test::auth_fixture;

TEST_F(database_failures, are_counted_from_run_write_and_lookup_alike) {
    auto const failing = []() -> result<int> { return make_error_code(store::errc::unavailable); };
    auto const missing = []() -> result<int> { return make_error_code(store::errc::not_found); };
    auto const fine = []() -> result<int> { return 1; };
    EXPECT_FALSE(test::run(db_->run(failing)));
    EXPECT_FALSE(test::run(db_->write(failing)));
    EXPECT_FALSE(test::run(db_->lookup(failing)));
    EXPECT_EQ(events_.store_failures(), 3U);
    EXPECT_FALSE(test::run(db_->run(missing)));
    EXPECT_TRUE(test::run(db_->run(fine)));
    EXPECT_EQ(events_.store_failures(), 3U);
    auto const broken = []() -> result<void> {
        return make_error_code(store::errc::backend_error);
    };
    EXPECT_FALSE(test::run(db_->write(broken)));
    EXPECT_EQ(events_.store_failures(), 4U);
}

}  // namespace
}  // namespace warden::auth
