#include <warden/auth/signing_keys.hpp>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <warden/core/sealed_box.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/store/errc.hpp>

#include "auth/fake_key_store.hpp"

namespace warden::auth {
namespace {

using namespace std::chrono_literals;

secret_bytes kek(char fill = 'k') { return secret_bytes{std::string(32, fill)}; }

class signing_keys_test : public ::testing::Test {
  protected:
    [[nodiscard]] std::int64_t now() const { return to_unix_seconds(clock_.now()); }
    [[nodiscard]] signing_keys keys_with(char fill) {
        return signing_keys{store_, kek(fill), {.access_ttl = 60s, .leeway = 5s}, clock_};
    }

    test::fake_key_store store_;
    manual_clock clock_;
    signing_keys keys_{store_, kek(), {.access_ttl = 60s, .leeway = 5s}, clock_};
};

TEST_F(signing_keys_test, first_key_becomes_current_once) {
    auto const key = jwt::key::generate(jwt::algorithm::es256).value();
    EXPECT_TRUE(keys_.add_first(key).value());
    auto const other = jwt::key::generate(jwt::algorithm::es256).value();
    EXPECT_FALSE(keys_.add_first(other).value());
    auto const loaded = keys_.load().value();
    ASSERT_TRUE(loaded.current);
    EXPECT_EQ(loaded.current->kid(), key.thumbprint().value());
    EXPECT_TRUE(loaded.current->can_sign());
    ASSERT_EQ(loaded.public_keys.size(), 1U);
    EXPECT_FALSE(loaded.public_keys[0].can_sign());
    EXPECT_TRUE(loaded.unreadable.empty());
}

TEST_F(signing_keys_test, the_store_holds_no_private_key_in_clear) {
    auto const key = jwt::key::generate(jwt::algorithm::eddsa).value();
    ASSERT_TRUE(keys_.add_first(key).value());
    auto const& row = store_.rows().at(0);
    EXPECT_EQ(row.kid, key.thumbprint().value());
    EXPECT_EQ(row.algorithm, "EdDSA");
    EXPECT_EQ(row.sealed_private_key.find("PRIVATE"), std::string::npos);
    auto const pem = key.private_pem().value();
    EXPECT_EQ(row.sealed_private_key.size(), pem.size() + seal_overhead);
    auto const jwk = boost::json::parse(row.public_jwk).as_object();
    EXPECT_EQ(jwk.at("kid").as_string(), row.kid);
    EXPECT_FALSE(jwk.contains("d"));
}

TEST_F(signing_keys_test, another_key_encryption_key_reads_nothing_and_names_the_kids) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const kid = store_.rows().at(0).kid;
    auto const loaded = keys_with('x').load().value();
    EXPECT_FALSE(loaded.current);
    EXPECT_TRUE(loaded.public_keys.empty());
    EXPECT_EQ(loaded.unreadable, std::vector<std::string>{kid});
}

TEST_F(signing_keys_test, another_key_encryption_key_cannot_add_or_rotate) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const wrong = keys_with('x');
    EXPECT_EQ(wrong.generate(jwt::algorithm::es256).error(), seal_errc::not_authentic);
    EXPECT_EQ(wrong.rotate(std::nullopt, jwt::algorithm::es256).error(), seal_errc::not_authentic);
    EXPECT_EQ(store_.rows().size(), 1U);
}

TEST_F(signing_keys_test, a_sealed_key_moved_to_another_row_does_not_open) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    ASSERT_TRUE(keys_.generate(jwt::algorithm::es256));
    // Swap the sealed keys: each row's associated data (kid, algorithm) no longer matches.
    std::swap(store_.rows()[0].sealed_private_key, store_.rows()[1].sealed_private_key);
    auto const loaded = keys_.load().value();
    EXPECT_EQ(loaded.unreadable.size(), 2U);
    EXPECT_FALSE(loaded.current);
}

TEST_F(signing_keys_test, a_tampered_sealed_key_is_unreadable) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto& sealed = store_.rows()[0].sealed_private_key;
    sealed[sealed.size() / 2] = static_cast<char>(sealed[sealed.size() / 2] ^ 1);
    EXPECT_EQ(keys_.load().value().unreadable.size(), 1U);
}

TEST_F(signing_keys_test, generate_adds_a_published_pending_key) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const current = store_.rows()[0].kid;
    auto const pending = keys_.generate(jwt::algorithm::eddsa).value();
    EXPECT_EQ(pending.state, signing_key_state::pending);
    EXPECT_EQ(pending.algorithm, "EdDSA");
    EXPECT_FALSE(pending.activated_at);
    auto const loaded = keys_.load().value();
    EXPECT_EQ(loaded.current->kid(), current);
    ASSERT_EQ(loaded.public_keys.size(), 2U);
    EXPECT_EQ(loaded.public_keys[1].kid(), pending.kid);
}

TEST_F(signing_keys_test, generate_refuses_hs_algorithms) {
    EXPECT_EQ(keys_.generate(jwt::algorithm::hs256).error(), jwt::errc::not_exportable);
    EXPECT_TRUE(store_.rows().empty());
}

TEST_F(signing_keys_test, rotate_promotes_the_newest_pending_key) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const first = store_.rows()[0].kid;
    auto const older = keys_.generate(jwt::algorithm::es256).value();
    auto const newer = keys_.generate(jwt::algorithm::es256).value();
    clock_.advance(10s);
    auto const rotated = keys_.rotate(std::nullopt, jwt::algorithm::rs256).value();
    EXPECT_EQ(rotated.kid, newer.kid);
    EXPECT_EQ(rotated.state, signing_key_state::current);
    EXPECT_EQ(rotated.activated_at, now());
    auto const listed = keys_.list().value();
    ASSERT_EQ(listed.size(), 3U);
    EXPECT_EQ(listed[0].kid, first);
    EXPECT_EQ(listed[0].state, signing_key_state::retired);
    EXPECT_EQ(listed[0].retired_at, now());
    EXPECT_EQ(listed[0].expires_at, now() + 60 + 5);
    EXPECT_EQ(listed[1].kid, older.kid);
    EXPECT_EQ(listed[1].state, signing_key_state::pending);
}

TEST_F(signing_keys_test, rotate_with_an_algorithm_takes_a_pending_key_of_it_or_generates_one) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const pending = keys_.generate(jwt::algorithm::es256).value();
    auto const rotated = keys_.rotate(jwt::algorithm::eddsa, jwt::algorithm::es256).value();
    EXPECT_NE(rotated.kid, pending.kid);
    EXPECT_EQ(rotated.algorithm, "EdDSA");
    EXPECT_EQ(rotated.state, signing_key_state::current);
    auto const again = keys_.rotate(jwt::algorithm::es256, jwt::algorithm::eddsa).value();
    EXPECT_EQ(again.kid, pending.kid);
}

TEST_F(signing_keys_test, rotate_without_a_pending_key_generates_the_fallback_algorithm) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const rotated = keys_.rotate(std::nullopt, jwt::algorithm::eddsa).value();
    EXPECT_EQ(rotated.algorithm, "EdDSA");
    auto const loaded = keys_.load().value();
    EXPECT_EQ(loaded.current->kid(), rotated.kid);
    EXPECT_EQ(loaded.public_keys.size(), 2U);
    EXPECT_EQ(loaded.next_expiry, now() + 65);
}

TEST_F(signing_keys_test, a_retired_key_verifies_until_its_expiry_then_drops_out) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    ASSERT_TRUE(keys_.rotate(std::nullopt, jwt::algorithm::es256));
    clock_.advance(65s);
    EXPECT_EQ(keys_.load().value().public_keys.size(), 2U);
    clock_.advance(1s);
    auto const loaded = keys_.load().value();
    EXPECT_EQ(loaded.public_keys.size(), 1U);
    EXPECT_FALSE(loaded.next_expiry);
    EXPECT_EQ(keys_.list().value()[0].state, signing_key_state::expired);
    EXPECT_EQ(keys_.purge_expired().value(), 1);
    EXPECT_EQ(keys_.list().value().size(), 1U);
}

TEST_F(signing_keys_test, retire_withdraws_a_pending_or_retired_key_and_refuses_the_current) {
    ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto const current = store_.rows()[0].kid;
    EXPECT_EQ(keys_.retire(current).error(), store::errc::wrong_state);
    EXPECT_EQ(keys_.retire("no-such-kid").error(), store::errc::not_found);
    auto const pending = keys_.generate(jwt::algorithm::es256).value();
    ASSERT_TRUE(keys_.retire(pending.kid));
    clock_.advance(1s);
    EXPECT_EQ(keys_.load().value().public_keys.size(), 1U);
    // A rotated-out key withdrawn before its expiry (compromised): gone at once.
    ASSERT_TRUE(keys_.rotate(std::nullopt, jwt::algorithm::es256));
    ASSERT_TRUE(keys_.retire(current));
    clock_.advance(1s);
    auto const loaded = keys_.load().value();
    ASSERT_EQ(loaded.public_keys.size(), 1U);
    EXPECT_NE(loaded.public_keys[0].kid(), current);
}

TEST_F(signing_keys_test, states_have_names) {
    EXPECT_EQ(to_string(signing_key_state::pending), "pending");
    EXPECT_EQ(to_string(signing_key_state::current), "current");
    EXPECT_EQ(to_string(signing_key_state::retired), "retired");
    EXPECT_EQ(to_string(signing_key_state::expired), "expired");
}

}  // namespace
}  // namespace warden::auth
