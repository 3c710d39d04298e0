#include <gtest/gtest.h>

#include <set>
#include <string>
#include <warden/jwt/errc.hpp>

namespace warden::jwt {
namespace {

TEST(jwt_errc, token_errors_map_to_invalid_token) {
    for (int e = static_cast<int>(errc::token_too_large); e <= static_cast<int>(errc::wrong_typ);
         ++e) {
        EXPECT_EQ(make_error_code(static_cast<errc>(e)), condition::invalid_token) << e;
    }
}

TEST(jwt_errc, key_errors_map_to_invalid_configuration) {
    for (int e = static_cast<int>(errc::invalid_key); e <= static_cast<int>(errc::invalid_options);
         ++e) {
        EXPECT_EQ(make_error_code(static_cast<errc>(e)), condition::invalid_configuration) << e;
    }
    EXPECT_EQ(make_error_code(errc::crypto_failure), condition::internal);
}

TEST(jwt_errc, every_value_has_its_own_message) {
    std::set<std::string> seen;
    for (int e = 1; e <= static_cast<int>(errc::crypto_failure); ++e) {
        std::string const m = make_error_code(static_cast<errc>(e)).message();
        EXPECT_NE(m, "unknown jwt error") << e;
        EXPECT_TRUE(seen.insert(m).second) << m;
    }
    EXPECT_EQ(make_error_code(static_cast<errc>(999)).message(), "unknown jwt error");
    EXPECT_STREQ(jwt_category().name(), "warden.jwt");
}

TEST(jwt_errc, is_distinct_from_other_categories) {
    EXPECT_NE(jwt_category(), condition_category());
    EXPECT_NE(make_error_code(errc::expired), make_error_code(errc::not_yet_valid));
    EXPECT_NE(make_error_code(errc::malformed), condition::invalid_request);
}

}  // namespace
}  // namespace warden::jwt
