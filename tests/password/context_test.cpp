#include <argon2.h>
#include <gtest/gtest.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>
#include <warden/password/context.hpp>
#include <warden/password/errc.hpp>

#include "test_options.hpp"

namespace warden::password {
namespace {

using namespace std::string_literals;
using test::cheap_context;
using test::cheap_options;
using test::make_context;

error_code create_error(options const& o) {
    auto const ctx = context::create(o);
    return ctx ? error_code{} : ctx.error();
}

// --- options ----------------------------------------------------------------------------------

TEST(context_create, accepts_the_defaults) {
    auto const ctx = context::create({});
    ASSERT_TRUE(ctx.has_value()) << ctx.error().message();
    auto const& s = ctx->settings();
    EXPECT_EQ(s.default_scheme, scheme::argon2id);
    EXPECT_EQ(s.argon2, (argon2_params{.memory_kib = 19456, .iterations = 2, .parallelism = 1}));
    EXPECT_EQ(s.bcrypt_rounds, 12U);
    EXPECT_EQ(s.minimum.bcrypt_rounds, 10U);
    EXPECT_EQ(s.policy.min_length, 8U);
    EXPECT_EQ(s.policy.max_length, 1024U);
}

TEST(context_create, rejects_a_default_scheme_it_cannot_produce) {
    for (auto s : {scheme::argon2i, scheme::bcrypt_sha256, scheme::pbkdf2_sha256}) {
        auto o = cheap_options();
        o.default_scheme = s;
        EXPECT_EQ(create_error(o), errc::invalid_scheme_settings) << name(s);
    }
}

TEST(context_create, rejects_a_default_scheme_not_accepted_or_deprecated) {
    auto o = cheap_options();
    o.accepted = {scheme::bcrypt};
    EXPECT_EQ(create_error(o), errc::invalid_scheme_settings);
    o = cheap_options();
    o.deprecated = scheme_set{scheme::argon2id};
    EXPECT_EQ(create_error(o), errc::invalid_scheme_settings);
    EXPECT_EQ(create_error(o), condition::invalid_configuration);
}

TEST(context_create, rejects_bcrypt_rounds_below_the_minimum_of_10_by_default) {
    options o;
    o.default_scheme = scheme::bcrypt;
    o.bcrypt_rounds = 9;
    EXPECT_EQ(create_error(o), errc::invalid_costs);
}

TEST(context_create, rejects_costs_out_of_range) {
    std::vector<options> bad;
    auto o = cheap_options();
    o.bcrypt_rounds = 3;
    o.minimum.bcrypt_rounds = 3;  // below bcrypt's own minimum of 4
    bad.push_back(o);
    o = cheap_options();
    o.bcrypt_rounds = 17;  // above limits.bcrypt_rounds
    bad.push_back(o);
    o = cheap_options();
    o.argon2.memory_kib = 4;  // below minimum.argon2 (8)
    bad.push_back(o);
    o = cheap_options();
    o.argon2 = {.memory_kib = 16, .iterations = 1, .parallelism = 4};  // under 8 KiB per lane
    bad.push_back(o);
    o = cheap_options();
    o.argon2.iterations = 0;
    o.minimum.argon2.iterations = 0;
    bad.push_back(o);
    o = cheap_options();
    o.argon2.parallelism = 0;
    o.minimum.argon2.parallelism = 0;
    bad.push_back(o);
    o = cheap_options();
    o.argon2.memory_kib = 262145;  // above limits.argon2_memory_kib
    bad.push_back(o);
    o = options{};
    o.argon2 = {.memory_kib = 4096, .iterations = 2, .parallelism = 1};  // below the 7168 floor
    bad.push_back(o);
    for (std::size_t i = 0; i < bad.size(); ++i) {
        EXPECT_EQ(create_error(bad[i]), errc::invalid_costs) << i;
    }
}

TEST(context_create, rejects_an_inconsistent_policy_or_limits) {
    std::vector<options> bad;
    auto o = cheap_options();
    o.policy = {.min_length = 20, .max_length = 10};
    bad.push_back(o);
    o = cheap_options();
    o.policy.max_length = 0;
    o.policy.min_length = 0;
    bad.push_back(o);
    o = cheap_options();
    o.policy.max_length = std::size_t{1} << 30;
    bad.push_back(o);
    o = cheap_options();
    o.limits.bcrypt_rounds = 32;
    bad.push_back(o);
    o = cheap_options();
    o.limits.pbkdf2_sha256_rounds = 0;
    bad.push_back(o);
    o = cheap_options();
    o.limits.hash_length = 10;
    bad.push_back(o);
    o = cheap_options();
    o.limits.argon2_parallelism = 0;
    bad.push_back(o);
    for (std::size_t i = 0; i < bad.size(); ++i) {
        EXPECT_EQ(create_error(bad[i]), errc::invalid_policy) << i;
    }
}

// --- hash and the input policy -----------------------------------------------------------------

TEST(context_hash, makes_argon2id_hashes_at_the_default_cost_that_verify) {
    auto const ctx = cheap_context();
    auto const h = ctx.hash("correct horse battery staple");
    ASSERT_TRUE(h.has_value()) << h.error().message();
    EXPECT_TRUE(h->starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << *h;
    EXPECT_EQ(ctx.verify("correct horse battery staple", *h).value(), verdict::match);
    EXPECT_EQ(ctx.verify("correct horse battery stapl", *h).value(), verdict::mismatch);
    EXPECT_NE(ctx.hash("correct horse battery staple").value(), *h);
}

TEST(context_hash, makes_bcrypt_2b_hashes_when_bcrypt_is_the_default) {
    auto const ctx = cheap_context(scheme::bcrypt);
    auto const h = ctx.hash("correct horse battery staple");
    ASSERT_TRUE(h.has_value());
    EXPECT_TRUE(h->starts_with("$2b$04$")) << *h;
    EXPECT_EQ(ctx.verify("correct horse battery staple", *h).value(), verdict::match);
    EXPECT_EQ(ctx.verify("Correct horse battery staple", *h).value(), verdict::mismatch);
}

TEST(context_hash, rejects_a_73_byte_password_for_bcrypt_instead_of_truncating) {
    auto const ctx = cheap_context(scheme::bcrypt);
    auto const h = ctx.hash(std::string(73, 'x'));
    ASSERT_FALSE(h.has_value());
    EXPECT_EQ(h.error(), errc::password_too_long_for_bcrypt);
    EXPECT_EQ(h.error(), condition::invalid_request);
    EXPECT_EQ(ctx.check_new_password(std::string(73, 'x')).error(),
              errc::password_too_long_for_bcrypt);
    // 37 two-byte characters: 74 bytes, also refused (the limit is in bytes).
    std::string e_acute;
    for (int i = 0; i < 37; ++i) e_acute += "\xc3\xa9";
    EXPECT_EQ(ctx.hash(e_acute).error(), errc::password_too_long_for_bcrypt);
}

TEST(context_hash, takes_exactly_72_bytes_for_bcrypt) {
    auto const ctx = cheap_context(scheme::bcrypt);
    std::string const password(72, 'x');
    auto const h = ctx.hash(password);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(ctx.verify(password, *h).value(), verdict::match);
}

TEST(context_hash, takes_long_passwords_for_argon2id) {
    auto const ctx = cheap_context();
    std::string const password(1024, 'x');
    auto const h = ctx.hash(password);
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(ctx.verify(password, *h).value(), verdict::match);
    EXPECT_EQ(ctx.verify(password.substr(0, 72), *h).value(), verdict::mismatch);
}

TEST(context_hash, rejects_a_password_with_a_nul_byte) {
    auto const ctx = cheap_context();
    for (auto const& pw : {"abc\0defghij"s, "\0abcdefghij"s, "abcdefghij\0"s}) {
        auto const h = ctx.hash(pw);
        ASSERT_FALSE(h.has_value());
        EXPECT_EQ(h.error(), errc::password_contains_nul);
    }
    EXPECT_EQ(cheap_context(scheme::bcrypt).hash("abc\0defghij"s).error(),
              errc::password_contains_nul);
}

TEST(context_hash, rejects_invalid_utf8) {
    auto const ctx = cheap_context();
    for (auto const& pw :
         {"password\xff"s, "passw\xc3(rd"s, "\xed\xa0\x80password"s, "password\xc0\xaf"s}) {
        auto const h = ctx.hash(pw);
        ASSERT_FALSE(h.has_value());
        EXPECT_EQ(h.error(), errc::password_not_utf8);
    }
}

TEST(context_hash, enforces_the_length_policy_in_bytes) {
    auto const ctx = cheap_context();
    EXPECT_EQ(ctx.hash("").error(), errc::password_too_short);
    EXPECT_EQ(ctx.hash("1234567").error(), errc::password_too_short);
    EXPECT_TRUE(ctx.hash("12345678").has_value());
    EXPECT_TRUE(ctx.hash("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9").has_value());  // 4 characters, 8 bytes
    EXPECT_EQ(ctx.hash(std::string(1025, 'x')).error(), errc::password_too_long);
    auto o = cheap_options();
    o.policy = {.min_length = 12, .max_length = 16};
    auto const narrow = make_context(o);
    EXPECT_EQ(narrow.hash("12345678901").error(), errc::password_too_short);
    EXPECT_TRUE(narrow.hash("123456789012").has_value());
    EXPECT_EQ(narrow.hash("12345678901234567").error(), errc::password_too_long);
}

TEST(context_check_new_password, applies_the_rules_of_hash_without_hashing) {
    auto const ctx = cheap_context();
    EXPECT_TRUE(ctx.check_new_password("long enough").has_value());
    EXPECT_EQ(ctx.check_new_password("short").error(), errc::password_too_short);
    EXPECT_EQ(ctx.check_new_password("nul\0inside"s).error(), errc::password_contains_nul);
    EXPECT_EQ(ctx.check_new_password("bad utf8 \x80").error(), errc::password_not_utf8);
    EXPECT_TRUE(ctx.check_new_password(std::string(73, 'x')).has_value());  // argon2id default
}

// --- verify: the policy for existing passwords --------------------------------------------------

TEST(context_verify, does_not_apply_the_minimum_length_to_existing_passwords) {
    auto const ctx = cheap_context(scheme::bcrypt);
    auto const h = ctx.hash("a long enough password");
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(ctx.verify("", *h).value(), verdict::mismatch);
    EXPECT_EQ(ctx.verify("short", *h).value(), verdict::mismatch);
}

TEST(context_verify, rejects_nul_invalid_utf8_and_overlong_passwords_as_errors) {
    auto const ctx = cheap_context();
    auto const h = ctx.hash("a long enough password").value();
    EXPECT_EQ(ctx.verify("a long\0enough password"s, h).error(), errc::password_contains_nul);
    EXPECT_EQ(ctx.verify("a long enough password\xff", h).error(), errc::password_not_utf8);
    EXPECT_EQ(ctx.verify(std::string(1025, 'x'), h).error(), errc::password_too_long);
}

// --- stored hashes that cannot be checked --------------------------------------------------------

TEST(context_verify, says_unknown_scheme_for_hashes_of_other_schemes) {
    auto const ctx = cheap_context();
    for (
        auto const& stored : {
            "$1$deadbeef$0Huu6KHrKLVWfqa4WljDE0"s,                               // md5crypt
            "$5$rounds=1000$salt$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"s,  // sha256crypt
            "$6$salt$IxDD3jeSOb5eB1CX5LBsqZFVkJdido3OUILO5Ifz5iwMuTS4XMS130MTSuDDl3aCI6WouIL9AjRbLCelDCy.g."s,
            "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7"s,  // yescrypt
            "$argon2d$v=19$m=256,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"s,
            "$2x$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"s,
            "$2$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"s,
            "$pbkdf2$1000$c2FsdA$aGFzaA"s,
            "$pbkdf2-sha512$25000$c2FsdA$aGFzaA"s,
            "$django$pbkdf2_sha256$..."s,
            "pbkdf2_sha256$600000$salt$hash="s,  // Django
            "{SSHA}abcdefgh"s,
            "5f4dcc3b5aa765d61d8327deb882cf99"s,  // md5 hex
            "password"s,
            ""s,
            "$"s,
            "$$"s,
        }) {
        auto const r = ctx.verify("password", stored);
        ASSERT_FALSE(r.has_value()) << stored;
        EXPECT_EQ(r.error(), errc::unknown_scheme) << stored;
        EXPECT_EQ(r.error(), condition::internal);
    }
}

TEST(context_verify, says_scheme_not_accepted_for_a_narrowed_context) {
    auto o = cheap_options();
    o.accepted = {scheme::argon2id};
    auto const ctx = make_context(o);
    auto const bcrypt_hash = cheap_context(scheme::bcrypt).hash("a long enough password").value();
    auto const r = ctx.verify("a long enough password", bcrypt_hash);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::scheme_not_accepted);
    EXPECT_EQ(ctx.identify(bcrypt_hash).error(), errc::scheme_not_accepted);
}

TEST(context_verify, refuses_stored_costs_above_the_limits_without_running_them) {
    auto const ctx = cheap_context();
    for (
        auto const& stored : {
            // bcrypt 2^31 rounds would take days
            "$2b$31$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW"s,
            "$2b$17$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW"s,
            "$bcrypt-sha256$v=2,t=2b,r=20$qQCLqN5STlLzJNtEyMO3/.$HQjyJxycfMNQ3VP8prKlj0KAEKJTAD2"s,
            // 4 TiB of argon2 memory, 2^32-1 passes, 65 lanes
            "$argon2id$v=19$m=4294967295,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"s,
            "$argon2id$v=19$m=262145,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"s,
            "$argon2id$v=19$m=1024,t=4294967295,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"s,
            "$argon2i$v=19$m=1024,t=1,p=65$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"s,
            "$pbkdf2-sha256$4294967295$m7N2bk3pfU9J6R1DCGFM6Q$SEAtak0tjvVvF2sj.mbwcdSdVsK1MyI0WCDkQ4Bho5c"s,
        }) {
        auto const start = std::chrono::steady_clock::now();
        auto const r = ctx.verify("password", stored);
        ASSERT_FALSE(r.has_value()) << stored;
        EXPECT_EQ(r.error(), errc::cost_exceeds_limit) << stored;
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds{1}) << stored;
    }
}

TEST(context_verify, says_malformed_for_an_overlong_stored_hash) {
    auto const ctx = cheap_context();
    auto const stored =
        "$argon2id$v=19$m=64,t=1,p=1$" + std::string(600, 'A') + "$aGFzaGhhc2hoYXNoaGFzaA";
    EXPECT_EQ(ctx.verify("password", stored).error(), errc::malformed_hash);
}

/// Every way of cutting or garbling a valid hash gives an error or "no match", never a match.
void expect_no_garbled_match(context const& ctx, std::string const& password,
                             std::string const& good, std::vector<std::size_t> const& skip = {}) {
    ASSERT_EQ(ctx.verify(password, good).value(), verdict::match) << good;
    for (std::size_t n = 0; n < good.size(); ++n) {
        auto const r = ctx.verify(password, good.substr(0, n));
        EXPECT_TRUE(!r.has_value() || *r == verdict::mismatch) << "prefix " << n << " of " << good;
        if (!r) {
            EXPECT_TRUE(r.error() == errc::malformed_hash || r.error() == errc::unknown_scheme)
                << good.substr(0, n) << ": " << r.error().message();
        }
    }
    for (std::size_t i = 0; i < good.size(); ++i) {
        if (std::find(skip.begin(), skip.end(), i) != skip.end()) continue;
        for (char c : "$,=.+/0A9zv \xff"s + '\0') {
            if (c == good[i]) continue;
            std::string garbled = good;
            garbled[i] = c;
            auto const r = ctx.verify(password, garbled);
            EXPECT_TRUE(!r.has_value() || *r == verdict::mismatch)
                << "garbled at " << i << ": " << garbled;
        }
        std::string removed = good;
        removed.erase(i, 1);
        auto const r = ctx.verify(password, removed);
        EXPECT_TRUE(!r.has_value() || *r == verdict::mismatch)
            << "removed at " << i << ": " << removed;
    }
    auto const r = ctx.verify(password, good + "A");
    EXPECT_TRUE(!r.has_value() || *r == verdict::mismatch) << good << "A";
}

TEST(context_verify, never_matches_a_cut_or_garbled_argon2id_hash) {
    auto const ctx = cheap_context();
    expect_no_garbled_match(ctx, "correct horse", ctx.hash("correct horse").value());
}

TEST(context_verify, never_matches_a_cut_or_garbled_argon2i_hash) {
    char encoded[160];
    std::string const salt = "saltsaltsaltsalt";
    std::string raw(32, '\0');
    ASSERT_EQ(argon2_hash(1, 64, 1, "correct horse", 13, salt.data(), salt.size(), raw.data(),
                          raw.size(), encoded, sizeof encoded, Argon2_i, ARGON2_VERSION_13),
              ARGON2_OK);
    expect_no_garbled_match(cheap_context(), "correct horse", encoded);
}

TEST(context_verify, never_matches_a_cut_or_garbled_bcrypt_hash) {
    auto const ctx = cheap_context(scheme::bcrypt);
    // Skipped: the minor version (2a/2b/2y are one algorithm for this password) and the salt's
    // last character, whose 4 unused bits bcrypt ignores.
    expect_no_garbled_match(ctx, "correct horse", ctx.hash("correct horse").value(), {2, 28});
}

TEST(context_verify, never_matches_a_cut_or_garbled_bcrypt_sha256_hash) {
    // passlib: bcrypt_sha256.using(rounds=4).hash("password")
    expect_no_garbled_match(
        cheap_context(), "password",
        "$bcrypt-sha256$v=2,t=2b,r=4$qQCLqN5STlLzJNtEyMO3/.$HQjyJxycfMNQ3VP8prKlj0KAEKJTAD2");
}

TEST(context_verify, never_matches_a_cut_or_garbled_pbkdf2_sha256_hash) {
    // passlib: pbkdf2_sha256.using(rounds=1000, salt_size=17).hash(...)
    expect_no_garbled_match(
        cheap_context(), "correct horse battery staple",
        "$pbkdf2-sha256$1000$KqX03ltLKaXUeg/B.H/vPec$KUb9dyLlLLCqIte5WcHySBNZHtxn4.sKvkEPgKF2aWw");
}

// --- verify_and_update ---------------------------------------------------------------------------

TEST(context_verify_and_update, upgrades_bcrypt_to_argon2id) {
    auto const ctx = cheap_context();
    auto const old = cheap_context(scheme::bcrypt).hash("correct horse").value();
    auto const r = ctx.verify_and_update("correct horse", old);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_TRUE(r->matched);
    ASSERT_TRUE(r->new_hash.has_value());
    EXPECT_TRUE(r->new_hash->starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << *r->new_hash;
    EXPECT_EQ(ctx.verify("correct horse", *r->new_hash).value(), verdict::match);
    EXPECT_EQ(ctx.needs_update(*r->new_hash).value(), update::keep);
}

TEST(context_verify_and_update, gives_no_new_hash_on_a_wrong_password) {
    auto const ctx = cheap_context();
    auto const old = cheap_context(scheme::bcrypt).hash("correct horse").value();
    auto const r = ctx.verify_and_update("wrong horse", old);
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r->matched);
    EXPECT_FALSE(r->new_hash.has_value());
}

TEST(context_verify_and_update, keeps_a_current_hash) {
    auto const ctx = cheap_context();
    auto const h = ctx.hash("correct horse").value();
    auto const r = ctx.verify_and_update("correct horse", h);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->matched);
    EXPECT_FALSE(r->new_hash.has_value());
}

TEST(context_verify_and_update, raises_a_low_argon2_cost_to_the_default) {
    auto const low = cheap_context().hash("correct horse").value();  // m=64,t=1
    auto o = cheap_options();
    o.argon2 = {.memory_kib = 128, .iterations = 2, .parallelism = 1};
    auto const ctx = make_context(o);
    EXPECT_EQ(ctx.needs_update(low).value(), update::rehash);
    auto const r = ctx.verify_and_update("correct horse", low);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->matched);
    ASSERT_TRUE(r->new_hash.has_value());
    EXPECT_TRUE(r->new_hash->starts_with("$argon2id$v=19$m=128,t=2,p=1$")) << *r->new_hash;
}

TEST(context_verify_and_update, never_lowers_a_higher_cost) {
    auto o = cheap_options();
    o.argon2 = {.memory_kib = 128, .iterations = 2, .parallelism = 2};
    auto const high = make_context(o).hash("correct horse").value();
    auto const ctx = cheap_context();  // m=64,t=1,p=1
    EXPECT_EQ(ctx.needs_update(high).value(), update::keep);
    auto const r = ctx.verify_and_update("correct horse", high);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->matched);
    EXPECT_FALSE(r->new_hash.has_value());
}

TEST(context_verify_and_update, raises_low_bcrypt_rounds_to_the_default) {
    auto const low = cheap_context(scheme::bcrypt).hash("correct horse").value();  // rounds 4
    auto o = cheap_options(scheme::bcrypt);
    o.bcrypt_rounds = 5;
    auto const ctx = make_context(o);
    auto const r = ctx.verify_and_update("correct horse", low);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->matched);
    ASSERT_TRUE(r->new_hash.has_value());
    EXPECT_TRUE(r->new_hash->starts_with("$2b$05$")) << *r->new_hash;
    // ... and keeps higher rounds.
    auto const higher = make_context(o).hash("correct horse").value();
    EXPECT_FALSE(
        cheap_context(scheme::bcrypt).verify_and_update("correct horse", higher)->new_hash);
}

TEST(context_verify_and_update, rehashes_bcrypt_below_the_minimum_even_when_not_deprecated) {
    auto o = cheap_options();
    o.deprecated = scheme_set{};  // keep bcrypt hashes as they are...
    o.minimum.bcrypt_rounds = 5;  // ...unless they are too cheap
    o.bcrypt_rounds = 5;
    auto const ctx = make_context(o);
    auto const r4 = cheap_context(scheme::bcrypt).hash("correct horse").value();
    auto o5 = cheap_options(scheme::bcrypt);
    o5.bcrypt_rounds = 5;
    auto const r5 = make_context(o5).hash("correct horse").value();
    EXPECT_EQ(ctx.needs_update(r4).value(), update::rehash);
    EXPECT_EQ(ctx.needs_update(r5).value(), update::keep);
    auto const r = ctx.verify_and_update("correct horse", r4);
    ASSERT_TRUE(r.has_value() && r->new_hash.has_value());
    EXPECT_TRUE(r->new_hash->starts_with("$argon2id$"));
}

TEST(context_verify_and_update, rehashes_an_existing_short_password_despite_the_policy) {
    // The FastAPI tutorial's "secret" (6 bytes) in a cheap bcrypt hash: the user logs in and
    // gets an argon2id hash; the minimum length applies to new passwords only.
    auto const ctx = cheap_context();
    auto const old = "$2b$04$.J36LSHPrAkBL4l9.aJHyuRFrmpIvneJI36NEeyT70aqpiceGWBUC"s;  // passlib
    auto const r = ctx.verify_and_update("secret", old);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_TRUE(r->matched);
    ASSERT_TRUE(r->new_hash.has_value());
    EXPECT_EQ(ctx.verify("secret", *r->new_hash).value(), verdict::match);
}

TEST(context_verify_and_update, keeps_the_old_hash_when_bcrypt_cannot_take_the_password) {
    // passlib bcrypt_sha256 of a 100-byte password, in a context that now makes bcrypt.
    auto const long_password =
        "0123456789012345678901234567890123456789012345678901234567890123456789ab-this-tail-is-beyond-byte-72"s;
    ASSERT_EQ(long_password.size(), 100U);
    auto const stored =
        "$bcrypt-sha256$v=2,t=2b,r=4$6HVJqhKz4wjQFAi4q7GV4O$oL6wktx7dcdOLu5q2gcfS48KnM7UplS"s;
    auto const ctx = cheap_context(scheme::bcrypt);
    auto const r = ctx.verify_and_update(long_password, stored);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_TRUE(r->matched);
    EXPECT_FALSE(r->new_hash.has_value());
    // argon2id takes it.
    auto const upgraded = cheap_context().verify_and_update(long_password, stored);
    ASSERT_TRUE(upgraded.has_value() && upgraded->new_hash.has_value());
}

TEST(context_needs_update, follows_deprecated_auto) {
    auto const ctx = cheap_context();
    EXPECT_EQ(ctx.needs_update(cheap_context(scheme::bcrypt).hash("correct horse").value()).value(),
              update::rehash);
    EXPECT_EQ(ctx.needs_update("$argon2i$v=19$m=256,t=2,p=2$a1FJTWIeKRSxnF17BD4HBQ$"
                               "4gN4giGIZD3UKAJcy7xCGYAJgCsk9GQknuViITHfHKs")
                  .value(),
              update::rehash);
    EXPECT_EQ(
        ctx.needs_update(
               "$bcrypt-sha256$v=2,t=2b,r=4$qQCLqN5STlLzJNtEyMO3/.$HQjyJxycfMNQ3VP8prKlj0KAEKJTAD2")
            .value(),
        update::rehash);
    EXPECT_EQ(ctx.needs_update("$pbkdf2-sha256$29000$m7N2bk3pfU9J6R1DCGFM6Q$SEAtak0tjvVvF2sj."
                               "mbwcdSdVsK1MyI0WCDkQ4Bho5c")
                  .value(),
              update::rehash);
    EXPECT_EQ(ctx.needs_update(ctx.hash("correct horse").value()).value(), update::keep);
    // A bcrypt context deprecates argon2id in turn.
    EXPECT_EQ(cheap_context(scheme::bcrypt).needs_update(ctx.hash("correct horse").value()).value(),
              update::rehash);
}

TEST(context_needs_update, flags_legacy_variants_of_the_default_scheme) {
    auto const ctx = cheap_context();
    // argon2id v=16 at a sufficient cost.
    char encoded[160];
    std::string const salt = "saltsaltsaltsalt";
    std::string raw(32, '\0');
    ASSERT_EQ(argon2_hash(1, 64, 1, "pw", 2, salt.data(), salt.size(), raw.data(), raw.size(),
                          encoded, sizeof encoded, Argon2_id, ARGON2_VERSION_10),
              ARGON2_OK);
    EXPECT_EQ(ctx.needs_update(encoded).value(), update::rehash);
    EXPECT_EQ(ctx.verify("pw", encoded).value(), verdict::match);
    // bcrypt_sha256 v1 while bcrypt_sha256 is not deprecated.
    auto o = cheap_options();
    o.deprecated = scheme_set{};
    auto const keep = make_context(o);
    EXPECT_EQ(keep.needs_update(
                      "$bcrypt-sha256$2b,4$ogweQBQ2.HJcAvzpoiPoRe$PEPpL5GvhZJ8oTv3FJ34dz.bAsYpjZi")
                  .value(),
              update::rehash);
    EXPECT_EQ(keep.needs_update("$bcrypt-sha256$v=2,t=2b,r=4$qQCLqN5STlLzJNtEyMO3/"
                                ".$HQjyJxycfMNQ3VP8prKlj0KAEKJTAD2")
                  .value(),
              update::keep);
    // A bcrypt salt with stray padding bits.
    auto const b = cheap_context(scheme::bcrypt);
    EXPECT_EQ(
        b.needs_update("$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm").value(),
        update::keep);
    EXPECT_EQ(
        b.needs_update("$2b$04$abcdefghijklmnopqrstuvghE8Ev8uGFaUgY2cNEySvxngrb/Jzdm").value(),
        update::rehash);
}

TEST(context_needs_update, reports_stored_hash_errors) {
    auto const ctx = cheap_context();
    EXPECT_EQ(ctx.needs_update("$2b$04$short").error(), errc::malformed_hash);
    EXPECT_EQ(ctx.needs_update("$1$x$y").error(), errc::unknown_scheme);
}

TEST(context_identify, names_the_scheme_of_each_stored_hash) {
    auto const ctx = cheap_context();
    EXPECT_EQ(ctx.identify(ctx.hash("correct horse").value()).value(), scheme::argon2id);
    EXPECT_EQ(ctx.identify("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW").value(),
              scheme::bcrypt);
    EXPECT_EQ(ctx.identify("$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e").value(),
              scheme::bcrypt);
    EXPECT_EQ(ctx.identify("$argon2i$v=19$m=256,t=2,p=2$a1FJTWIeKRSxnF17BD4HBQ$"
                           "4gN4giGIZD3UKAJcy7xCGYAJgCsk9GQknuViITHfHKs")
                  .value(),
              scheme::argon2i);
    EXPECT_EQ(
        ctx.identify("$bcrypt-sha256$2b,4$ogweQBQ2.HJcAvzpoiPoRe$PEPpL5GvhZJ8oTv3FJ34dz.bAsYpjZi")
            .value(),
        scheme::bcrypt_sha256);
    EXPECT_EQ(ctx.identify("$pbkdf2-sha256$29000$m7N2bk3pfU9J6R1DCGFM6Q$SEAtak0tjvVvF2sj."
                           "mbwcdSdVsK1MyI0WCDkQ4Bho5c")
                  .value(),
              scheme::pbkdf2_sha256);
    EXPECT_EQ(ctx.identify("$argon2id$v=19$m=64,t=1").error(), errc::malformed_hash);
}

// --- dummy_verify
// ----------------------------------------------------------------------------------

TEST(context_dummy_verify, succeeds_and_matches_nothing) {
    auto const ctx = cheap_context();
    EXPECT_TRUE(ctx.dummy_verify("any password").has_value());
    EXPECT_TRUE(ctx.dummy_verify("").has_value());
}

TEST(context_dummy_verify, returns_the_password_errors_verify_would) {
    auto const ctx = cheap_context();
    EXPECT_EQ(ctx.dummy_verify("nul\0"s).error(), errc::password_contains_nul);
    EXPECT_EQ(ctx.dummy_verify("\xff").error(), errc::password_not_utf8);
    EXPECT_EQ(ctx.dummy_verify(std::string(1025, 'x')).error(), errc::password_too_long);
}

/// CPU seconds this thread spent in `f`: unlike wall time, not inflated by other processes on a
/// busy machine (argon2 with p=1 and bcrypt run on the calling thread).
double thread_cpu_seconds(auto&& f) {
    auto now = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    };
    double const start = now();
    f();
    return now() - start;
}

/// The fastest of several runs of each of `a` and `b`, interleaved.
std::pair<double, double> fastest_seconds(auto&& a, auto&& b) {
    double best_a = 1e9;
    double best_b = 1e9;
    for (int i = 0; i < 7; ++i) {
        best_a = std::min(best_a, thread_cpu_seconds(a));
        best_b = std::min(best_b, thread_cpu_seconds(b));
    }
    return {best_a, best_b};
}

TEST(context_dummy_verify, costs_about_what_a_real_verify_costs) {
    for (auto s : {scheme::argon2id, scheme::bcrypt}) {
        auto o = cheap_options(s);
        o.bcrypt_rounds = 8;                                                 // ~20 ms
        o.argon2 = {.memory_kib = 8192, .iterations = 2, .parallelism = 1};  // ~15 ms
        auto const ctx = make_context(o);
        auto const stored = ctx.hash("the user's password").value();
        auto const [real, dummy] = fastest_seconds(
            [&] { EXPECT_EQ(ctx.verify("a wrong password", stored).value(), verdict::mismatch); },
            [&] { EXPECT_TRUE(ctx.dummy_verify("a wrong password").has_value()); });
        EXPECT_GT(dummy / real, 0.5)
            << name(s) << ": real " << real << " s, dummy " << dummy << " s";
        EXPECT_LT(dummy / real, 2.0)
            << name(s) << ": real " << real << " s, dummy " << dummy << " s";
    }
}

}  // namespace
}  // namespace warden::password
