#include <gtest/gtest.h>

#include <warden/password/errc.hpp>
#include <warden/password/options.hpp>
#include <warden/password/scheme.hpp>

namespace warden::password {
namespace {

TEST(scheme, names_round_trip) {
    for (auto s : {scheme::argon2id, scheme::argon2i, scheme::bcrypt, scheme::bcrypt_sha256,
                   scheme::pbkdf2_sha256}) {
        auto const parsed = parse_scheme(name(s));
        ASSERT_TRUE(parsed.has_value()) << name(s);
        EXPECT_EQ(*parsed, s);
    }
    EXPECT_EQ(name(scheme::bcrypt_sha256), "bcrypt_sha256");
}

TEST(scheme, rejects_unknown_names) {
    for (auto text :
         {"", "argon2", "Argon2id", "bcrypt ", "argon2d", "md5_crypt", "bcrypt-sha256"}) {
        auto const parsed = parse_scheme(text);
        ASSERT_FALSE(parsed.has_value()) << text;
        EXPECT_EQ(parsed.error(), errc::unknown_scheme_name);
        EXPECT_EQ(parsed.error(), condition::invalid_configuration);
    }
}

TEST(scheme, only_argon2id_and_bcrypt_are_produced) {
    EXPECT_TRUE(can_hash(scheme::argon2id));
    EXPECT_TRUE(can_hash(scheme::bcrypt));
    EXPECT_FALSE(can_hash(scheme::argon2i));
    EXPECT_FALSE(can_hash(scheme::bcrypt_sha256));
    EXPECT_FALSE(can_hash(scheme::pbkdf2_sha256));
}

TEST(scheme_set, holds_what_was_inserted) {
    scheme_set set{scheme::bcrypt};
    EXPECT_TRUE(set.contains(scheme::bcrypt));
    EXPECT_FALSE(set.contains(scheme::argon2id));
    set.insert(scheme::argon2id).erase(scheme::bcrypt);
    EXPECT_EQ(set, (scheme_set{scheme::argon2id}));
    EXPECT_TRUE(scheme_set{}.empty());
    for (auto s : {scheme::argon2id, scheme::argon2i, scheme::bcrypt, scheme::bcrypt_sha256,
                   scheme::pbkdf2_sha256}) {
        EXPECT_TRUE(scheme_set::all().contains(s));
    }
}

TEST(password_errc, maps_onto_the_shared_conditions) {
    EXPECT_EQ(error_code{errc::password_too_short}, condition::invalid_request);
    EXPECT_EQ(error_code{errc::password_too_long}, condition::invalid_request);
    EXPECT_EQ(error_code{errc::password_not_utf8}, condition::invalid_request);
    EXPECT_EQ(error_code{errc::password_contains_nul}, condition::invalid_request);
    EXPECT_EQ(error_code{errc::password_too_long_for_bcrypt}, condition::invalid_request);
    EXPECT_EQ(error_code{errc::malformed_hash}, condition::internal);
    EXPECT_EQ(error_code{errc::unknown_scheme}, condition::internal);
    EXPECT_EQ(error_code{errc::scheme_not_accepted}, condition::internal);
    EXPECT_EQ(error_code{errc::cost_exceeds_limit}, condition::internal);
    EXPECT_EQ(error_code{errc::hash_failed}, condition::internal);
    EXPECT_EQ(error_code{errc::invalid_costs}, condition::invalid_configuration);
    EXPECT_EQ(error_code{errc::invalid_policy}, condition::invalid_configuration);
    EXPECT_EQ(error_code{errc::invalid_scheme_settings}, condition::invalid_configuration);
    EXPECT_NE(error_code{errc::malformed_hash}, condition::invalid_credentials);
    EXPECT_EQ(std::string{password_category().name()}, "warden.password");
    for (int v = 1; v <= static_cast<int>(errc::invalid_policy); ++v) {
        EXPECT_NE(password_category().message(v), "unknown password error") << v;
    }
    EXPECT_NE(error_code{errc::password_too_long_for_bcrypt}.message().find("72"),
              std::string::npos);
}

TEST(argon2_params_text, parses_the_phc_parameter_form) {
    auto const p = parse_argon2_params("m=19456,t=2,p=1");
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(*p, (argon2_params{.memory_kib = 19456, .iterations = 2, .parallelism = 1}));
    EXPECT_EQ(to_string(*p), "m=19456,t=2,p=1");
}

TEST(argon2_params_text, rejects_other_forms) {
    for (auto text : {"", "m=19456", "m=19456,t=2", "t=2,m=19456,p=1", "m=19456,t=2,p=1,",
                      "m=19456,t=2,p=", "m=19456, t=2, p=1", "m=019456,t=2,p=1", "m=1e4,t=2,p=1",
                      "m=19456,t=2,p=1,x=3", "M=19456,T=2,P=1", "m=4294967296,t=2,p=1"}) {
        auto const p = parse_argon2_params(text);
        ASSERT_FALSE(p.has_value()) << text;
        EXPECT_EQ(p.error(), errc::invalid_costs);
    }
}

}  // namespace
}  // namespace warden::password
