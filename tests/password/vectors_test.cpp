// Hashes made by Debian's python3-passlib and python3-argon2 (tests/data/password/generate.py)
// and the FastAPI tutorial's fixtures verify unchanged: a user table migrates as it is.
#include <gtest/gtest.h>

#include <string>
#include <warden/password/context.hpp>
#include <warden/password/errc.hpp>

#include "support/test_data.hpp"
#include "test_options.hpp"

namespace warden::password {
namespace {

using test::cheap_context;

TEST(python_vectors, every_passlib_and_argon2_cffi_hash_verifies_as_python_made_it) {
    auto const doc =
        warden::test::read_json(warden::test::data_path("password/python_vectors.json"));
    auto const& vectors = doc.at("vectors").as_array();
    ASSERT_GE(vectors.size(), 25U);
    for (auto const s : {scheme::argon2id, scheme::bcrypt}) {
        auto const ctx = cheap_context(s);
        for (auto const& v : vectors) {
            std::string const name{v.at("name").as_string()};
            std::string const stored{v.at("hash").as_string()};
            auto const kind = ctx.identify(stored);
            ASSERT_TRUE(kind.has_value()) << name << ": " << kind.error().message();
            EXPECT_EQ(password::name(*kind), v.at("scheme").as_string()) << name;
            for (auto const& pw : v.at("match").as_array()) {
                auto const r = ctx.verify(pw.as_string(), stored);
                ASSERT_TRUE(r.has_value()) << name << ": " << r.error().message();
                EXPECT_EQ(*r, verdict::match) << name << " should match " << pw;
            }
            for (auto const& pw : v.at("mismatch").as_array()) {
                auto const r = ctx.verify(pw.as_string(), stored);
                ASSERT_TRUE(r.has_value()) << name << ": " << r.error().message();
                EXPECT_EQ(*r, verdict::mismatch) << name << " should not match " << pw;
            }
        }
    }
}

TEST(python_vectors, are_all_replaced_on_login_except_current_argon2id) {
    auto const doc =
        warden::test::read_json(warden::test::data_path("password/python_vectors.json"));
    auto const ctx = cheap_context();
    for (auto const& v : doc.at("vectors").as_array()) {
        std::string const name{v.at("name").as_string()};
        std::string const stored{v.at("hash").as_string()};
        std::string const password{v.at("match").as_array().at(0).as_string()};
        auto const r = ctx.verify_and_update(password, stored);
        ASSERT_TRUE(r.has_value()) << name << ": " << r.error().message();
        EXPECT_TRUE(r->matched) << name;
        bool const current =
            v.at("scheme").as_string() == "argon2id" && stored.starts_with("$argon2id$v=19$");
        EXPECT_EQ(r->new_hash.has_value(), !current) << name;
        if (r->new_hash) {
            EXPECT_EQ(ctx.verify(password, *r->new_hash).value(), verdict::match) << name;
        }
    }
}

// https://fastapi.tiangolo.com/tutorial/security/oauth2-jwt/ : johndoe / "secret".
constexpr auto fastapi_bcrypt = "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW";
constexpr auto fastapi_argon2 =
    "$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/"
    "P4uod1+Qof8h+1g7bbDlBID48Rc";

TEST(fastapi_fixtures, johndoe_secret_verifies_against_the_bcrypt_fixture) {
    // The default context: "secret" is 6 bytes, below the 8-byte minimum for new passwords,
    // which verification does not apply.
    auto const ctx = context::create({}).value();
    EXPECT_EQ(ctx.verify("secret", fastapi_bcrypt).value(), verdict::match);
    EXPECT_EQ(ctx.verify("Secret", fastapi_bcrypt).value(), verdict::mismatch);
    EXPECT_EQ(ctx.verify("secret ", fastapi_bcrypt).value(), verdict::mismatch);
    EXPECT_EQ(ctx.verify("", fastapi_bcrypt).value(), verdict::mismatch);
}

TEST(fastapi_fixtures, johndoe_secret_verifies_against_the_argon2id_fixture) {
    auto const ctx = context::create({}).value();
    EXPECT_EQ(ctx.verify("secret", fastapi_argon2).value(), verdict::match);
    EXPECT_EQ(ctx.verify("secreT", fastapi_argon2).value(), verdict::mismatch);
    // m=65536,t=3 is above the default m=19456,t=2: kept.
    EXPECT_EQ(ctx.needs_update(fastapi_argon2).value(), update::keep);
}

TEST(fastapi_fixtures, the_bcrypt_fixture_is_upgraded_to_argon2id_on_login) {
    auto const ctx = cheap_context();
    auto const r = ctx.verify_and_update("secret", fastapi_bcrypt);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_TRUE(r->matched);
    ASSERT_TRUE(r->new_hash.has_value());
    EXPECT_TRUE(r->new_hash->starts_with("$argon2id$v=19$"));
    EXPECT_EQ(ctx.verify("secret", *r->new_hash).value(), verdict::match);
}

TEST(fastapi_fixtures, a_bcrypt_context_at_rounds_12_keeps_the_bcrypt_fixture) {
    // CryptContext(schemes=["bcrypt"], deprecated="auto") at its default 12 rounds.
    options o;
    o.default_scheme = scheme::bcrypt;
    o.minimum.bcrypt_rounds = 4;
    o.bcrypt_rounds = 12;
    auto const ctx = test::make_context(o);
    auto const r = ctx.verify_and_update("secret", fastapi_bcrypt);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->matched);
    EXPECT_FALSE(r->new_hash.has_value());
    EXPECT_EQ(ctx.needs_update(fastapi_argon2).value(), update::rehash);
}

}  // namespace
}  // namespace warden::password
