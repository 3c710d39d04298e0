#include <warden/core/condition.hpp>

#include <gtest/gtest.h>

#include <warden/core/errc.hpp>

namespace warden {
namespace {

TEST(condition, has_a_message_for_every_value) {
    for (int v = static_cast<int>(condition::invalid_request);
         v <= static_cast<int>(condition::internal); ++v) {
        EXPECT_NE(condition_category().message(v), "unknown condition") << v;
    }
    EXPECT_EQ(condition_category().message(999), "unknown condition");
}

TEST(condition, core_errors_map_onto_conditions) {
    error_code const base64 = core_errc::invalid_base64url;
    EXPECT_EQ(base64, condition::invalid_request);
    EXPECT_NE(base64, condition::invalid_token);
    error_code const random = core_errc::random_failed;
    EXPECT_EQ(random, condition::internal);
    EXPECT_EQ(std::string{base64.category().name()}, "warden.core");
}

TEST(condition, unrelated_codes_match_no_condition) {
    error_code const other{5, boost::system::generic_category()};
    EXPECT_NE(other, condition::invalid_request);
    EXPECT_NE(other, condition::internal);
}

}  // namespace
}  // namespace warden
