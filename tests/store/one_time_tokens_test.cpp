// one_time_token_store on every backend: e-mail verification and password-reset tokens, single
// use under races, expiring, replaced by a newer request; a reset revokes every session.
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
using kind = one_time_token_kind;

// A SHA-256 is any 32 bytes: NUL and bytes that are not UTF-8 included.
std::string digest_of(char fill) {
    std::string d(32, fill);
    d[0] = '\0';
    d[1] = '\xff';
    return d;
}

class one_time_tokens : public test::store_test {
  protected:
    void SetUp() override {
        store_test::SetUp();
        alice_ = add_user("alice@x.io");
    }
    one_time_token_store& tokens() { return *s_.one_time_tokens; }
    // A login's session for `u`, as the password grant records it.
    void log_in(user const& u, std::string const& tag) {
        credential_check const seen{u.id, u.token_version, u.password_hash};
        grant const g{refresh_token{"h-" + tag, "f-" + tag, u.id, "read", 100, 5000}, "j-" + tag,
                      4000};
        ASSERT_TRUE(s_.sessions->start_session(seen, g, "", 100)) << tag;
    }
    user alice_;
};

TEST_P(one_time_tokens, a_verification_token_verifies_the_user_once) {
    EXPECT_FALSE(alice_.is_verified);
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('a'), 100, 200));
    auto r = tokens().redeem_verification(digest_of('a'), 150);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(r->id, alice_.id);
    EXPECT_TRUE(r->is_verified);
    EXPECT_EQ(r->updated_at, 150);
    EXPECT_TRUE(s_.users->find_user(alice_.id)->is_verified);
    // Spent: a second redemption finds nothing.
    EXPECT_EQ(tokens().redeem_verification(digest_of('a'), 151).error(), errc::not_found);
}

TEST_P(one_time_tokens, a_token_expires_at_its_expiry) {
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('a'), 100, 200));
    EXPECT_EQ(tokens().redeem_verification(digest_of('a'), 200).error(), errc::not_found);
    EXPECT_EQ(tokens().redeem_verification(digest_of('a'), 5000).error(), errc::not_found);
    EXPECT_FALSE(s_.users->find_user(alice_.id)->is_verified);
    // One second before its expiry it still works (it was left unspent above).
    EXPECT_TRUE(tokens().redeem_verification(digest_of('a'), 199));
}

TEST_P(one_time_tokens, unknown_and_other_kind_tokens_are_not_found) {
    EXPECT_EQ(tokens().redeem_verification(digest_of('x'), 100).error(), errc::not_found);
    EXPECT_EQ(tokens().redeem_verification("", 100).error(), errc::not_found);
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('x'), "$argon2id$new", 100).error(),
              errc::not_found);
    ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, alice_.id, digest_of('r'), 100, 200));
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('v'), 100, 200));
    EXPECT_EQ(tokens().redeem_verification(digest_of('r'), 150).error(), errc::not_found);
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('v'), "$argon2id$new", 150).error(),
              errc::not_found);
    // Neither was spent by the wrong use, and the hash is exact (a prefix is another token).
    EXPECT_EQ(tokens().redeem_verification(digest_of('v').substr(0, 31), 150).error(),
              errc::not_found);
    EXPECT_TRUE(tokens().redeem_verification(digest_of('v'), 150));
    EXPECT_TRUE(tokens().redeem_password_reset(digest_of('r'), "$argon2id$new", 150));
}

TEST_P(one_time_tokens, a_new_request_replaces_the_older_token_of_its_kind_only) {
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('1'), 100, 900));
    ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, alice_.id, digest_of('r'), 100, 900));
    auto const bob = add_user("bob@x.io");
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, bob.id, digest_of('b'), 100, 900));
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('2'), 110, 900));
    EXPECT_EQ(tokens().redeem_verification(digest_of('1'), 120).error(), errc::not_found);
    EXPECT_EQ(tokens().redeem_verification(digest_of('2'), 120)->id, alice_.id);
    // Alice's reset token and Bob's verification token were left alone.
    EXPECT_EQ(tokens().redeem_verification(digest_of('b'), 120)->id, bob.id);
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('r'), "$argon2id$new", 120)->row.id,
              alice_.id);
}

TEST_P(one_time_tokens, issue_refuses_what_it_cannot_keep) {
    EXPECT_EQ(tokens().issue_one_time_token(kind::verify, 424242, digest_of('a'), 100, 200).error(),
              errc::not_found);
    EXPECT_EQ(tokens().issue_one_time_token(kind::verify, alice_.id, "", 100, 200).error(),
              errc::invalid_argument);
    EXPECT_EQ(
        tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('a'), 200, 200).error(),
        errc::invalid_argument);
    // A hash stored already (another user's token): refused, and that token kept.
    auto const bob = add_user("bob@x.io");
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, bob.id, digest_of('a'), 100, 200));
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('o'), 100, 200));
    EXPECT_EQ(
        tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('a'), 100, 200).error(),
        errc::invalid_argument);
    EXPECT_EQ(tokens().redeem_verification(digest_of('a'), 150)->id, bob.id);
    // Nothing written by the refused call: Alice's older token was not deleted either.
    EXPECT_EQ(tokens().redeem_verification(digest_of('o'), 150)->id, alice_.id);
}

TEST_P(one_time_tokens, an_inactive_users_token_is_not_found_and_stays_unspent) {
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('v'), 100, 900));
    ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, alice_.id, digest_of('r'), 100, 900));
    user_update off;
    off.is_active = false;
    ASSERT_TRUE(s_.users->update_user(alice_.id, off, 110));
    EXPECT_EQ(tokens().redeem_verification(digest_of('v'), 120).error(), errc::not_found);
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('r'), "$argon2id$new", 120).error(),
              errc::not_found);
    auto const row = s_.users->find_user(alice_.id);
    EXPECT_FALSE(row->is_verified);
    EXPECT_EQ(row->password_hash, alice_.password_hash);
    EXPECT_EQ(row->token_version, alice_.token_version);
    // Reactivated, the tokens work: the refusals spent nothing.
    user_update on;
    on.is_active = true;
    ASSERT_TRUE(s_.users->update_user(alice_.id, on, 130));
    EXPECT_TRUE(tokens().redeem_verification(digest_of('v'), 140));
    EXPECT_TRUE(tokens().redeem_password_reset(digest_of('r'), "$argon2id$new", 140));
}

TEST_P(one_time_tokens, a_deleted_users_tokens_go_with_it) {
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('v'), 100, 900));
    ASSERT_TRUE(s_.users->delete_user(alice_.id));
    EXPECT_EQ(tokens().redeem_verification(digest_of('v'), 120).error(), errc::not_found);
}

TEST_P(one_time_tokens, a_reset_sets_the_password_and_revokes_every_session) {
    log_in(alice_, "1");
    log_in(alice_, "2");
    ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, alice_.id, digest_of('r'), 100, 900));
    auto r = tokens().redeem_password_reset(digest_of('r'), "$argon2id$new", 150);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(r->row.id, alice_.id);
    EXPECT_EQ(r->row.email, "alice@x.io");  // for the caller to clear the lockout
    EXPECT_EQ(r->row.password_hash, "$argon2id$new");
    EXPECT_EQ(r->row.token_version, alice_.token_version + 1);
    EXPECT_EQ(r->row.updated_at, 150);
    EXPECT_EQ(r->revoked, (jti_list{{"j-1", 4000}, {"j-2", 4000}}));
    EXPECT_TRUE(s_.revocations->is_revoked("j-1").value());
    EXPECT_TRUE(s_.revocations->is_revoked("j-2").value());
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-1", 160)->state, refresh_state::family_revoked);
    EXPECT_EQ(s_.sessions->consume_refresh_token("h-2", 160)->state, refresh_state::family_revoked);
    auto const row = s_.users->find_user(alice_.id);
    EXPECT_EQ(row->password_hash, "$argon2id$new");
    EXPECT_EQ(row->token_version, alice_.token_version + 1);
    EXPECT_FALSE(row->is_verified);  // a reset proves the mailbox, but verifies nothing itself
    // Single use.
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('r'), "$argon2id$other", 151).error(),
              errc::not_found);
    EXPECT_EQ(s_.users->find_user(alice_.id)->password_hash, "$argon2id$new");
}

TEST_P(one_time_tokens, a_reset_refuses_a_hash_it_cannot_keep_and_spends_nothing) {
    ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, alice_.id, digest_of('r'), 100, 900));
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('r'), "", 150).error(),
              errc::invalid_argument);
    EXPECT_EQ(tokens().redeem_password_reset(digest_of('r'), std::string{"a\0b", 3}, 150).error(),
              errc::invalid_argument);
    EXPECT_TRUE(tokens().redeem_password_reset(digest_of('r'), "$argon2id$new", 150));
}

TEST_P(one_time_tokens, purge_deletes_expired_and_spent_tokens_only) {
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, alice_.id, digest_of('e'), 100, 200));
    ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, alice_.id, digest_of('s'), 100, 900));
    auto const bob = add_user("bob@x.io");
    ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, bob.id, digest_of('l'), 100, 900));
    ASSERT_TRUE(tokens().redeem_password_reset(digest_of('s'), "$argon2id$new", 150));
    EXPECT_EQ(tokens().purge_expired_one_time_tokens(199).value(), 1);  // the spent one
    EXPECT_EQ(tokens().purge_expired_one_time_tokens(200).value(), 1);  // expires_at == now
    EXPECT_EQ(tokens().purge_expired_one_time_tokens(200).value(), 0);
    EXPECT_EQ(tokens().redeem_verification(digest_of('l'), 300)->id, bob.id);
}

TEST_P(one_time_tokens, of_racing_redeemers_exactly_one_wins) {
    auto const other = open_again();
    for (int round = 0; round < 4; ++round) {
        auto const u = add_user(numbered("v", round, "@x.io"));
        auto const hash = digest_of(static_cast<char>('a' + round));
        ASSERT_TRUE(tokens().issue_one_time_token(kind::verify, u.id, hash, 100, 900));
        constexpr int racers = 8;  // 2 stores x 4 threads
        std::barrier start{racers};
        std::atomic<int> won{0};
        std::atomic<int> not_found{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                auto& store = i % 2 == 0 ? *s_.one_time_tokens : *other.one_time_tokens;
                start.arrive_and_wait();
                auto const r = store.redeem_verification(hash, 150);
                if (r) {
                    ++won;
                } else if (r.error() == errc::not_found) {
                    ++not_found;
                }
            });
        }
        for (auto& t : threads) t.join();
        EXPECT_EQ(won.load(), 1) << round;
        EXPECT_EQ(not_found.load(), racers - 1) << round;
    }
}

TEST_P(one_time_tokens, of_racing_requests_of_one_user_one_token_remains) {
    auto const other = open_again();
    constexpr int racers = 8;  // 2 stores x 4 threads, each issuing its own token
    std::barrier start{racers};
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < racers; ++i) {
        threads.emplace_back([&, i] {
            auto& store = i % 2 == 0 ? *s_.one_time_tokens : *other.one_time_tokens;
            start.arrive_and_wait();
            if (!store.issue_one_time_token(kind::verify, alice_.id,
                                            digest_of(static_cast<char>('a' + i)), 100, 900))
                ++failed;
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed.load(), 0);
    int redeemable = 0;
    for (int i = 0; i < racers; ++i) {
        if (tokens().redeem_verification(digest_of(static_cast<char>('a' + i)), 150)) ++redeemable;
    }
    EXPECT_EQ(redeemable, 1);
}

TEST_P(one_time_tokens, a_reset_racing_logins_changes_the_password_once_and_leaves_no_session) {
    // Each round: 4 redeemers of one reset token (each with its own new hash) on two stores, and
    // 4 logins that verified the old password (with a rehash). Exactly one reset wins; the hash
    // is the winner's; every login either failed or had its session revoked by the reset.
    auto const other = open_again();
    for (int round = 0; round < 4; ++round) {
        auto const u = add_user(numbered("r", round, "@x.io"));
        auto const hash = digest_of(static_cast<char>('k' + round));
        ASSERT_TRUE(tokens().issue_one_time_token(kind::reset, u.id, hash, 100, 900));
        constexpr int racers = 8;
        std::barrier start{racers};
        std::vector<int> reset_won(racers, 0);
        std::vector<int> granted(racers, 0);
        std::vector<std::thread> threads;
        for (int i = 0; i < racers; ++i) {
            threads.emplace_back([&, i] {
                auto const tag = numbered(numbered("", round) + "-", i);
                auto& store = i % 4 < 2 ? s_ : other;
                start.arrive_and_wait();
                if (i % 2 == 0) {
                    reset_won[i] = store.one_time_tokens
                                       ->redeem_password_reset(hash, "$argon2id$new-" + tag, 150)
                                       .has_value();
                } else {
                    credential_check const seen{u.id, u.token_version, u.password_hash};
                    grant const g{refresh_token{"h-" + tag, "f-" + tag, u.id, "read", 100, 5000},
                                  "j-" + tag, 4000};
                    granted[i] =
                        store.sessions->start_session(seen, g, "$argon2id$rehash", 150).has_value();
                }
            });
        }
        for (auto& t : threads) t.join();
        int winners = 0;
        std::string winner_hash;
        for (int i = 0; i < racers; i += 2) {
            if (reset_won[i] == 0) continue;
            ++winners;
            winner_hash = "$argon2id$new-" + numbered(numbered("", round) + "-", i);
        }
        ASSERT_EQ(winners, 1) << round;
        auto const row = s_.users->find_user(u.id);
        EXPECT_EQ(row->password_hash, winner_hash) << round;
        EXPECT_EQ(row->token_version, u.token_version + 1) << round;
        for (int i = 1; i < racers; i += 2) {
            if (granted[i] == 0) continue;
            auto const tag = numbered(numbered("", round) + "-", i);
            EXPECT_TRUE(s_.revocations->is_revoked("j-" + tag).value()) << tag;
            EXPECT_EQ(s_.sessions->consume_refresh_token("h-" + tag, 160)->state,
                      refresh_state::family_revoked)
                << tag;
        }
    }
}

WARDEN_ON_EVERY_BACKEND(one_time_tokens);

}  // namespace
}  // namespace warden::store
