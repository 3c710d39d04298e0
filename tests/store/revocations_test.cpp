// revocation_store on every backend.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace warden::store {
namespace {

using revocations = test::store_test;

TEST_P(revocations, a_revoked_jti_is_revoked) {
    ASSERT_TRUE(s_.revocations->revoke_jti("j1", 100));
    EXPECT_TRUE(*s_.revocations->is_revoked("j1"));
}

TEST_P(revocations, other_jtis_are_not_revoked) {
    ASSERT_TRUE(s_.revocations->revoke_jti("j1", 100));
    EXPECT_FALSE(*s_.revocations->is_revoked("j2"));
    EXPECT_FALSE(*s_.revocations->is_revoked("J1"));
    EXPECT_FALSE(*s_.revocations->is_revoked("j1 "));
    EXPECT_FALSE(*s_.revocations->is_revoked(""));
    EXPECT_FALSE(*s_.revocations->is_revoked("j%"));
}

TEST_P(revocations, revoking_twice_keeps_the_later_expiry) {
    if (uses_redis())
        GTEST_SKIP() << "Redis expires revocations by its own clock (redis_store_test)";
    ASSERT_TRUE(s_.revocations->revoke_jti("j1", 300));
    ASSERT_TRUE(s_.revocations->revoke_jti("j1", 100));
    EXPECT_EQ(*s_.revocations->purge_expired_revocations(200), 0);
    EXPECT_TRUE(*s_.revocations->is_revoked("j1"));
    EXPECT_EQ(*s_.revocations->purge_expired_revocations(300), 1);
    EXPECT_FALSE(*s_.revocations->is_revoked("j1"));
}

TEST_P(revocations, an_empty_jti_is_refused) {
    EXPECT_EQ(s_.revocations->revoke_jti("", 100).error(), errc::invalid_argument);
}

TEST_P(revocations, purge_removes_only_what_expired_by_now) {
    if (uses_redis())
        GTEST_SKIP() << "Redis expires revocations by its own clock (redis_store_test)";
    ASSERT_TRUE(s_.revocations->revoke_jti("a", 100));
    ASSERT_TRUE(s_.revocations->revoke_jti("b", 200));
    ASSERT_TRUE(s_.revocations->revoke_jti("c", 300));
    EXPECT_EQ(*s_.revocations->purge_expired_revocations(99), 0);
    EXPECT_EQ(*s_.revocations->purge_expired_revocations(200), 2);
    EXPECT_FALSE(*s_.revocations->is_revoked("a"));
    EXPECT_FALSE(*s_.revocations->is_revoked("b"));
    EXPECT_TRUE(*s_.revocations->is_revoked("c"));
    EXPECT_EQ(*s_.revocations->purge_expired_revocations(200), 0);
}

TEST_P(revocations, purge_of_an_empty_list_removes_nothing) {
    EXPECT_EQ(*s_.revocations->purge_expired_revocations(1'000'000), 0);
}

WARDEN_ON_EVERY_BACKEND(revocations);

}  // namespace
}  // namespace warden::store
