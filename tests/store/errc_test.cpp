#include <warden/store/errc.hpp>

#include <gtest/gtest.h>

#include <warden/core/errc.hpp>

namespace warden::store {
namespace {

TEST(store_errc, maps_every_code_onto_its_condition) {
    EXPECT_EQ(make_error_code(errc::not_found), condition::not_found);
    EXPECT_EQ(make_error_code(errc::email_taken), condition::conflict);
    EXPECT_EQ(make_error_code(errc::bad_url), condition::invalid_configuration);
    EXPECT_EQ(make_error_code(errc::unavailable), condition::unavailable);
    EXPECT_EQ(make_error_code(errc::migration_failed), condition::invalid_configuration);
    EXPECT_EQ(make_error_code(errc::backend_error), condition::internal);
    EXPECT_EQ(make_error_code(errc::invalid_argument), condition::invalid_request);
    EXPECT_EQ(make_error_code(errc::family_revoked), condition::invalid_grant);
    EXPECT_EQ(make_error_code(errc::credentials_changed), condition::conflict);
}

TEST(store_errc, does_not_match_other_conditions) {
    EXPECT_NE(make_error_code(errc::not_found), condition::conflict);
    EXPECT_NE(make_error_code(errc::email_taken), condition::not_found);
    EXPECT_NE(make_error_code(errc::unavailable), condition::internal);
    EXPECT_NE(make_error_code(errc::family_revoked), condition::invalid_token);
}

TEST(store_errc, has_a_name_and_a_message_for_every_code) {
    EXPECT_STREQ(store_category().name(), "warden.store");
    for (int v = 1; v <= static_cast<int>(errc::credentials_changed); ++v) {
        auto const m = error_code(v, store_category()).message();
        EXPECT_FALSE(m.empty());
        EXPECT_NE(m, "unknown store error") << v;
    }
    EXPECT_EQ(error_code(999, store_category()).message(), "unknown store error");
}

TEST(store_errc, codes_are_distinct_from_other_categories) {
    EXPECT_NE(make_error_code(errc::not_found), make_error_code(core_errc::invalid_base64url));
    EXPECT_NE(&store_category(), &core_category());
}

}  // namespace
}  // namespace warden::store
