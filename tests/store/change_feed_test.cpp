// change_feed on every backend: each change of a user and each revocation appends to the feed in
// its own transaction (nothing for a rolled-back one), readers continue from their cursor without
// repeats or gaps, and PostgreSQL's feed is in commit order under concurrent writers.
#include <warden/store/change_feed.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/connection.hpp"
#include "store_fixture.hpp"
#include "support/numbered.hpp"

namespace warden::store {
namespace {

using namespace std::chrono_literals;
using test::numbered;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

class change_feeds : public test::store_test {
  protected:
    void SetUp() override {
        store_test::SetUp();
        ASSERT_NE(s_.feed, nullptr);
        alice_ = add_user("alice@x.io");
        bob_ = add_user("bob@x.io");
        start_ = s_.feed->feed_end().value();
    }

    // Everything after `cursor`, page by page; `cursor` moves to the end.
    std::vector<feed_entry> read_from(std::string& cursor, std::size_t limit = 1000) {
        std::vector<feed_entry> out;
        for (;;) {
            auto page = s_.feed->read_feed(cursor, limit);
            EXPECT_TRUE(page.has_value()) << cursor;
            if (!page) return out;
            out.insert(out.end(), page->entries.begin(), page->entries.end());
            cursor = page->cursor;
            if (!page->more) return out;
        }
    }
    // The user ids in order (the database's part of the feed).
    static std::vector<user_id> users_of(std::vector<feed_entry> const& entries) {
        std::vector<user_id> out;
        for (auto const& e : entries) {
            if (e.user != 0) out.push_back(e.user);
        }
        return out;
    }
    // The revoked jtis with their expiry, in order (the revocation list's part).
    static jti_list jtis_of(std::vector<feed_entry> const& entries) {
        jti_list out;
        for (auto const& e : entries) {
            if (!e.jti.empty()) out.emplace_back(e.jti, e.expires_at);
        }
        return out;
    }
    std::vector<feed_entry> since_start() {
        auto cursor = start_;
        return read_from(cursor);
    }

    static grant make_grant(user const& u, std::string const& family, std::string const& tag) {
        return {refresh_token{"h-" + tag, family, u.id, "read", 100, 5000}, "j-" + tag, 4000};
    }
    static credential_check seen(user const& u) { return {u.id, u.token_version, u.password_hash}; }

    user alice_;
    user bob_;
    std::string start_;
};

TEST_P(change_feeds, an_empty_read_at_the_end_keeps_the_cursor) {
    auto page = s_.feed->read_feed(start_, 10);
    ASSERT_TRUE(page.has_value());
    EXPECT_TRUE(page->entries.empty());
    EXPECT_FALSE(page->more);
    EXPECT_EQ(page->cursor, start_);
}

// The feed's reads have a connection of their own: with the pool's only connection held by a
// writer (stuck at its commit behind the feed lock another session holds), the feed still reads.
// Were the read queued behind the writer, a guard cache that stopped trusting itself could not
// catch up while every request reads the store.
TEST_P(change_feeds, reads_go_on_while_every_pooled_connection_is_busy) {
    if (GetParam() != test::backend::postgresql && GetParam() != test::backend::postgresql_redis) {
        GTEST_SKIP() << "PostgreSQL's pool and feed lock";
    }
    options_.max_connections = 1;
    auto const s = open_again();
    ASSERT_NE(s.feed, nullptr);
    std::string why;
    auto blocker = pg_connection::connect(url_, &why);
    ASSERT_TRUE(blocker.has_value()) << why;
    ASSERT_TRUE((*blocker)->exec("BEGIN"));
    ASSERT_TRUE((*blocker)->exec("SELECT pg_advisory_xact_lock(8602282538794575204)"));
    auto writer = std::async(std::launch::async, [&] {
        user_update rename;
        rename.full_name = "Alice";
        return s.users->update_user(alice_.id, rename, 300).has_value();
    });
    // Until the writer waits for the lock, holding the pool's connection.
    bool waiting = false;
    for (int i = 0; i < 500 && !waiting; ++i) {
        auto const r = (*blocker)->exec(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        ASSERT_TRUE(r);
        waiting = r->int64(0, 0) == 1;
        if (!waiting) std::this_thread::sleep_for(10ms);
    }
    ASSERT_TRUE(waiting);
    auto page = s.feed->read_feed(start_, 100);
    ASSERT_TRUE(page.has_value()) << page.error().message();
    EXPECT_TRUE(page->entries.empty());  // the writer has not committed
    ASSERT_TRUE((*blocker)->exec("COMMIT"));
    EXPECT_TRUE(writer.get());
    EXPECT_EQ(users_of(since_start()), (std::vector<user_id>{alice_.id}));
}

TEST_P(change_feeds, creating_a_user_appends_nothing) {
    (void)add_user("carol@x.io");
    EXPECT_TRUE(since_start().empty());
}

TEST_P(change_feeds, user_changes_append_the_user_in_commit_order) {
    user_update rename;
    rename.full_name = "Alice";
    ASSERT_TRUE(s_.users->update_user(alice_.id, rename, 200));
    ASSERT_TRUE(s_.users->replace_password(bob_.id, bob_.password_hash, "$argon2id$new", "", 210));
    user_update scopes;
    scopes.scopes = std::vector<std::string>{"admin"};
    ASSERT_TRUE(s_.users->update_user(bob_.id, scopes, 220));
    ASSERT_TRUE(s_.users->delete_user(alice_.id));
    auto const entries = since_start();
    EXPECT_EQ(users_of(entries), (std::vector<user_id>{alice_.id, bob_.id, bob_.id, alice_.id}));
    EXPECT_TRUE(jtis_of(entries).empty());
}

TEST_P(change_feeds, revocations_append_each_jti_with_its_expiry) {
    ASSERT_TRUE(s_.revocations->revoke_jti("j1", 4100));
    ASSERT_TRUE(s_.revocations->revoke_jtis({{"j2", 4200}, {"j3", 4300}}));
    auto const entries = since_start();
    EXPECT_EQ(jtis_of(entries), (jti_list{{"j1", 4100}, {"j2", 4200}, {"j3", 4300}}));
    EXPECT_TRUE(users_of(entries).empty());
}

TEST_P(change_feeds, a_refresh_token_reuse_appends_the_familys_jtis) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    ASSERT_TRUE(
        s_.sessions->rotate_refresh("h-1", seen(alice_), make_grant(alice_, "f1", "2"), 200));
    auto const reuse =
        s_.sessions->rotate_refresh("h-1", seen(alice_), make_grant(alice_, "f1", "3"), 300);
    ASSERT_TRUE(reuse.has_value());
    ASSERT_EQ(reuse->state, refresh_state::spent);
    auto const jtis = jtis_of(since_start());
    EXPECT_EQ(jtis, (jti_list{{"j-1", 4000}, {"j-2", 4000}}));
}

TEST_P(change_feeds, a_logout_appends_the_familys_jtis) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    ASSERT_TRUE(s_.sessions->revoke_family("f1", 200));
    EXPECT_EQ(jtis_of(since_start()), (jti_list{{"j-1", 4000}}));
}

TEST_P(change_feeds, a_deactivation_appends_the_user_and_the_jtis_it_revokes) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f2", "2"), "", 110));
    user_update off;
    off.is_active = false;
    off.bump_token_version = true;
    ASSERT_TRUE(s_.users->update_user(alice_.id, off, 200));
    auto const entries = since_start();
    EXPECT_EQ(users_of(entries), std::vector<user_id>{alice_.id});
    auto jtis = jtis_of(entries);
    std::sort(jtis.begin(), jtis.end());
    EXPECT_EQ(jtis, (jti_list{{"j-1", 4000}, {"j-2", 4000}}));
}

TEST_P(change_feeds, a_password_change_appends_the_user_and_the_other_sessions_jtis) {
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f1", "1"), "", 100));
    ASSERT_TRUE(s_.sessions->start_session(seen(alice_), make_grant(alice_, "f2", "2"), "", 110));
    ASSERT_TRUE(
        s_.users->replace_password(alice_.id, alice_.password_hash, "$argon2id$new", "f2", 200));
    auto const entries = since_start();
    EXPECT_EQ(users_of(entries), std::vector<user_id>{alice_.id});
    EXPECT_EQ(jtis_of(entries), (jti_list{{"j-1", 4000}}));
}

TEST_P(change_feeds, a_rolled_back_use_case_appends_nothing) {
    user_update taken;
    taken.email = "BOB@x.io";
    EXPECT_EQ(s_.users->update_user(alice_.id, taken, 200).error(), errc::email_taken);
    EXPECT_EQ(
        s_.users->replace_password(alice_.id, "$argon2id$not-the-hash", "$argon2id$new", "", 200)
            .error(),
        errc::credentials_changed);
    EXPECT_TRUE(since_start().empty());
    EXPECT_EQ(s_.feed->feed_end().value(), start_);
}

TEST_P(change_feeds, a_change_by_another_process_reaches_this_feed) {
    auto other = open_again();
    ASSERT_NE(other.users, nullptr);
    user_update rename;
    rename.full_name = "From elsewhere";
    ASSERT_TRUE(other.users->update_user(bob_.id, rename, 200));
    ASSERT_TRUE(other.revocations->revoke_jti("elsewhere", 4000));
    auto const entries = since_start();
    EXPECT_EQ(users_of(entries), std::vector<user_id>{bob_.id});
    EXPECT_EQ(jtis_of(entries), (jti_list{{"elsewhere", 4000}}));
}

TEST_P(change_feeds, a_cursor_continues_without_repeats_and_the_limit_sets_more) {
    for (int i = 0; i < 5; ++i) {
        user_update rename;
        rename.full_name = numbered("name ", i);
        ASSERT_TRUE(s_.users->update_user(alice_.id, rename, 200 + i));
        ASSERT_TRUE(s_.revocations->revoke_jti(numbered("j", i), 4000 + i));
    }
    auto first = s_.feed->read_feed(start_, 3);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->entries.size(), 3U);
    EXPECT_TRUE(first->more);
    std::string cursor = first->cursor;
    auto rest = read_from(cursor, 3);
    std::vector<feed_entry> all = first->entries;
    all.insert(all.end(), rest.begin(), rest.end());
    EXPECT_EQ(all.size(), 10U);
    EXPECT_EQ(users_of(all), std::vector<user_id>(5, alice_.id));
    jti_list expected;
    for (int i = 0; i < 5; ++i) expected.emplace_back(numbered("j", i), 4000 + i);
    EXPECT_EQ(jtis_of(all), expected);
    // Read to the end: nothing again, until the next change.
    auto again = s_.feed->read_feed(cursor, 3);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->entries.empty());
    EXPECT_FALSE(again->more);
    ASSERT_TRUE(s_.users->delete_user(bob_.id));
    EXPECT_EQ(users_of(read_from(cursor)), std::vector<user_id>{bob_.id});
}

TEST_P(change_feeds, a_cursor_this_feed_did_not_make_is_invalid) {
    for (std::string_view const bad : {"", "x", "-1", "+1", "01", "1 ", " 1", "1.0",
                                       "99999999999999999999999", "0x10", "/", "1/2/3", "//"}) {
        auto r = s_.feed->read_feed(bad, 10);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error(), errc::invalid_argument) << bad;
    }
    EXPECT_EQ(s_.feed->read_feed(start_, 0).error(), errc::invalid_argument);
}

TEST_P(change_feeds, a_cursor_past_the_end_is_invalid) {
    ASSERT_TRUE(s_.revocations->revoke_jti("j1", 4000));
    user_update rename;
    rename.full_name = "A";
    ASSERT_TRUE(s_.users->update_user(alice_.id, rename, 200));
    auto const end = s_.feed->feed_end().value();
    // A cursor of a longer feed (another database, or this one restored from an older backup).
    std::string const beyond =
        uses_redis() ? "1000000" + end.substr(end.find('/')) : std::string{"1000000"};
    EXPECT_EQ(s_.feed->read_feed(beyond, 10).error(), errc::invalid_argument);
    if (uses_redis()) {
        std::string const later = end.substr(0, end.find('/')) + "/99999999999999-0";
        EXPECT_EQ(s_.feed->read_feed(later, 10).error(), errc::invalid_argument);
    }
    EXPECT_TRUE(s_.feed->read_feed(end, 10).has_value());
}

TEST_P(change_feeds, revoked_jtis_lists_only_the_unexpired) {
    ASSERT_TRUE(s_.revocations->revoke_jtis({{"old", 100}, {"edge", 200}, {"new", 300}}));
    auto list = s_.feed->revoked_jtis(200).value();
    EXPECT_EQ(list, (jti_list{{"new", 300}}));
    list = s_.feed->revoked_jtis(99).value();
    std::sort(list.begin(), list.end());
    EXPECT_EQ(list, (jti_list{{"edge", 200}, {"new", 300}, {"old", 100}}));
    EXPECT_TRUE(s_.feed->revoked_jtis(1000).value().empty());
}

TEST_P(change_feeds, trimming_keeps_the_newest_entry_and_readers_continue) {
    for (int i = 0; i < 3; ++i) {
        user_update rename;
        rename.full_name = numbered("name ", i);
        ASSERT_TRUE(s_.users->update_user(alice_.id, rename, 200 + i));
        ASSERT_TRUE(s_.revocations->revoke_jti(numbered("j", i), 4000 + i));
    }
    std::string cursor = start_;
    ASSERT_EQ(read_from(cursor).size(), 6U);
    EXPECT_EQ(s_.feed->trim_feed(unix_now() - 3600).value(), 0);  // nothing that old
    auto const end = s_.feed->feed_end().value();
    // Everything is older than a minute from now: all but the newest go (on each source).
    EXPECT_EQ(s_.feed->trim_feed(unix_now() + 60).value(), uses_redis() ? 4 : 5);
    EXPECT_EQ(s_.feed->trim_feed(unix_now() + 60).value(), 0);
    EXPECT_EQ(s_.feed->feed_end().value(), end);  // the end never moves back
    auto page = s_.feed->read_feed(cursor, 10);
    ASSERT_TRUE(page.has_value());
    EXPECT_TRUE(page->entries.empty());
    ASSERT_TRUE(s_.revocations->revoke_jti("after", 5000));
    ASSERT_TRUE(s_.users->delete_user(bob_.id));
    auto const entries = read_from(cursor);
    EXPECT_EQ(users_of(entries), std::vector<user_id>{bob_.id});
    EXPECT_EQ(jtis_of(entries), (jti_list{{"after", 5000}}));
}

TEST_P(change_feeds, wait_for_changes_returns_within_its_timeout) {
    auto const started = std::chrono::steady_clock::now();
    (void)s_.feed->wait_for_changes(200ms);  // an error only means: read the feed anyway
    auto const waited = std::chrono::steady_clock::now() - started;
    EXPECT_LT(waited, 5s);
}

// Many writers on two stores (two processes' connections) and a reader following the feed while
// they commit: on PostgreSQL, positions are taken in commit order (the feed's advisory lock), so a
// reader never steps past an entry that commits later.
TEST_P(change_feeds, a_reader_following_concurrent_writers_misses_nothing) {
    constexpr int writers = 8;
    constexpr int updates = 25;
    auto other = open_again();
    ASSERT_NE(other.users, nullptr);
    std::vector<user> users;
    for (int w = 0; w < writers; ++w) users.push_back(add_user(numbered("writer", w, "@x.io")));
    std::string cursor = s_.feed->feed_end().value();
    std::atomic<int> done{0};
    std::atomic<int> failures{0};
    std::vector<std::jthread> threads;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            auto& store = w % 2 == 0 ? s_ : other;
            for (int i = 0; i < updates; ++i) {
                user_update rename;
                rename.full_name = numbered("n", i);
                if (!store.users->update_user(users[static_cast<std::size_t>(w)].id, rename, 300))
                    ++failures;
            }
            ++done;
        });
    }
    std::size_t seen = 0;
    auto const give_up = std::chrono::steady_clock::now() + 120s;
    while (std::chrono::steady_clock::now() < give_up) {
        bool const finished = done.load() == writers;
        auto page = s_.feed->read_feed(cursor, 7);
        ASSERT_TRUE(page.has_value());
        seen += page->entries.size();
        cursor = page->cursor;
        if (finished && !page->more) break;  // read after every writer committed
    }
    threads.clear();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(seen, static_cast<std::size_t>(writers * updates));
}

WARDEN_ON_EVERY_BACKEND(change_feeds);

// PostgreSQL's wait is woken by NOTIFY from the committing transaction.
class postgres_feed_waits : public test::store_test {};

TEST_P(postgres_feed_waits, a_commit_elsewhere_wakes_the_waiter_early) {
    auto const u = add_user("alice@x.io");
    ASSERT_TRUE(s_.feed->wait_for_changes(0ms));  // listening from here on
    auto writer = std::async(std::launch::async, [&] {
        std::this_thread::sleep_for(300ms);
        auto other = open_again();
        user_update rename;
        rename.full_name = "Woken";
        return other.users != nullptr && other.users->update_user(u.id, rename, 200).has_value();
    });
    auto const started = std::chrono::steady_clock::now();
    ASSERT_TRUE(s_.feed->wait_for_changes(30s));
    auto const waited = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(writer.get());
    EXPECT_LT(waited, 15s);
}

TEST_P(postgres_feed_waits, without_changes_the_wait_ends_at_the_timeout) {
    ASSERT_TRUE(s_.feed->wait_for_changes(0ms));
    auto const started = std::chrono::steady_clock::now();
    ASSERT_TRUE(s_.feed->wait_for_changes(500ms));
    auto const waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 400ms);
    EXPECT_LT(waited, 10s);
}

INSTANTIATE_TEST_SUITE_P(on, postgres_feed_waits,
                         ::testing::Values(test::backend::postgresql,
                                           test::backend::postgresql_redis),
                         test::backend_name);

}  // namespace
}  // namespace warden::store
