// With Redis holding the revocation list, the database's use cases put their jtis there before
// they commit, and the guard's read asks Redis: both fail closed when Redis does not answer.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace warden::store {
namespace {

class external_revocations : public test::store_test {
  protected:
    void SetUp() override {
        store_test::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        alice_ = add_user("alice@x.io");
        grant const g{refresh_token{"h-1", "f1", alice_.id, "read", 100, 5000}, "j-1", 4000};
        ASSERT_TRUE(s_.sessions->start_session({alice_.id, 0, alice_.password_hash}, g, "", 100));
    }
    user alice_;
};

TEST_P(external_revocations, a_revoked_family_puts_its_jtis_in_redis_only) {
    auto const jtis = s_.sessions->revoke_family("f1", 200);
    ASSERT_TRUE(jtis.has_value());
    EXPECT_EQ(*jtis, (jti_list{{"j-1", 4000}}));
    EXPECT_TRUE(*s_.revocations->is_revoked("j-1"));  // Redis
    EXPECT_TRUE(s_.users->find_token_subject(alice_.id, "j-1")->jti_revoked);
    // A fresh Redis (its data lost): the database kept no copy, so the store cannot know.
    redis_->stop();
    redis_->start();
    EXPECT_FALSE(s_.users->find_token_subject(alice_.id, "j-1")->jti_revoked);
}

TEST_P(external_revocations, the_guards_read_fails_closed_while_redis_is_down) {
    redis_->stop();
    auto const subject = s_.users->find_token_subject(alice_.id, "j-1");
    ASSERT_FALSE(subject.has_value());
    EXPECT_EQ(subject.error(), errc::unavailable);
    EXPECT_EQ(s_.users->ping().error(), errc::unavailable);  // not ready
    // Without a jti to check, the row alone answers.
    EXPECT_TRUE(s_.users->find_token_subject(alice_.id, "").has_value());
    redis_->start();
    EXPECT_TRUE(s_.users->ping().has_value());  // the pool reconnects by itself
    EXPECT_FALSE(s_.users->find_token_subject(alice_.id, "j-1")->jti_revoked);
}

TEST_P(external_revocations, a_revocation_that_cannot_reach_redis_is_rolled_back) {
    redis_->stop();
    EXPECT_EQ(s_.sessions->revoke_family("f1", 200).error(), errc::unavailable);
    EXPECT_EQ(s_.users->update_user(alice_.id, {.bump_token_version = true}, 200).error(),
              errc::unavailable);
    redis_->start();
    // Nothing was committed: the family is live, the version unchanged, so a retry revokes.
    EXPECT_EQ(s_.users->find_user(alice_.id)->token_version, 0);
    auto const state = s_.sessions->consume_refresh_token("h-1", 300);
    ASSERT_TRUE(state.has_value());
    EXPECT_EQ(state->state, refresh_state::fresh);
    auto const retried = s_.sessions->revoke_family("f1", 400);
    ASSERT_TRUE(retried.has_value());
    EXPECT_TRUE(*s_.revocations->is_revoked("j-1"));
}

INSTANTIATE_TEST_SUITE_P(on, external_revocations,
                         ::testing::Values(test::backend::sqlite_redis,
                                           test::backend::postgresql_redis),
                         test::backend_name);

}  // namespace
}  // namespace warden::store
