#include <warden/auth/key_set_follower.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include <warden/core/sealed_box.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/store/errc.hpp>

#include "auth/fake_key_store.hpp"

namespace warden::auth {
namespace {

using namespace std::chrono_literals;

/// A token service as wardend starts it before the key set is read: any key will do.
token_service placeholder_tokens(warden::clock const& clock) {
    auto const key = jwt::key::generate(jwt::algorithm::es256).value();
    jwt::verifier_options options;
    options.leeway = 5s;
    token_settings settings;
    settings.access_ttl = 60s;
    auto verifier = jwt::verifier::create(
                        jwt::key_set::from_keys({key.public_key().value()}).value(), options, clock)
                        .value();
    return token_service{jwt::signer::create(key).value(), std::move(verifier), settings, clock};
}

store::user user() {
    store::user u;
    u.id = 7;
    return u;
}

class key_set_follower_test : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(keys_.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    }
    [[nodiscard]] std::string kid_of(std::string const& token) const {
        return std::string{tokens_.verifier().verify(token).value().kid()};
    }
    [[nodiscard]] std::string sign() const {
        return tokens_.issue_access(user(), {}, "").value().token;
    }

    test::fake_key_store store_;
    manual_clock clock_;
    signing_keys keys_{store_, secret_bytes{std::string(32, 'k')}, {60s, 5s}, clock_};
    token_service tokens_ = placeholder_tokens(clock_);
    key_set_follower follower_{keys_, tokens_};
};

TEST_F(key_set_follower_test, signs_with_the_current_key_and_publishes_it) {
    ASSERT_TRUE(follower_.reload());
    auto const current = store_.rows()[0].kid;
    EXPECT_EQ(kid_of(sign()), current);
    auto const jwks = tokens_.public_jwks();
    ASSERT_EQ(jwks.at("keys").as_array().size(), 1U);
    auto const& jwk = jwks.at("keys").as_array()[0].as_object();
    EXPECT_EQ(jwk.at("kid").as_string(), current);
    EXPECT_FALSE(jwk.contains("d"));
}

TEST_F(key_set_follower_test, a_rotation_elsewhere_is_picked_up_by_poll) {
    ASSERT_TRUE(follower_.reload());
    auto const old_token = sign();
    EXPECT_FALSE(follower_.poll().value());
    auto const rotated = keys_.rotate(std::nullopt, jwt::algorithm::eddsa).value();
    EXPECT_TRUE(follower_.poll().value());
    auto const new_token = sign();
    EXPECT_EQ(kid_of(new_token), rotated.kid);
    EXPECT_EQ(tokens_.verifier().verify(new_token).value().alg(), jwt::algorithm::eddsa);
    // The old key keeps verifying what it signed, and stays published.
    EXPECT_TRUE(tokens_.read_access(old_token));
    EXPECT_EQ(tokens_.public_jwks().at("keys").as_array().size(), 2U);
    EXPECT_FALSE(follower_.poll().value());
}

TEST_F(key_set_follower_test, a_retired_key_drops_out_at_its_expiry_without_a_new_revision) {
    ASSERT_TRUE(follower_.reload());
    ASSERT_TRUE(keys_.rotate(std::nullopt, jwt::algorithm::es256));
    ASSERT_TRUE(follower_.poll().value());
    auto const revision = follower_.revision();
    clock_.advance(65s);
    EXPECT_FALSE(follower_.poll().value());
    clock_.advance(1s);
    EXPECT_TRUE(follower_.poll().value());
    EXPECT_EQ(follower_.revision(), revision);
    EXPECT_EQ(tokens_.public_jwks().at("keys").as_array().size(), 1U);
}

TEST_F(key_set_follower_test, an_unreadable_key_keeps_the_keys_in_use_and_is_named) {
    ASSERT_TRUE(follower_.reload());
    auto const before = kid_of(sign());
    // A pending key sealed by a process with another key-encryption key.
    test::fake_key_store other_store;
    signing_keys const other{other_store, secret_bytes{std::string(32, 'x')}, {60s, 5s}, clock_};
    ASSERT_TRUE(other.add_first(jwt::key::generate(jwt::algorithm::es256).value()).value());
    auto row = other_store.rows()[0];
    row.activated_at.reset();
    ASSERT_TRUE(store_.add_signing_key(row));
    auto const polled = follower_.poll();
    ASSERT_FALSE(polled);
    EXPECT_EQ(polled.error(), seal_errc::not_authentic);
    EXPECT_EQ(follower_.unreadable(), std::vector<std::string>{row.kid});
    EXPECT_EQ(kid_of(sign()), before);
}

TEST_F(key_set_follower_test, no_current_key_is_an_error) {
    test::fake_key_store empty;
    signing_keys const none{empty, secret_bytes{std::string(32, 'k')}, {60s, 5s}, clock_};
    key_set_follower follower{none, tokens_};
    EXPECT_EQ(follower.reload().error(), store::errc::not_found);
}

// Requests on several threads while the keys are replaced: every token signed verifies with
// the keys of its moment, none is refused for a key in the middle of a swap (run under TSan).
TEST_F(key_set_follower_test, requests_on_many_threads_see_whole_key_sets) {
    ASSERT_TRUE(follower_.reload());
    std::atomic<bool> stop{false};
    std::atomic<int> failures{0};
    std::vector<std::jthread> readers;
    for (int i = 0; i < 3; ++i) {
        readers.emplace_back([&] {
            while (!stop.load()) {
                auto const token = tokens_.issue_access(user(), {}, "");
                if (!token || !tokens_.read_access(token->token)) ++failures;
            }
        });
    }
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(keys_.rotate(std::nullopt, jwt::algorithm::es256));
        ASSERT_TRUE(follower_.poll().value());
    }
    stop = true;
    readers.clear();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace warden::auth
