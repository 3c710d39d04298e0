// The store's use cases, each one transaction: a login grant checked against the row it
// verified, rotation, revocation with its jtis, password change as compare-and-set, deactivation
// with its sweep, and login-attempt reservation. Races are bounded: many threads, an exact outcome.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"
#include "support/numbered.hpp"

namespace warden::store {
namespace {

using test::numbered;

class use_cases : public test::store_test {
  protected:
    void SetUp() override {
        store_test::SetUp();
        alice_ = add_user("alice@x.io");
    }
    // A grant for `user` in `family`; token hash and jti derived from `tag`.
    static grant make_grant(user const& u, std::string const& family, std::string const& tag) {
        return {refresh_token{"h-" + tag, family, u.id, "read", 100, 5000}, "j-" + tag, 4000};
    }
    static credential_check seen(user const& u) { return {u.id, u.token_version, u.password_hash}; }
    bool revoked(std::string const& jti) { return s_.revocations->is_revoked(jti).value(); }
    user alice_;
};

TEST_P(use_cases, a_login_grant_is_recorded_with_its_rehash) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"),
                                           "$argon2id$new", 200));
    EXPECT_EQ(s_.sessions->find_refresh_token("h-1")->family_id, "f1");
    EXPECT_EQ(s_.sessions->family_of_access_token("j-1").value(), "f1");
    EXPECT_EQ(s_.users->find_user(alice_.id)->password_hash, "$argon2id$new");
}

TEST_P(use_cases, a_login_grant_fails_when_the_hash_changed_since_it_was_verified) {
    ASSERT_TRUE(
        s_.users->replace_password(alice_.id, alice_.password_hash, "$argon2id$changed", "", 150));
    auto const r = s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"),
                                              "$argon2id$rehash", 200);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::credentials_changed);
    // Nothing written: no session, and the password change is not undone by the rehash.
    EXPECT_EQ(s_.sessions->find_refresh_token("h-1").error(), errc::not_found);
    EXPECT_EQ(s_.users->find_user(alice_.id)->password_hash, "$argon2id$changed");
}

TEST_P(use_cases, a_login_grant_fails_for_a_deactivated_or_deleted_user) {
    user_update off;
    off.is_active = false;
    off.bump_token_version = true;
    ASSERT_TRUE(s_.users->update_user(alice_.id, off, 150));
    EXPECT_EQ(
        s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 200).error(),
        errc::credentials_changed);
    user_update on;
    on.is_active = true;
    ASSERT_TRUE(s_.users->update_user(alice_.id, on, 160));
    // Reactivated, but at a new version: the login that read the old row still gets nothing.
    EXPECT_EQ(
        s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 200).error(),
        errc::credentials_changed);
    ASSERT_TRUE(s_.users->delete_user(alice_.id));
    EXPECT_EQ(
        s_.sessions->start_session(seen(alice_), make_grant(alice_, "f2", "2"), "", 200).error(),
        errc::not_found);
}

TEST_P(use_cases, a_password_change_is_compare_and_set_and_sweeps_the_other_sessions) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "mine", "1"), "", 100));
    ASSERT_TRUE(
        s_.sessions->start_session(seen(alice_), make_grant(alice_, "other", "2"), "", 100));
    EXPECT_EQ(
        s_.users->replace_password(alice_.id, "$argon2id$not-the-one", "$argon2id$new", "mine", 200)
            .error(),
        errc::credentials_changed);
    EXPECT_FALSE(revoked("j-2"));
    auto const swept =
        s_.users->replace_password(alice_.id, alice_.password_hash, "$argon2id$new", "mine", 200);
    ASSERT_TRUE(swept.has_value());
    ASSERT_EQ(swept->size(), 1U);
    EXPECT_EQ(swept->front().first, "j-2");
    EXPECT_TRUE(revoked("j-2"));   // on the list in the same transaction
    EXPECT_FALSE(revoked("j-1"));  // the caller's session stays
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-2", 300)->state, refresh_state::family_revoked);
    EXPECT_EQ(s_.users->replace_password(999, "a", "b", "", 200).error(), errc::not_found);
}

TEST_P(use_cases, deactivation_revokes_every_session_in_the_same_commit) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    user_update off;
    off.is_active = false;
    off.bump_token_version = true;
    ASSERT_TRUE(s_.users->update_user(alice_.id, off, 150));
    EXPECT_TRUE(revoked("j-1"));
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-1", 200)->state, refresh_state::family_revoked);
}

TEST_P(use_cases, a_rotation_spends_and_grants_in_one_step) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    auto const r =
        s_.sessions->rotate_refresh("h-1", seen(alice_), make_grant(alice_, "f1", "2"), 200);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->state, refresh_state::fresh);
    EXPECT_EQ(s_.sessions->family_of_access_token("j-2").value(), "f1");
    // The spent token presented again: reuse revokes the family with every access token.
    auto const again =
        s_.sessions->rotate_refresh("h-1", seen(alice_), make_grant(alice_, "f1", "3"), 300);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->state, refresh_state::spent);
    EXPECT_EQ(again->revoked.size(), 2U);
    EXPECT_TRUE(revoked("j-1"));
    EXPECT_TRUE(revoked("j-2"));
    EXPECT_EQ(s_.sessions->find_refresh_token("h-3").error(), errc::not_found);
    EXPECT_EQ(
        s_.sessions->rotate_refresh("h-2", seen(alice_), make_grant(alice_, "f1", "4"), 300)->state,
        refresh_state::family_revoked);
    EXPECT_EQ(s_.sessions->rotate_refresh("nope", seen(alice_), make_grant(alice_, "f1", "5"), 300)
                  ->state,
              refresh_state::unknown);
}

TEST_P(use_cases, a_rotation_for_a_changed_user_writes_nothing) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    auto stale = seen(alice_);
    stale.token_version += 1;
    EXPECT_EQ(s_.sessions->rotate_refresh("h-1", stale, make_grant(alice_, "f1", "2"), 200).error(),
              errc::credentials_changed);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-1", 200)->state,
              refresh_state::fresh);  // not spent
    // The next grant must be in the presented token's family.
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f2", "3"), "", 100));
    EXPECT_EQ(s_.sessions->rotate_refresh("h-3", seen(alice_), make_grant(alice_, "f9", "4"), 200)
                  .error(),
              errc::invalid_argument);
}

TEST_P(use_cases, of_racing_rotations_exactly_one_wins) {
    // Half the racers go through a second store on the same database: another process, as far as
    // the database can tell.
    auto const other = open_again();
    for (int round = 0; round < 5; ++round) {
        auto const family = numbered("f", round);
        auto const first = numbered("r", round);
        ASSERT_TRUE(
            s_.sessions->start_session(seen(alice_), make_grant(alice_, family, first), "", 100));
        constexpr int racers = 12;
        std::barrier start{racers};
        std::atomic<int> fresh{0};
        std::atomic<int> spent{0};
        std::atomic<int> failed{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                auto const next = make_grant(alice_, family, numbered(first + "-", i));
                start.arrive_and_wait();
                auto& sessions = i % 2 == 0 ? *s_.sessions : *other.sessions;
                auto const r = sessions.rotate_refresh("h-" + first, seen(alice_), next, 200);
                if (!r) {
                    ++failed;
                } else if (r->state == refresh_state::fresh) {
                    ++fresh;
                } else if (r->state == refresh_state::spent ||
                           r->state == refresh_state::family_revoked) {
                    ++spent;
                }
            });
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(fresh.load(), 1) << round;
        EXPECT_EQ(spent.load(), racers - 1) << round;
        EXPECT_EQ(failed.load(), 0) << round;
    }
}

TEST_P(use_cases, a_login_racing_a_password_change_never_undoes_it) {
    // Each round: one password change and several logins that verified the old hash. Whatever
    // the order, afterwards the hash is the new one and no login's session is alive.
    for (int round = 0; round < 5; ++round) {
        auto const u = add_user(numbered("race", round, "@x.io"));
        constexpr int logins = 6;
        std::barrier start{logins + 1};
        std::vector<std::thread> threads;
        std::vector<int> granted(logins, 0);
        for (int i = 0; i < logins; ++i) {
            threads.emplace_back([&, i] {
                auto const tag = numbered(numbered("", round) + "-", i);
                start.arrive_and_wait();
                granted[i] = s_.sessions
                                 ->start_session(seen(u), make_grant(u, "f" + tag, tag),
                                                 "$argon2id$rehash", 200)
                                 .has_value();
            });
        }
        start.arrive_and_wait();
        auto const changed =
            s_.users->replace_password(u.id, u.password_hash, "$argon2id$new", "", 200);
        for (auto& t : threads) t.join();
        auto const now_hash = s_.users->find_user(u.id)->password_hash;
        if (changed) {
            EXPECT_EQ(now_hash, "$argon2id$new") << round;
        } else {
            // A login's rehash came first (same password): the change must fail, not be lost.
            EXPECT_EQ(changed.error(), errc::credentials_changed);
            EXPECT_EQ(now_hash, "$argon2id$rehash");
        }
        for (int i = 0; i < logins; ++i) {
            if (!granted[i] || !changed) continue;
            auto const tag = numbered(numbered("", round) + "-", i);
            EXPECT_TRUE(revoked("j-" + tag)) << tag;  // granted before the change: swept by it
        }
    }
}

TEST_P(use_cases, concurrent_attempts_never_exceed_the_limit) {
    for (int round = 0; round < 4; ++round) {
        auto const key = numbered("account:k", round);
        constexpr int racers = 40;
        std::barrier start{racers};
        std::atomic<int> admitted{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                std::vector<std::string> const keys{key, numbered("address:", i)};
                start.arrive_and_wait();
                auto const r = s_.counters->reserve_attempt(keys, 1000, 900, 5);
                if (r && r->admitted) ++admitted;
                if (r && !r->admitted) ++refused;
            });
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(admitted.load(), 5) << round;
        EXPECT_EQ(refused.load(), racers - 5) << round;
        EXPECT_EQ(s_.counters->failures(key, 1000, 900)->count, 5);
    }
}

TEST_P(use_cases, a_refused_attempt_counts_nothing_and_a_released_one_is_given_back) {
    std::vector<std::string> const keys{"account:a", "address:1"};
    ASSERT_TRUE(s_.counters->reserve_attempt({"account:a"}, 1000, 900, 1)->admitted);
    auto const refused = s_.counters->reserve_attempt(keys, 1001, 900, 1);
    ASSERT_TRUE(refused.has_value());
    EXPECT_FALSE(refused->admitted);
    EXPECT_EQ(refused->counts.front(), (failure_count{1, 1000}));
    EXPECT_EQ(s_.counters->failures("address:1", 1001, 900)->count, 0);  // rolled back
    ASSERT_TRUE(s_.counters->release_attempt("account:a", 1002, 900));
    ASSERT_TRUE(s_.counters->release_attempt("account:a", 1002, 900));  // never below zero
    EXPECT_EQ(s_.counters->failures("account:a", 1002, 900)->count, 0);
    EXPECT_TRUE(s_.counters->reserve_attempt(keys, 1003, 900, 1)->admitted);
    EXPECT_EQ(s_.counters->reserve_attempt({}, 1003, 900, 1).error(), errc::invalid_argument);
    EXPECT_EQ(s_.counters->reserve_attempt({""}, 1003, 900, 1).error(), errc::invalid_argument);
}

TEST_P(use_cases, a_batch_import_is_all_or_nothing) {
    std::vector<new_user> batch;
    for (int i = 0; i < 50; ++i)
        batch.push_back({.email = numbered("b", i, "@x.io"), .password_hash = "$h"});
    batch.push_back({.email = "B7@X.IO", .password_hash = "$h"});  // a duplicate of row 7, any case
    std::size_t failed_at = 0;
    auto const refused = s_.users->create_users(batch, 300, &failed_at);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), errc::email_taken);
    EXPECT_EQ(failed_at, 50U);
    EXPECT_EQ(s_.users->list_users(100, 0)->total, 1);  // only alice: nothing of the batch
    batch.pop_back();
    auto const created = s_.users->create_users(batch, 300, &failed_at);
    ASSERT_TRUE(created.has_value());
    ASSERT_EQ(created->size(), 50U);
    EXPECT_EQ(created->back().email, "b49@x.io");
    EXPECT_EQ(s_.users->list_users(100, 0)->total, 51);
    EXPECT_EQ(s_.users->create_users({{.email = "alice@x.io"}}, 300, nullptr).error(),
              errc::email_taken);
}

WARDEN_ON_EVERY_BACKEND(use_cases);

}  // namespace
}  // namespace warden::store
