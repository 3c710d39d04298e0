#include "password/bcrypt.hpp"

#include <gtest/gtest.h>

#include <string>
#include <warden/password/errc.hpp>

#include "support/test_data.hpp"

namespace warden::password {
namespace {

using namespace std::string_literals;

constexpr auto fastapi_bcrypt = "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW";

TEST(bcrypt_vectors, openwall_and_openbsd_vectors_verify_through_libxcrypt) {
    auto const doc = test::read_json(test::data_path("password/bcrypt_openwall.json"));
    auto const& vectors = doc.at("vectors").as_array();
    ASSERT_GE(vectors.size(), 20U);
    for (auto const& v : vectors) {
        std::string const text{v.at("hash").as_string()};
        std::string const password = test::from_hex(v.at("password_hex").as_string());
        auto const h = parse_bcrypt(text);
        ASSERT_TRUE(h.has_value()) << text;
        EXPECT_EQ(verify_bcrypt(*h, password).value(), verdict::match) << text;
        EXPECT_EQ(verify_bcrypt(*h, password + "x").value(),
                  password.size() >= 72 ? verdict::match : verdict::mismatch)
            << text;
        if (!password.empty()) {
            std::string flipped = password;
            flipped[0] = static_cast<char>(flipped[0] ^ 0x01);
            EXPECT_EQ(verify_bcrypt(*h, flipped).value(), verdict::mismatch) << text;
        }
    }
}

TEST(bcrypt_parse, reads_ident_rounds_and_salt) {
    auto const h = parse_bcrypt(fastapi_bcrypt);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->minor, 'b');
    EXPECT_EQ(h->rounds, 12U);
    EXPECT_TRUE(h->canonical_salt);
}

TEST(bcrypt_parse, rejects_every_malformed_variant) {
    std::string const good = fastapi_bcrypt;
    for (std::string const& text : {
             good.substr(0, 59),           // truncated
             good + "a",                   // too long
             good.substr(0, 29),           // a setting, no digest
             "$2x$12$"s + good.substr(7),  // the buggy variant
             "$2c$12$"s + good.substr(7),
             "$2$12$"s + good.substr(7),
             "$3b$12$"s + good.substr(7),
             "$2b$1$"s + good.substr(6),
             "$2b$03$"s + good.substr(7),  // rounds below 4
             "$2b$32$"s + good.substr(7),  // rounds above 31
             "$2b$1a$"s + good.substr(7),
             "$2b$+1$"s + good.substr(7),
             "$2b$12"s + "!" + good.substr(7),
             "$2b$12$"s + good.substr(7, 21) + "+" + good.substr(29),  // not bcrypt base64
             "$2b$12$"s + good.substr(7, 52) + "=",
             "$2b$12$"s + good.substr(7, 52) + "$",
             "$2b$12$"s + good.substr(7, 30) + "\0"s + good.substr(38),
             " "s + good.substr(1),
             ""s,
         }) {
        auto const h = parse_bcrypt(text);
        EXPECT_FALSE(h.has_value()) << text;
        if (!h) {
            EXPECT_EQ(h.error(), errc::malformed_hash) << text;
        }
    }
}

TEST(bcrypt_parse, notes_a_salt_with_stray_padding_bits) {
    // A last salt character of "u" (110000) is clean; "v" (110001) sets an unused bit.
    auto const h = parse_bcrypt("$2b$04$abcdefghijklmnopqrstuvghE8Ev8uGFaUgY2cNEySvxngrb/Jzdm");
    ASSERT_TRUE(h.has_value());
    EXPECT_FALSE(h->canonical_salt);
}

TEST(bcrypt_verify, ignores_stray_salt_padding_bits_as_libxcrypt_and_passlib_do) {
    // The same digest under the clean salt "...u" and the unclean "...v" (passlib: True).
    auto const clean = parse_bcrypt("$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm");
    auto const unclean =
        parse_bcrypt("$2b$04$abcdefghijklmnopqrstuvghE8Ev8uGFaUgY2cNEySvxngrb/Jzdm");
    ASSERT_TRUE(clean.has_value() && unclean.has_value());
    EXPECT_EQ(verify_bcrypt(*clean, "password").value(), verdict::match);
    EXPECT_EQ(verify_bcrypt(*unclean, "password").value(), verdict::match);
    EXPECT_EQ(verify_bcrypt(*unclean, "passwore").value(), verdict::mismatch);
}

TEST(bcrypt_verify, uses_the_first_72_bytes_as_every_bcrypt_does) {
    std::string const password(72, 'k');
    auto const made = hash_bcrypt(password, 4);
    ASSERT_TRUE(made.has_value());
    auto const h = parse_bcrypt(*made);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(verify_bcrypt(*h, password).value(), verdict::match);
    EXPECT_EQ(verify_bcrypt(*h, password + "tail").value(), verdict::match);
    EXPECT_EQ(verify_bcrypt(*h, std::string(600, 'k')).value(),
              verdict::match);  // beyond crypt's 512
    EXPECT_EQ(verify_bcrypt(*h, password.substr(0, 71)).value(), verdict::mismatch);
}

TEST(bcrypt_hash, makes_2b_strings_with_fresh_salts) {
    auto const a = hash_bcrypt("correct horse", 5);
    auto const b = hash_bcrypt("correct horse", 5);
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_NE(*a, *b);
    EXPECT_TRUE(a->starts_with("$2b$05$")) << *a;
    auto const h = parse_bcrypt(*a);
    ASSERT_TRUE(h.has_value());
    EXPECT_TRUE(h->canonical_salt);
    EXPECT_EQ(verify_bcrypt(*h, "correct horse").value(), verdict::match);
    EXPECT_EQ(verify_bcrypt(*h, "correct horsE").value(), verdict::mismatch);
}

TEST(bcrypt_digest, refuses_a_nul_that_would_end_the_password_early) {
    auto const d = bcrypt_digest(std::string{"abc\0def", 7}, "$2b$04$abcdefghijklmnopqrstuu");
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error(), errc::password_contains_nul);
}

TEST(bcrypt_digest, fails_on_a_setting_libxcrypt_refuses) {
    auto const d = bcrypt_digest("password", "$2b$99$abcdefghijklmnopqrstuu");
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error(), errc::hash_failed);
}

TEST(bcrypt_unmatchable, is_a_well_formed_2b_hash_at_the_given_cost_that_nothing_matches) {
    auto const a = unmatchable_bcrypt(4);
    auto const b = unmatchable_bcrypt(4);
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_NE(*a, *b);
    EXPECT_EQ(a->substr(0, 7), "$2b$04$");
    auto const parsed = parse_bcrypt(*a);
    ASSERT_TRUE(parsed.has_value()) << *a;
    EXPECT_EQ(parsed->rounds, 4U);
    for (auto const* password : {"", "password", "correct horse battery staple"}) {
        EXPECT_EQ(verify_bcrypt(*parsed, password).value(), verdict::mismatch) << password;
    }
}

}  // namespace
}  // namespace warden::password
