#include <warden/auth/subject_cache.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <warden/auth/errc.hpp>
#include <warden/store/errc.hpp>

#include "support/numbered.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

using namespace std::chrono_literals;

/// Users in a map; counts the reads that reach it. `during_read` runs inside a read, after the
/// row was taken: a change committed while the read is in flight.
class counting_source final : public subject_source {
  public:
    boost::asio::awaitable<result<subject_read>> find(store::user_id id, std::string jti,
                                                      std::int64_t) override {
        subject_read read;
        {
            std::lock_guard const lock{mutex};
            ++reads;
            auto const it = users.find(id);
            if (it == users.end()) co_return make_error_code(errc::user_gone);
            read = {std::make_shared<subject const>(it->second), revoked.contains(jti)};
        }
        if (auto hook = std::exchange(during_read, nullptr)) hook();
        co_return read;
    }

    void put(subject s) {
        std::lock_guard const lock{mutex};
        users[s.id] = std::move(s);
    }

    std::mutex mutex;
    std::map<store::user_id, subject> users;
    std::set<std::string> revoked;
    std::atomic<int> reads{0};
    std::function<void()> during_read;
};

/// A feed in a vector; the cursor is the index of the next entry. `broken` fails every call.
class vector_feed final : public store::change_feed {
  public:
    result<std::string> feed_end() override {
        std::lock_guard const lock{mutex};
        if (broken) return make_error_code(store::errc::unavailable);
        return std::to_string(entries.size());
    }
    result<store::feed_page> read_feed(std::string_view cursor, std::size_t limit) override {
        std::this_thread::sleep_for(read_delay);
        std::lock_guard const lock{mutex};
        ++feed_reads;
        if (broken) return make_error_code(store::errc::unavailable);
        auto at = std::stoul(std::string{cursor});
        if (at > entries.size()) return make_error_code(store::errc::invalid_argument);
        store::feed_page page;
        for (; at < entries.size() && page.entries.size() < limit; ++at)
            page.entries.push_back(entries[at]);
        page.more = at < entries.size();
        page.cursor = std::to_string(at);
        return page;
    }
    result<void> wait_for_changes(std::chrono::milliseconds timeout) override {
        std::this_thread::sleep_for(full_waits ? timeout
                                               : std::min(timeout, std::chrono::milliseconds{5}));
        return {};
    }
    result<store::jti_list> revoked_jtis(std::int64_t now) override {
        std::lock_guard const lock{mutex};
        if (broken) return make_error_code(store::errc::unavailable);
        store::jti_list live;
        for (auto const& [jti, expires_at] : snapshot) {
            if (expires_at > now) live.emplace_back(jti, expires_at);
        }
        return live;
    }
    result<std::int64_t> trim_feed(std::int64_t) override { return 0; }

    void append(store::feed_entry entry) {
        std::lock_guard const lock{mutex};
        entries.push_back(std::move(entry));
    }
    void set_broken(bool b) {
        std::lock_guard const lock{mutex};
        broken = b;
    }

    std::mutex mutex;
    std::vector<store::feed_entry> entries;
    store::jti_list snapshot;
    bool broken = false;
    int feed_reads = 0;
    std::chrono::milliseconds read_delay{0};  ///< each read_feed takes this long
    bool full_waits = false;                  ///< wait_for_changes waits its whole timeout
};

store::feed_entry changed(store::user_id id) { return {.user = id, .jti = {}, .expires_at = 0}; }

subject user(store::user_id id, std::string email, bool active = true) {
    return {id, std::move(email), "Name", active, {"read"}, 1, 1, 0};
}

/// Polls `done` until it holds or 5 s pass (no fixed sleeps).
bool eventually(std::function<bool()> const& done) {
    auto const deadline = std::chrono::steady_clock::now() + 5s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

class subject_cache_test : public ::testing::Test {
  protected:
    void SetUp() override {
        source.put(user(1, "one@example.com"));
        source.put(user(2, "two@example.com"));
    }
    std::unique_ptr<subject_cache> make(cache_options options = {.capacity = 100,
                                                                 .sync_interval = 60s}) {
        auto cache = std::make_unique<subject_cache>(source, feed, clock, options);
        EXPECT_TRUE(cache->start());
        return cache;
    }
    result<subject_read> find(subject_cache& cache, store::user_id id, std::string jti = "j") {
        return test::run(cache.find(id, std::move(jti), far_future));
    }

    static constexpr std::int64_t far_future = 4'000'000'000;
    counting_source source;
    vector_feed feed;
    warden::manual_clock clock{std::chrono::system_clock::time_point{std::chrono::seconds{1000}}};
};

TEST_F(subject_cache_test, answers_a_second_read_from_memory) {
    auto cache = make();
    auto const first = find(*cache, 1);
    ASSERT_TRUE(first) << first.error().message();
    EXPECT_EQ(first->user->email, "one@example.com");
    auto const second = find(*cache, 1);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->user->email, "one@example.com");
    EXPECT_FALSE(second->jti_revoked);
    EXPECT_EQ(source.reads, 1);
    EXPECT_EQ(cache->size(), 1U);
}

TEST_F(subject_cache_test, a_gone_user_is_an_error_and_is_not_cached) {
    auto cache = make();
    EXPECT_EQ(find(*cache, 9).error(), errc::user_gone);
    EXPECT_EQ(find(*cache, 9).error(), errc::user_gone);
    EXPECT_EQ(source.reads, 2);
    EXPECT_EQ(cache->size(), 0U);
}

TEST_F(subject_cache_test, a_user_change_in_the_feed_is_read_from_the_source_again) {
    auto cache = make();
    ASSERT_TRUE(find(*cache, 1));
    ASSERT_TRUE(find(*cache, 2));
    source.put(user(1, "one@example.com", false));
    feed.append(changed(1));
    ASSERT_TRUE(cache->catch_up());
    auto const after = find(*cache, 1);
    ASSERT_TRUE(after);
    EXPECT_FALSE(after->user->is_active);
    EXPECT_EQ(source.reads, 3);
    ASSERT_TRUE(find(*cache, 2));  // untouched: still from memory
    EXPECT_EQ(source.reads, 3);
}

TEST_F(subject_cache_test, a_revocation_in_the_feed_is_answered_from_memory) {
    auto cache = make();
    ASSERT_TRUE(find(*cache, 1, "a"));
    feed.append({.user = 0, .jti = "a", .expires_at = far_future});
    ASSERT_TRUE(cache->catch_up());
    auto const revoked = find(*cache, 1, "a");
    ASSERT_TRUE(revoked);
    EXPECT_TRUE(revoked->jti_revoked);
    auto const other = find(*cache, 1, "b");
    ASSERT_TRUE(other);
    EXPECT_FALSE(other->jti_revoked);
    EXPECT_EQ(source.reads, 1);
}

TEST_F(subject_cache_test, starts_from_the_revoked_jtis_that_have_not_expired) {
    feed.snapshot = {{"live", far_future}, {"old", 10}};
    auto cache = make();
    ASSERT_TRUE(find(*cache, 1, "x"));
    EXPECT_TRUE(find(*cache, 1, "live")->jti_revoked);
    EXPECT_FALSE(find(*cache, 1, "old")->jti_revoked);
    EXPECT_EQ(source.reads, 1);
}

TEST_F(subject_cache_test, follows_the_feed_by_itself_within_the_sync_interval) {
    auto cache = make({.capacity = 100, .sync_interval = 100ms});
    ASSERT_TRUE(find(*cache, 1));
    source.put(user(1, "renamed@example.com"));
    feed.append(changed(1));
    EXPECT_TRUE(eventually([&] { return find(*cache, 1)->user->email == "renamed@example.com"; }));
}

// Reads start every quarter of the sync interval however long they take. With 1 s waits after
// each 1.75 s read, the trust (4 s from the start of the last read) would lapse 5 s in; starting
// each read a quarter interval after the previous one started, a read is never more than 3.5 s old.
TEST_F(subject_cache_test, slow_feed_reads_do_not_stretch_the_interval_between_reads) {
    feed.read_delay = 1750ms;
    feed.full_waits = true;
    auto cache = make({.capacity = 100, .sync_interval = 4s});
    ASSERT_TRUE(find(*cache, 1));
    auto const until = std::chrono::steady_clock::now() + 7s;
    while (std::chrono::steady_clock::now() < until) {
        ASSERT_TRUE(find(*cache, 1));
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(source.reads, 1);  // every later read answered from memory: never distrusted
    std::lock_guard const lock{feed.mutex};
    EXPECT_GE(feed.feed_reads, 3);
}

TEST_F(subject_cache_test, a_read_racing_a_change_is_not_kept) {
    auto cache = make();
    // The source's answer is taken, then the change commits and is applied, then the answer
    // arrives: it may predate the change, so it must not be served from memory afterwards.
    source.during_read = [&] {
        source.put(user(1, "changed@example.com"));
        feed.append(changed(1));
        ASSERT_TRUE(cache->catch_up());
    };
    EXPECT_EQ(find(*cache, 1)->user->email, "one@example.com");
    EXPECT_EQ(find(*cache, 1)->user->email, "changed@example.com");
    EXPECT_EQ(source.reads, 2);
}

TEST_F(subject_cache_test, holds_at_most_its_capacity_and_answers_as_without_it) {
    for (store::user_id id = 3; id <= 40; ++id) source.put(user(id, test::numbered("u", id)));
    auto cache = make({.capacity = 5, .sync_interval = 60s});
    for (int round = 0; round < 3; ++round) {
        for (store::user_id id = 3; id <= 40; ++id) {
            EXPECT_EQ(find(*cache, id)->user->email, test::numbered("u", id));
            EXPECT_LE(cache->size(), 5U);
        }
        // A change to any of them is seen on the next read, cached or not.
        auto const changed_id = 3 + round * 11;
        source.put(user(changed_id, "changed@example.com"));
        feed.append(changed(changed_id));
        ASSERT_TRUE(cache->catch_up());
        EXPECT_EQ(find(*cache, changed_id)->user->email, "changed@example.com");
        source.put(user(changed_id, test::numbered("u", changed_id)));
        feed.append(changed(changed_id));
        ASSERT_TRUE(cache->catch_up());
    }
    EXPECT_EQ(cache->size(), 5U);
    EXPECT_GT(source.reads, 3 * 38);  // most reads missed: 38 users through 5 places
}

TEST_F(subject_cache_test, stops_trusting_memory_when_the_feed_cannot_be_read) {
    auto cache = make({.capacity = 100, .sync_interval = 100ms});
    ASSERT_TRUE(find(*cache, 1));
    feed.set_broken(true);
    ASSERT_TRUE(eventually([&] { return !cache->trusted(); }));
    auto const reads = source.reads.load();
    ASSERT_TRUE(find(*cache, 1));
    ASSERT_TRUE(find(*cache, 1));
    EXPECT_EQ(source.reads, reads + 2);  // every answer from the source
    // A change made while the feed was unreadable is enforced once it can be read again.
    source.put(user(1, "later@example.com"));
    feed.append(changed(1));
    feed.set_broken(false);
    ASSERT_TRUE(eventually([&] { return cache->trusted(); }));
    EXPECT_EQ(find(*cache, 1)->user->email, "later@example.com");
}

TEST_F(subject_cache_test, a_failed_catch_up_distrusts_at_once) {
    auto cache = make();
    ASSERT_TRUE(find(*cache, 1));
    feed.set_broken(true);
    EXPECT_FALSE(cache->catch_up());
    EXPECT_FALSE(cache->trusted());
    auto const reads = source.reads.load();
    ASSERT_TRUE(find(*cache, 1));
    EXPECT_EQ(source.reads, reads + 1);
}

TEST_F(subject_cache_test, a_replaced_database_starts_the_cache_over) {
    feed.append(changed(2));
    feed.append(changed(2));
    auto cache = make();  // its position: 2
    ASSERT_TRUE(find(*cache, 1));
    {
        // A restored backup: the feed is shorter than the position, and user 1 changed.
        std::lock_guard const lock{feed.mutex};
        feed.entries.clear();
        feed.snapshot = {{"restored", far_future}};
    }
    source.put(user(1, "restored@example.com"));
    ASSERT_TRUE(cache->catch_up());
    EXPECT_TRUE(cache->trusted());
    EXPECT_EQ(find(*cache, 1, "x")->user->email, "restored@example.com");
    EXPECT_TRUE(find(*cache, 1, "restored")->jti_revoked);
}

TEST_F(subject_cache_test, a_start_on_an_unreadable_feed_fails) {
    feed.set_broken(true);
    subject_cache cache{source, feed, clock, {}};
    EXPECT_FALSE(cache.start());
    EXPECT_FALSE(cache.trusted());
}

TEST_F(subject_cache_test, stopped_it_reads_the_source) {
    auto cache = make();
    ASSERT_TRUE(find(*cache, 1));
    cache->stop();
    EXPECT_TRUE(cache->catch_up());  // a write after the stop does not trust memory again
    EXPECT_FALSE(cache->trusted());
    ASSERT_TRUE(find(*cache, 1));
    EXPECT_EQ(source.reads, 2);
}

TEST_F(subject_cache_test, many_readers_and_a_writer_agree_at_the_end) {
    auto cache = make({.capacity = 8, .sync_interval = 50ms});
    for (store::user_id id = 3; id <= 32; ++id) source.put(user(id, "u@example.com"));
    std::atomic<bool> done{false};
    std::vector<std::jthread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&, t] {
            for (int i = 0; !done; ++i) (void)find(*cache, 1 + (i * 7 + t) % 32);
        });
    }
    for (int change = 0; change < 50; ++change) {
        source.put(user(1 + change % 32, test::numbered("v", change, "@example.com")));
        feed.append(changed(1 + change % 32));
        if (change % 5 == 0) {
            ASSERT_TRUE(cache->catch_up());
        }
    }
    ASSERT_TRUE(cache->catch_up());
    done = true;
    readers.clear();
    for (int change = 18; change < 50; ++change) {  // the last change of each user wins
        EXPECT_EQ(find(*cache, 1 + change % 32)->user->email,
                  test::numbered("v", change, "@example.com"));
    }
}

}  // namespace
}  // namespace warden::auth
