// session_store on every backend: refresh families, rotation, reuse, revocation, purge.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace warden::store {
namespace {

using jti_list = std::vector<std::pair<std::string, std::int64_t>>;

class sessions : public test::store_test {
  protected:
    void SetUp() override {
        store_test::SetUp();
        alice_ = add_user("alice@x.io").id;
        bob_ = add_user("bob@x.io").id;
    }
    refresh_token token(std::string hash, std::string family, user_id user,
                        std::int64_t expires = 1000) {
        return {std::move(hash), std::move(family), user, "read write", 100, expires};
    }
    user_id alice_ = 0;
    user_id bob_ = 0;
};

TEST_P(sessions, a_new_token_is_consumed_once_as_fresh) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    auto r = s_.sessions->consume_refresh_token("h1", 200);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->state, refresh_state::fresh);
    EXPECT_EQ(r->token.token_hash, "h1");
    EXPECT_EQ(r->token.family_id, "f1");
    EXPECT_EQ(r->token.user, alice_);
    EXPECT_EQ(r->token.scope, "read write");
    EXPECT_EQ(r->token.issued_at, 100);
    EXPECT_EQ(r->token.expires_at, 1000);
}

TEST_P(sessions, a_spent_token_reports_reuse_with_its_family) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::fresh);
    auto again = s_.sessions->consume_refresh_token("h1", 201);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->state, refresh_state::spent);
    EXPECT_EQ(again->token.family_id, "f1");
    EXPECT_EQ(again->token.user, alice_);
}

TEST_P(sessions, the_state_of_a_token_is_read_without_spending_it) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_, 500)));
    for (int i = 0; i < 2; ++i) {
        auto const peek = s_.sessions->refresh_token_state("h1", 200);
        ASSERT_TRUE(peek.has_value());
        EXPECT_EQ(peek->state, refresh_state::fresh);
        EXPECT_EQ(peek->token.user, alice_);
        EXPECT_EQ(peek->token.scope, "read write");
        EXPECT_EQ(peek->token.issued_at, 100);
        EXPECT_EQ(peek->token.expires_at, 500);
    }
    EXPECT_EQ(s_.sessions->refresh_token_state("h1", 500)->state, refresh_state::expired);
    EXPECT_EQ(s_.sessions->refresh_token_state("nope", 200)->state, refresh_state::unknown);
    ASSERT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::fresh);
    EXPECT_EQ(s_.sessions->refresh_token_state("h1", 200)->state, refresh_state::spent);
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 300));
    EXPECT_EQ(s_.sessions->refresh_token_state("h1", 300)->state, refresh_state::family_revoked);
}

TEST_P(sessions, an_unknown_token_is_unknown) {
    auto r = s_.sessions->consume_refresh_token("nope", 200);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->state, refresh_state::unknown);
    EXPECT_TRUE(r->token.family_id.empty());
    EXPECT_EQ(s_.sessions->consume_refresh_token("", 200)->state, refresh_state::unknown);
}

TEST_P(sessions, hashes_are_exact_bytes) {
    std::string const raw{"\x00\xff\x10 raw", 8};
    ASSERT_TRUE(s_.sessions->add_refresh_token(token(raw, "f1", alice_)));
    EXPECT_EQ(s_.sessions->consume_refresh_token(std::string{"\x00\xff\x10", 3}, 200)->state,
              refresh_state::unknown);
    EXPECT_EQ(s_.sessions->consume_refresh_token(std::string{"\x00\xff\x10 RAW", 8}, 200)->state,
              refresh_state::unknown);
    auto r = s_.sessions->consume_refresh_token(raw, 200);
    EXPECT_EQ(r->state, refresh_state::fresh);
    EXPECT_EQ(r->token.token_hash, raw);
}

TEST_P(sessions, an_expired_token_is_expired_and_not_spent) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_, 500)));
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 500)->state, refresh_state::expired);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 9999)->state, refresh_state::expired);
    // Not spent by the failed attempts: still fresh for a caller whose clock is behind.
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 499)->state, refresh_state::fresh);
}

TEST_P(sessions, a_token_of_a_revoked_family_reports_the_revocation) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 150));
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::family_revoked);
    // Revocation wins over reuse and expiry.
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 5000)->state, refresh_state::family_revoked);
}

TEST_P(sessions, reuse_wins_over_expiry) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_, 500)));
    ASSERT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::fresh);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 600)->state, refresh_state::spent);
}

TEST_P(sessions, rotation_chains_tokens_in_one_family) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_, 1000)));
    ASSERT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::fresh);
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h2", "f1", alice_, 2000)));
    ASSERT_EQ(s_.sessions->consume_refresh_token("h2", 300)->state, refresh_state::fresh);
    EXPECT_EQ(*s_.sessions->family_of_refresh_token("h1"), "f1");
    EXPECT_EQ(*s_.sessions->family_of_refresh_token("h2"), "f1");
}

TEST_P(sessions, add_refuses_a_duplicate_hash) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    EXPECT_EQ(s_.sessions->add_refresh_token(token("h1", "f2", alice_)).error(),
              errc::invalid_argument);
    // The failed call created nothing: its transaction rolled back.
    EXPECT_EQ(s_.sessions->revoke_family("f2", 1).error(), errc::not_found);
}

TEST_P(sessions, add_refuses_a_family_of_another_user) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    EXPECT_EQ(s_.sessions->add_refresh_token(token("h2", "f1", bob_)).error(),
              errc::invalid_argument);
}

TEST_P(sessions, add_refuses_an_unknown_user) {
    EXPECT_EQ(s_.sessions->add_refresh_token(token("h1", "f1", 9999)).error(), errc::not_found);
}

TEST_P(sessions, add_refuses_empty_hash_or_family) {
    EXPECT_EQ(s_.sessions->add_refresh_token(token("", "f1", alice_)).error(),
              errc::invalid_argument);
    EXPECT_EQ(s_.sessions->add_refresh_token(token("h1", "", alice_)).error(),
              errc::invalid_argument);
}

TEST_P(sessions, add_refuses_a_revoked_family) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 150));
    auto r = s_.sessions->add_refresh_token(token("h2", "f1", alice_));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::family_revoked);
    EXPECT_EQ(r.error(), condition::invalid_grant);
    EXPECT_EQ(s_.sessions->family_of_refresh_token("h2").error(), errc::not_found);
}

TEST_P(sessions, access_tokens_need_a_live_known_family) {
    EXPECT_EQ(s_.sessions->add_access_token("nope", "j1", 100).error(), errc::not_found);
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_TRUE(s_.sessions->add_access_token("f1", "j1", 100));
    EXPECT_EQ(s_.sessions->add_access_token("f1", "j1", 100).error(), errc::invalid_argument);
    EXPECT_EQ(s_.sessions->add_access_token("f1", "", 100).error(), errc::invalid_argument);
    EXPECT_EQ(s_.sessions->add_access_token("", "j2", 100).error(), errc::invalid_argument);
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 150));
    EXPECT_EQ(s_.sessions->add_access_token("f1", "j3", 100).error(), errc::family_revoked);
    EXPECT_EQ(s_.sessions->family_of_access_token("j3").error(), errc::not_found);
}

TEST_P(sessions, a_grant_records_both_tokens_at_once) {
    ASSERT_TRUE(s_.sessions->add_grant(token("h1", "f1", alice_), "j1", 300));
    EXPECT_EQ(*s_.sessions->family_of_refresh_token("h1"), "f1");
    EXPECT_EQ(*s_.sessions->family_of_access_token("j1"), "f1");
    // Rotation into the same family.
    ASSERT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::fresh);
    ASSERT_TRUE(s_.sessions->add_grant(token("h2", "f1", alice_), "j2", 400));
    EXPECT_EQ(*s_.sessions->revoke_family("f1", 250), (jti_list{{"j1", 300}, {"j2", 400}}));
}

TEST_P(sessions, a_failed_grant_records_nothing) {
    ASSERT_TRUE(s_.sessions->add_grant(token("h1", "f1", alice_), "j1", 300));
    // Duplicate jti: the refresh token of the same call is rolled back too.
    EXPECT_EQ(s_.sessions->add_grant(token("h2", "f2", alice_), "j1", 300).error(),
              errc::invalid_argument);
    EXPECT_EQ(s_.sessions->family_of_refresh_token("h2").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->revoke_family("f2", 1).error(), errc::not_found);
    // Revoked family, unknown user, empty values.
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 150));
    EXPECT_EQ(s_.sessions->add_grant(token("h3", "f1", alice_), "j3", 300).error(),
              errc::family_revoked);
    EXPECT_EQ(s_.sessions->family_of_refresh_token("h3").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->add_grant(token("h4", "f4", 9999), "j4", 300).error(), errc::not_found);
    EXPECT_EQ(s_.sessions->add_grant(token("h5", "f5", alice_), "", 300).error(),
              errc::invalid_argument);
    EXPECT_EQ(s_.sessions->family_of_refresh_token("h5").error(), errc::not_found);
}

TEST_P(sessions, find_reads_a_token_without_spending_it) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_, 500)));
    for (int i = 0; i < 2; ++i) {
        auto r = s_.sessions->find_refresh_token("h1");
        ASSERT_TRUE(r.has_value());
        EXPECT_EQ(r->token_hash, "h1");
        EXPECT_EQ(r->family_id, "f1");
        EXPECT_EQ(r->user, alice_);
        EXPECT_EQ(r->scope, "read write");
        EXPECT_EQ(r->issued_at, 100);
        EXPECT_EQ(r->expires_at, 500);
    }
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::fresh);
    // Spent, expired or revoked: still found (the state is consume's business).
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 300));
    EXPECT_EQ(s_.sessions->find_refresh_token("h1")->family_id, "f1");
}

TEST_P(sessions, find_of_an_unknown_token_is_not_found) {
    EXPECT_EQ(s_.sessions->find_refresh_token("nope").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->find_refresh_token("").error(), errc::not_found);
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    EXPECT_EQ(s_.sessions->find_refresh_token("H1").error(), errc::not_found);
}

TEST_P(sessions, family_lookups) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_TRUE(s_.sessions->add_access_token("f1", "j1", 100));
    EXPECT_EQ(*s_.sessions->family_of_refresh_token("h1"), "f1");
    EXPECT_EQ(*s_.sessions->family_of_access_token("j1"), "f1");
    EXPECT_EQ(s_.sessions->family_of_refresh_token("h9").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->family_of_access_token("j9").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->family_of_access_token("J1").error(), errc::not_found);  // exact match
}

TEST_P(sessions, revoke_family_returns_its_access_jtis) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_TRUE(s_.sessions->add_access_token("f1", "j2", 300));
    ASSERT_TRUE(s_.sessions->add_access_token("f1", "j1", 200));
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h2", "f2", alice_)));
    ASSERT_TRUE(s_.sessions->add_access_token("f2", "other", 200));
    auto r = s_.sessions->revoke_family("f1", 150);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, (jti_list{{"j1", 200}, {"j2", 300}}));
    // Idempotent, and the other family lives on.
    EXPECT_EQ(*s_.sessions->revoke_family("f1", 160), (jti_list{{"j1", 200}, {"j2", 300}}));
    EXPECT_EQ(s_.sessions->consume_refresh_token("h2", 200)->state, refresh_state::fresh);
}

TEST_P(sessions, revoke_family_without_access_tokens_returns_none) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    auto r = s_.sessions->revoke_family("f1", 150);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->empty());
}

TEST_P(sessions, revoke_of_an_unknown_family_is_not_found) {
    EXPECT_EQ(s_.sessions->revoke_family("nope", 1).error(), errc::not_found);
    EXPECT_EQ(s_.sessions->revoke_family("", 1).error(), errc::not_found);
}

TEST_P(sessions, user_sweep_keeps_one_family) {
    for (auto const* f : {"f1", "f2", "f3"}) {
        ASSERT_TRUE(s_.sessions->add_refresh_token(token(std::string{"h-"} + f, f, alice_)));
        ASSERT_TRUE(s_.sessions->add_access_token(f, std::string{"j-"} + f, 400));
    }
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h-bob", "fb", bob_)));
    ASSERT_TRUE(s_.sessions->add_access_token("fb", "j-bob", 400));
    auto r = s_.sessions->revoke_user_families(alice_, "f2", 150);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, (jti_list{{"j-f1", 400}, {"j-f3", 400}}));
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-f1", 200)->state,
              refresh_state::family_revoked);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-f3", 200)->state,
              refresh_state::family_revoked);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-f2", 200)->state, refresh_state::fresh);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-bob", 200)->state, refresh_state::fresh);
    // The kept family still takes new tokens; the swept ones do not.
    EXPECT_TRUE(s_.sessions->add_access_token("f2", "j-new", 400));
    EXPECT_EQ(s_.sessions->add_access_token("f1", "j-new2", 400).error(), errc::family_revoked);
}

TEST_P(sessions, user_sweep_with_no_kept_family_revokes_all) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_)));
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h2", "f2", alice_)));
    ASSERT_TRUE(s_.sessions->revoke_user_families(alice_, "", 150));
    EXPECT_EQ(s_.sessions->consume_refresh_token("h1", 200)->state, refresh_state::family_revoked);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h2", 200)->state, refresh_state::family_revoked);
}

TEST_P(sessions, user_sweep_of_an_unknown_user_returns_nothing) {
    auto r = s_.sessions->revoke_user_families(9999, "", 150);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->empty());
}

TEST_P(sessions, purge_removes_what_expired_by_now) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("old", "f-old", alice_, 500)));
    ASSERT_TRUE(s_.sessions->add_access_token("f-old", "j-old", 400));
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("new1", "f-new", alice_, 500)));
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("new2", "f-new", alice_, 2000)));
    ASSERT_TRUE(s_.sessions->add_access_token("f-new", "j-new-old", 450));
    ASSERT_TRUE(s_.sessions->add_access_token("f-new", "j-new", 1500));

    EXPECT_EQ(*s_.sessions->purge_expired_sessions(399), 0);
    // At 500: j-old, j-new-old, old, new1, and the family f-old (its latest expiry is 500).
    EXPECT_EQ(*s_.sessions->purge_expired_sessions(500), 5);
    EXPECT_EQ(s_.sessions->consume_refresh_token("old", 1)->state, refresh_state::unknown);
    EXPECT_EQ(s_.sessions->revoke_family("f-old", 1).error(), errc::not_found);
    EXPECT_EQ(s_.sessions->family_of_access_token("j-old").error(), errc::not_found);
    EXPECT_EQ(s_.sessions->consume_refresh_token("new1", 1)->state, refresh_state::unknown);
    EXPECT_EQ(*s_.sessions->family_of_refresh_token("new2"), "f-new");
    EXPECT_EQ(*s_.sessions->family_of_access_token("j-new"), "f-new");
    EXPECT_EQ(*s_.sessions->purge_expired_sessions(500), 0);
    EXPECT_EQ(*s_.sessions->purge_expired_sessions(2000), 3);  // j-new, new2, f-new
    EXPECT_EQ(*s_.sessions->purge_expired_sessions(1'000'000), 0);
}

TEST_P(sessions, a_family_lives_as_long_as_its_latest_access_token) {
    ASSERT_TRUE(s_.sessions->add_refresh_token(token("h1", "f1", alice_, 500)));
    ASSERT_TRUE(s_.sessions->add_access_token("f1", "j1", 800));
    EXPECT_EQ(*s_.sessions->purge_expired_sessions(600), 1);  // the refresh token only
    auto r = s_.sessions->revoke_family("f1", 700);           // still revocable: j1 is live
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, (jti_list{{"j1", 800}}));
}

TEST_P(sessions, exactly_one_of_many_racing_consumers_wins) {
    constexpr int threads = 8;
    constexpr int rounds = 10;
    for (int round = 0; round < rounds; ++round) {
        std::string const hash = "race-" + std::to_string(round);
        ASSERT_TRUE(
            s_.sessions->add_refresh_token(token(hash, "fam-" + std::to_string(round), alice_)));
        std::atomic<int> fresh{0};
        std::atomic<int> spent{0};
        std::atomic<int> other{0};
        std::barrier start{threads};
        std::vector<std::jthread> pool;
        for (int i = 0; i < threads; ++i) {
            pool.emplace_back([&] {
                start.arrive_and_wait();
                auto r = s_.sessions->consume_refresh_token(hash, 200);
                if (!r) {
                    ++other;
                } else if (r->state == refresh_state::fresh) {
                    ++fresh;
                } else if (r->state == refresh_state::spent) {
                    ++spent;
                } else {
                    ++other;
                }
            });
        }
        pool.clear();  // joins
        EXPECT_EQ(fresh.load(), 1) << "round " << round;
        EXPECT_EQ(spent.load(), threads - 1) << "round " << round;
        EXPECT_EQ(other.load(), 0) << "round " << round;
    }
}

WARDEN_ON_EVERY_BACKEND(sessions);

}  // namespace
}  // namespace warden::store
