#include "password/argon2.hpp"

#include <argon2.h>
#include <gtest/gtest.h>

#include <string>
#include <warden/password/errc.hpp>

#include "support/test_data.hpp"

namespace warden::password {
namespace {

using namespace std::string_literals;

// RFC 9106 §5: 32-byte password of 0x01, 16-byte salt of 0x02, secret 8 x 0x03, associated
// data 12 x 0x04; m=32 KiB, t=3, p=4, 32-byte tag. Through libargon2's raw API, as the RFC uses
// the secret and associated data that the PHC API has no place for.
std::string rfc9106_tag(argon2_type type) {
    std::string password(32, '\x01');
    std::string salt(16, '\x02');
    std::string secret(8, '\x03');
    std::string ad(12, '\x04');
    std::string out(32, '\0');
    argon2_context ctx{};
    ctx.out = reinterpret_cast<std::uint8_t*>(out.data());
    ctx.outlen = 32;
    ctx.pwd = reinterpret_cast<std::uint8_t*>(password.data());
    ctx.pwdlen = 32;
    ctx.salt = reinterpret_cast<std::uint8_t*>(salt.data());
    ctx.saltlen = 16;
    ctx.secret = reinterpret_cast<std::uint8_t*>(secret.data());
    ctx.secretlen = 8;
    ctx.ad = reinterpret_cast<std::uint8_t*>(ad.data());
    ctx.adlen = 12;
    ctx.t_cost = 3;
    ctx.m_cost = 32;
    ctx.lanes = 4;
    ctx.threads = 4;
    ctx.version = ARGON2_VERSION_13;
    ctx.flags = ARGON2_DEFAULT_FLAGS;
    EXPECT_EQ(argon2_ctx(&ctx, type), ARGON2_OK);
    return out;
}

TEST(argon2_rfc9106, argon2id_test_vector) {
    EXPECT_EQ(rfc9106_tag(Argon2_id),
              test::from_hex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"));
}

TEST(argon2_rfc9106, argon2i_test_vector) {
    EXPECT_EQ(rfc9106_tag(Argon2_i),
              test::from_hex("c814d9d1dc7f37aa13f0d77f2494bda1c8de6b016dd388d29952a4c4672b6ce8"));
}

constexpr auto fastapi_argon2 =
    "$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/"
    "P4uod1+Qof8h+1g7bbDlBID48Rc";

TEST(argon2_parse, reads_every_field_of_a_phc_string) {
    auto const h = parse_argon2(fastapi_argon2);
    ASSERT_TRUE(h.has_value()) << h.error().message();
    EXPECT_EQ(h->kind, scheme::argon2id);
    EXPECT_EQ(h->version, argon2_version_13);
    EXPECT_EQ(h->params, (argon2_params{.memory_kib = 65536, .iterations = 3, .parallelism = 4}));
    EXPECT_EQ(h->salt.size(), 16U);
    EXPECT_EQ(h->digest.size(), 32U);
    EXPECT_EQ(format_argon2(*h), fastapi_argon2);
}

TEST(argon2_parse, reads_argon2i_and_the_versionless_pre_1_3_form) {
    auto const i = parse_argon2("$argon2i$v=19$m=256,t=2,p=2$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");
    ASSERT_TRUE(i.has_value());
    EXPECT_EQ(i->kind, scheme::argon2i);
    auto const old = parse_argon2("$argon2id$m=256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");
    ASSERT_TRUE(old.has_value());
    EXPECT_EQ(old->version, argon2_version_10);
    auto const v16 =
        parse_argon2("$argon2id$v=16$m=256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");
    ASSERT_TRUE(v16.has_value());
    EXPECT_EQ(v16->version, argon2_version_10);
}

TEST(argon2_parse, rejects_every_malformed_variant) {
    std::string const salt = "c2FsdHNhbHQ";               // "saltsalt", 8 bytes
    std::string const digest = "aGFzaGhhc2hoYXNoaGFzaA";  // 16 bytes
    for (std::string const& text : {
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt,                       // no digest
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "$",                 // empty digest
             "$argon2id$v=19$m=256,t=2,p=1$$"s + digest,                    // empty salt
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "$" + digest + "$",  // trailing field
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "$" + digest + "=",  // padding
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "==$" + digest,
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "$" + digest + " ",
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "$" + digest.substr(0, 21) + "B",  // bits
             "$argon2id$v=19$m=256,t=2,p=1$c2FsdA$"s + digest,                 // salt of 4 bytes
             "$argon2id$v=19$m=256,t=2,p=1$"s + salt + "$aGFz",                // digest of 3 bytes
             "$argon2id$v=19$m=256,t=2,p=1$"s + "c2Fsd-Nhb_Q" + "$" + digest,  // base64url
             "$argon2id$v=18$m=256,t=2,p=1$"s + salt + "$" + digest,           // unknown version
             "$argon2id$v=019$m=256,t=2,p=1$"s + salt + "$" + digest,
             "$argon2id$v=$m=256,t=2,p=1$"s + salt + "$" + digest,
             "$argon2id$v=19$t=2,m=256,p=1$"s + salt + "$" + digest,  // order
             "$argon2id$v=19$m=256,p=1,t=2$"s + salt + "$" + digest,
             "$argon2id$v=19$m=256,t=2$"s + salt + "$" + digest,  // missing p
             "$argon2id$v=19$m=256,t=2,p=1,keyid=abc$"s + salt + "$" + digest,
             "$argon2id$v=19$m=256,t=2,p=1,data=abc$"s + salt + "$" + digest,
             "$argon2id$v=19$m=0256,t=2,p=1$"s + salt + "$" + digest,  // leading zero
             "$argon2id$v=19$m=-256,t=2,p=1$"s + salt + "$" + digest,
             "$argon2id$v=19$m=256,t=0,p=1$"s + salt + "$" + digest,         // t = 0
             "$argon2id$v=19$m=256,t=2,p=0$"s + salt + "$" + digest,         // p = 0
             "$argon2id$v=19$m=7,t=2,p=1$"s + salt + "$" + digest,           // under 8 blocks
             "$argon2id$v=19$m=31,t=2,p=4$"s + salt + "$" + digest,          // under 8 per lane
             "$argon2id$v=19$m=4294967296,t=2,p=1$"s + salt + "$" + digest,  // over 32 bits
             "$argon2id$v=19$m=256,t=2,p=16777216$"s + salt + "$" + digest,  // over max lanes
             "$argon2id$v=19$m=256 ,t=2,p=1$"s + salt + "$" + digest,
             "$argon2id$v=19$M=256,t=2,p=1$"s + salt + "$" + digest,
             "$argon2id$v=19$$m=256,t=2,p=1$"s + salt + "$" + digest,
             "$argon2d$v=19$m=256,t=2,p=1$"s + salt + "$" + digest,  // argon2d
             "$argon2$v=19$m=256,t=2,p=1$"s + salt + "$" + digest,
             "argon2id$v=19$m=256,t=2,p=1$"s + salt + "$" + digest,
             "$argon2id$"s,
             ""s,
         }) {
        auto const h = parse_argon2(text);
        EXPECT_FALSE(h.has_value()) << text;
        if (!h) {
            EXPECT_EQ(h.error(), errc::malformed_hash) << text;
        }
    }
}

TEST(argon2_format, matches_libargon2s_own_encoder) {
    std::string const password = "correct horse battery staple";
    std::string const salt = "0123456789abcdef";
    char encoded[256];
    std::string raw(32, '\0');
    ASSERT_EQ(
        argon2_hash(2, 64, 2, password.data(), password.size(), salt.data(), salt.size(),
                    raw.data(), raw.size(), encoded, sizeof encoded, Argon2_id, ARGON2_VERSION_13),
        ARGON2_OK);
    argon2_phc const h{.kind = scheme::argon2id,
                       .version = argon2_version_13,
                       .params = {.memory_kib = 64, .iterations = 2, .parallelism = 2},
                       .salt = salt,
                       .digest = raw};
    EXPECT_EQ(format_argon2(h), std::string{encoded});
    EXPECT_EQ(argon2_verify(encoded, password.data(), password.size(), Argon2_id), ARGON2_OK);
}

TEST(argon2_hash, makes_v19_argon2id_strings_with_16_byte_salts_and_32_byte_digests) {
    argon2_params const params{.memory_kib = 64, .iterations = 1, .parallelism = 1};
    auto const a = hash_argon2id("correct horse", params);
    auto const b = hash_argon2id("correct horse", params);
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_NE(*a, *b);  // fresh salts
    EXPECT_TRUE(a->starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << *a;
    auto const parsed = parse_argon2(*a);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->salt.size(), argon2_salt_size);
    EXPECT_EQ(parsed->digest.size(), argon2_digest_size);
    // libargon2's own verifier agrees.
    EXPECT_EQ(argon2_verify(a->c_str(), "correct horse", 13, Argon2_id), ARGON2_OK);
    EXPECT_EQ(verify_argon2(*parsed, "correct horse").value(), verdict::match);
    EXPECT_EQ(verify_argon2(*parsed, "correct horsE").value(), verdict::mismatch);
    EXPECT_EQ(verify_argon2(*parsed, "").value(), verdict::mismatch);
}

TEST(argon2_unmatchable, is_a_well_formed_hash_at_the_given_cost_that_nothing_matches) {
    argon2_params const params{.memory_kib = 64, .iterations = 1, .parallelism = 2};
    auto const a = unmatchable_argon2id(params);
    auto const b = unmatchable_argon2id(params);
    ASSERT_TRUE(a.has_value() && b.has_value());
    EXPECT_NE(*a, *b);  // fresh salt and digest each time
    auto const parsed = parse_argon2(*a);
    ASSERT_TRUE(parsed.has_value()) << *a;
    EXPECT_EQ(parsed->kind, scheme::argon2id);
    EXPECT_EQ(parsed->params.memory_kib, 64U);
    EXPECT_EQ(parsed->params.iterations, 1U);
    EXPECT_EQ(parsed->params.parallelism, 2U);
    EXPECT_EQ(parsed->digest.size(), 32U);
    for (auto const* password : {"", "password", "correct horse battery staple"}) {
        EXPECT_EQ(verify_argon2(*parsed, password).value(), verdict::mismatch) << password;
    }
}

}  // namespace
}  // namespace warden::password
