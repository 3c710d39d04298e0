// The Redis backend (revocation_store, counter_store) against a throwaway redis-server per test.
#include "store/redis/redis_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <csignal>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <hiredis/hiredis.h>

#include <warden/store/store.hpp>

#include "store/redis/connection.hpp"
#include "store/redis/redis_url.hpp"
#include "support/numbered.hpp"
#include "support/redis_server.hpp"
#include "support/temp_dir.hpp"

namespace warden::store {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

constexpr std::int64_t t0 = 1'000'000;  // a fake clock's "now", as the SQLite tests use

struct reply_free {
    void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
struct context_free {
    void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using raw_reply = std::unique_ptr<redisReply, reply_free>;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::chrono::milliseconds since(steady::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - start);
}

class redis_test : public ::testing::Test {
  protected:
    void SetUp() override {
        WARDEN_REQUIRE_REDIS_SERVER();
        server_.emplace(server_options());
        store_ = open_store(server_->url());
        ASSERT_TRUE(store_);
    }

    [[nodiscard]] virtual test::redis_server::options server_options() const { return {}; }

    static redis_store::options quick() {
        return {.max_connections = 4, .connect_timeout = 5s, .io_timeout = 2s};
    }

    static std::shared_ptr<redis_store> open_store(std::string const& url,
                                                   redis_store::options opts = quick()) {
        std::string why;
        auto r = redis_store::open(url, opts, &why);
        EXPECT_TRUE(r.has_value()) << why;
        return r.has_value() ? *r : nullptr;
    }

    // One command on a connection of its own, database `db`: what the store wrote, seen from
    // outside.
    raw_reply raw(std::vector<std::string> const& args, int db = 0) const {
        std::unique_ptr<redisContext, context_free> c{
            redisConnectWithTimeout("127.0.0.1", server_->port(), timeval{5, 0})};
        if (!c || c->err != 0) {
            ADD_FAILURE() << "raw connection failed";
            return nullptr;
        }
        auto const command = [&c](std::vector<std::string> const& a) {
            std::vector<char const*> argv;
            std::vector<std::size_t> lengths;
            for (auto const& s : a) {
                argv.push_back(s.data());
                lengths.push_back(s.size());
            }
            return raw_reply{static_cast<redisReply*>(redisCommandArgv(
                c.get(), static_cast<int>(argv.size()), argv.data(), lengths.data()))};
        };
        if (auto const password = server_options().password; !password.empty()) {
            command({"AUTH", password});
        }
        if (db != 0) command({"SELECT", std::to_string(db)});
        auto reply = command(args);
        if (!reply) ADD_FAILURE() << "raw command failed";
        return reply;
    }
    long long raw_int(std::vector<std::string> const& args, int db = 0) const {
        auto const r = raw(args, db);
        EXPECT_TRUE(r && r->type == REDIS_REPLY_INTEGER);
        return r && r->type == REDIS_REPLY_INTEGER ? r->integer : -999;
    }
    std::string raw_text(std::vector<std::string> const& args, int db = 0) const {
        auto const r = raw(args, db);
        return r && r->str != nullptr ? std::string{r->str, r->len} : std::string{"(nil)"};
    }

    std::optional<test::redis_server> server_;
    std::shared_ptr<redis_store> store_;
};

// revocations

using redis_revocations = redis_test;

TEST_F(redis_revocations, a_revoked_jti_is_revoked_and_no_other) {
    auto const expires_at = unix_now() + 600;
    ASSERT_TRUE(store_->revoke_jti("j1", expires_at));
    EXPECT_TRUE(*store_->is_revoked("j1"));
    EXPECT_FALSE(*store_->is_revoked("j2"));
    EXPECT_FALSE(*store_->is_revoked("J1"));
    EXPECT_FALSE(*store_->is_revoked("j1 "));
    EXPECT_FALSE(*store_->is_revoked(""));
    // The value is the token's expiry (the change feed's revoked_jtis reads it).
    EXPECT_EQ(raw_text({"GET", "warden:revoked:j1"}), std::to_string(expires_at));
}

TEST_F(redis_revocations, the_key_expires_a_margin_after_the_token) {
    auto const now = unix_now();
    ASSERT_TRUE(store_->revoke_jti("j1", now + 600));
    auto const ttl = raw_int({"PTTL", "warden:revoked:j1"});
    EXPECT_GT(ttl, (600 + 300 - 5) * 1000);
    EXPECT_LE(ttl, (600 + 300 + 1) * 1000);
}

TEST_F(redis_revocations, revoking_again_keeps_the_later_expiry) {
    auto const now = unix_now();
    ASSERT_TRUE(store_->revoke_jti("j1", now + 100));
    ASSERT_TRUE(store_->revoke_jti("j1", now + 1000));
    EXPECT_GT(raw_int({"PTTL", "warden:revoked:j1"}), (1000 + 300 - 5) * 1000);
    ASSERT_TRUE(store_->revoke_jti("j1", now + 10));  // earlier: changes nothing
    EXPECT_GT(raw_int({"PTTL", "warden:revoked:j1"}), (1000 + 300 - 5) * 1000);
    EXPECT_TRUE(*store_->is_revoked("j1"));
}

TEST_F(redis_revocations, a_token_already_expired_stays_revoked_for_the_margin) {
    // A fake clock far in the past (as the SQLite tests use): revoked right away all the same.
    ASSERT_TRUE(store_->revoke_jti("j1", 100));
    EXPECT_TRUE(*store_->is_revoked("j1"));
    auto const ttl = raw_int({"PTTL", "warden:revoked:j1"});
    EXPECT_GT(ttl, 295'000);
    EXPECT_LE(ttl, 300'000);
}

TEST_F(redis_revocations, an_expiry_far_in_the_future_is_capped) {
    ASSERT_TRUE(store_->revoke_jti("j1", std::numeric_limits<std::int64_t>::max()));
    ASSERT_TRUE(store_->revoke_jti("j2", std::numeric_limits<std::int64_t>::min()));
    EXPECT_TRUE(*store_->is_revoked("j1"));
    EXPECT_TRUE(*store_->is_revoked("j2"));
    EXPECT_GT(raw_int({"TTL", "warden:revoked:j1"}), 99LL * 365 * 24 * 3600);
}

TEST_F(redis_revocations, an_empty_jti_is_refused) {
    EXPECT_EQ(store_->revoke_jti("", unix_now() + 60).error(), errc::invalid_argument);
    // In a batch: nothing of it is written.
    EXPECT_EQ(store_->revoke_jtis({{"a", unix_now() + 60}, {"", unix_now() + 60}}).error(),
              errc::invalid_argument);
    EXPECT_FALSE(*store_->is_revoked("a"));
}

TEST_F(redis_revocations, a_batch_revokes_every_jti) {
    auto const now = unix_now();
    ASSERT_TRUE(store_->revoke_jti("j7", now + 5000));
    jti_list batch;
    for (int i = 0; i < 200; ++i) batch.emplace_back(test::numbered("j", i), now + 60);
    ASSERT_TRUE(store_->revoke_jtis(batch));
    for (auto const& [jti, expires_at] : batch) EXPECT_TRUE(*store_->is_revoked(jti)) << jti;
    EXPECT_FALSE(*store_->is_revoked("j200"));
    // Each one keeps the later expiry.
    EXPECT_GT(raw_int({"PTTL", "warden:revoked:j7"}), (5000 + 300 - 5) * 1000);
    EXPECT_LE(raw_int({"PTTL", "warden:revoked:j8"}), (60 + 300 + 1) * 1000);
    EXPECT_TRUE(store_->revoke_jtis({}));
}

TEST_F(redis_revocations, a_batch_runs_one_script_call_per_jti) {
    ASSERT_EQ(raw_text({"CONFIG", "RESETSTAT"}), "OK");
    jti_list batch;
    for (int i = 0; i < 50; ++i) batch.emplace_back(test::numbered("j", i), unix_now() + 60);
    ASSERT_TRUE(store_->revoke_jtis(batch));
    auto const stats = raw_text({"INFO", "commandstats"});
    EXPECT_NE(stats.find("cmdstat_evalsha:calls=50,"), std::string::npos) << stats;
}

TEST_F(redis_revocations, jtis_may_hold_any_bytes) {
    using namespace std::string_literals;
    std::vector<std::string> const odd{"a\0b"s,
                                       "line\r\nPING\r\n",
                                       "*1\r\n$4\r\nQUIT\r\n",
                                       "%s%n%x",
                                       "with space",
                                       "\xff\xfe\x80",
                                       "ключ",
                                       "\"'`;",
                                       std::string(3000, 'x')};
    for (auto const& jti : odd) {
        ASSERT_TRUE(store_->revoke_jti(jti, unix_now() + 60)) << jti;
        EXPECT_TRUE(*store_->is_revoked(jti)) << jti;
        EXPECT_EQ(raw_int({"EXISTS", "warden:revoked:" + jti}), 1) << jti;
    }
    EXPECT_FALSE(*store_->is_revoked("a"));
    EXPECT_FALSE(*store_->is_revoked("a\0c"s));
    // A key per jti, and the change feed's stream.
    EXPECT_EQ(raw_int({"DBSIZE"}), static_cast<long long>(odd.size()) + 1);
    auto listed = store_->revoked_jtis(unix_now()).value();
    ASSERT_EQ(listed.size(), odd.size());
    auto page = store_->read_feed("0-0", 100).value();
    ASSERT_EQ(page.entries.size(), odd.size());
    for (std::size_t i = 0; i < odd.size(); ++i) EXPECT_EQ(page.entries[i].jti, odd[i]);
    for (auto const& jti : odd) {
        EXPECT_NE(std::find_if(listed.begin(), listed.end(),
                               [&](auto const& e) { return e.first == jti; }),
                  listed.end())
            << jti;
    }
}

TEST_F(redis_revocations, purge_has_nothing_to_do) {
    ASSERT_TRUE(store_->revoke_jti("j1", 100));
    EXPECT_EQ(*store_->purge_expired_revocations(unix_now() + 100'000), 0);
    EXPECT_TRUE(*store_->is_revoked("j1"));  // Redis expires it, at its TTL
}

TEST_F(redis_revocations, scripts_run_again_after_the_server_forgot_them) {
    ASSERT_TRUE(store_->revoke_jti("j1", unix_now() + 60));
    ASSERT_EQ(raw_text({"SCRIPT", "FLUSH"}), "OK");
    ASSERT_TRUE(store_->revoke_jti("j2", unix_now() + 60));  // NOSCRIPT, then EVAL
    EXPECT_TRUE(*store_->is_revoked("j2"));
    ASSERT_EQ(raw_text({"SCRIPT", "FLUSH"}), "OK");
    EXPECT_EQ(*store_->add_failure("k", t0, 60), (failure_count{1, t0}));
    EXPECT_EQ(*store_->add_failure("k", t0, 60), (failure_count{2, t0}));
}

TEST_F(redis_revocations, a_key_of_another_type_is_a_backend_error) {
    ASSERT_EQ(raw_int({"LPUSH", "warden:failures:list", "x"}), 1);
    EXPECT_EQ(store_->add_failure("list", t0, 60).error(), errc::backend_error);
    EXPECT_EQ(store_->failures("list", t0, 60).error(), errc::backend_error);
    EXPECT_EQ(store_->reserve_attempt({"list"}, t0, 60, 5).error(), errc::backend_error);
    EXPECT_TRUE(store_->ping());  // the connection is still good
}

// counters: the SQLite backend's semantics, on the caller's clock

using redis_counters = redis_test;

TEST_F(redis_counters, failures_add_up_within_the_window) {
    EXPECT_EQ(*store_->add_failure("account:a", 1000, 60), (failure_count{1, 1000}));
    EXPECT_EQ(*store_->add_failure("account:a", 1010, 60), (failure_count{2, 1000}));
    EXPECT_EQ(*store_->add_failure("account:a", 1059, 60), (failure_count{3, 1000}));
    EXPECT_EQ(*store_->failures("account:a", 1059, 60), (failure_count{3, 1000}));
}

TEST_F(redis_counters, the_window_restarts_once_it_has_passed) {
    ASSERT_TRUE(store_->add_failure("k", 1000, 60));
    ASSERT_TRUE(store_->add_failure("k", 1001, 60));
    EXPECT_EQ(*store_->failures("k", 1059, 60), (failure_count{2, 1000}));
    EXPECT_EQ(*store_->failures("k", 1060, 60), (failure_count{}));  // exactly one window later
    EXPECT_EQ(*store_->add_failure("k", 1060, 60), (failure_count{1, 1060}));
    EXPECT_EQ(*store_->add_failure("k", 1061, 60), (failure_count{2, 1060}));
}

TEST_F(redis_counters, a_counter_key_expires_with_its_window) {
    ASSERT_TRUE(store_->add_failure("k", t0, 60));
    auto const ttl = raw_int({"TTL", "warden:failures:k"});
    EXPECT_GT(ttl, 55);
    EXPECT_LE(ttl, 60);
    EXPECT_EQ(raw_text({"HGET", "warden:failures:k", "count"}), "1");
    EXPECT_EQ(raw_text({"HGET", "warden:failures:k", "start"}), std::to_string(t0));
    // Counting on in the window leaves the expiry where the window ends.
    ASSERT_TRUE(raw_int({"EXPIRE", "warden:failures:k", "30"}));
    ASSERT_TRUE(store_->add_failure("k", t0 + 1, 60));
    EXPECT_LE(raw_int({"TTL", "warden:failures:k"}), 30);
}

TEST_F(redis_counters, an_unknown_key_has_no_failures) {
    EXPECT_EQ(*store_->failures("nobody", 1000, 60), (failure_count{}));
    EXPECT_EQ(*store_->failures("", 1000, 60), (failure_count{}));
}

TEST_F(redis_counters, keys_are_independent_and_exact) {
    ASSERT_TRUE(store_->add_failure("account:a", 1000, 60));
    ASSERT_TRUE(store_->add_failure("address:10.0.0.1", 1000, 60));
    EXPECT_EQ(store_->failures("account:a", 1000, 60)->count, 1);
    EXPECT_EQ(store_->failures("account:A", 1000, 60)->count, 0);
    EXPECT_EQ(store_->failures("address:10.0.0.1", 1000, 60)->count, 1);
    using namespace std::string_literals;
    ASSERT_TRUE(store_->add_failure("account:x\0y\r\n"s, 1000, 60));
    EXPECT_EQ(store_->failures("account:x\0y\r\n"s, 1000, 60)->count, 1);
    EXPECT_EQ(store_->failures("account:x"s, 1000, 60)->count, 0);
}

TEST_F(redis_counters, reset_forgets_the_key) {
    ASSERT_TRUE(store_->add_failure("k", 1000, 60));
    ASSERT_TRUE(store_->add_failure("other", 1000, 60));
    ASSERT_TRUE(store_->reset_failures("k"));
    EXPECT_EQ(*store_->failures("k", 1000, 60), (failure_count{}));
    EXPECT_EQ(store_->failures("other", 1000, 60)->count, 1);
    EXPECT_TRUE(store_->reset_failures("k"));        // idempotent
    EXPECT_TRUE(store_->reset_failures("unknown"));  // nothing to forget
    EXPECT_EQ(*store_->add_failure("k", 1001, 60), (failure_count{1, 1001}));
}

TEST_F(redis_counters, empty_keys_are_refused) {
    EXPECT_EQ(store_->add_failure("", 1000, 60).error(), errc::invalid_argument);
    EXPECT_EQ(store_->reserve_attempt({}, 1000, 60, 5).error(), errc::invalid_argument);
    EXPECT_EQ(store_->reserve_attempt({"a", ""}, 1000, 60, 5).error(), errc::invalid_argument);
    EXPECT_EQ(*store_->failures("a", 1000, 60), (failure_count{}));  // nothing counted
}

TEST_F(redis_counters, extreme_times_and_windows_do_not_overflow) {
    auto const max = std::numeric_limits<std::int64_t>::max();
    auto const min = std::numeric_limits<std::int64_t>::min();
    ASSERT_TRUE(store_->add_failure("k", 0, max));
    EXPECT_EQ(store_->add_failure("k", max, max)->count, 1);  // max - 0 >= max: restarted
    EXPECT_EQ(*store_->failures("k", max, max), (failure_count{1, max}));
    EXPECT_EQ(store_->add_failure("k", max, max)->count, 2);
    // Times that differ in the last digits only, where a double would round them together.
    EXPECT_EQ(*store_->add_failure("n", max - 10, 5), (failure_count{1, max - 10}));
    EXPECT_EQ(*store_->add_failure("n", max - 6, 5), (failure_count{2, max - 10}));
    EXPECT_EQ(*store_->add_failure("n", max - 5, 5), (failure_count{1, max - 5}));
    EXPECT_EQ(*store_->add_failure("m", min, max), (failure_count{1, min}));
    EXPECT_EQ(store_->add_failure("z", 1000, 0)->count, 1);  // a window of 0 never goes on
    EXPECT_EQ(store_->add_failure("z", 1000, 0)->count, 1);
    EXPECT_EQ(store_->add_failure("z", 1000, -5)->count, 1);
    EXPECT_EQ(*store_->purge_expired_failures(max, max), 0);
    EXPECT_EQ(*store_->purge_expired_failures(min, max), 0);
}

TEST_F(redis_counters, purge_has_nothing_to_do) {
    ASSERT_TRUE(store_->add_failure("old", 1000, 60));
    EXPECT_EQ(*store_->purge_expired_failures(5000, 60), 0);
    EXPECT_EQ(raw_int({"EXISTS", "warden:failures:old"}), 1);  // Redis expires it, at its TTL
}

TEST_F(redis_counters, reserve_admits_up_to_the_limit_then_refuses_without_counting) {
    std::vector<std::string> const keys{"account:a", "address:1.2.3.4"};
    for (std::int64_t i = 1; i <= 3; ++i) {
        auto const r = store_->reserve_attempt(keys, t0 + i, 60, 3);
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->admitted);
        EXPECT_EQ(r->counts, (std::vector<failure_count>{{i, t0 + 1}, {i, t0 + 1}}));
    }
    auto const refused = store_->reserve_attempt(keys, t0 + 10, 60, 3);
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->admitted);
    EXPECT_EQ(refused->counts, (std::vector<failure_count>{{3, t0 + 1}}));
    EXPECT_EQ(*store_->failures("account:a", t0 + 10, 60), (failure_count{3, t0 + 1}));
    EXPECT_EQ(*store_->failures("address:1.2.3.4", t0 + 10, 60), (failure_count{3, t0 + 1}));
    // A new window admits again.
    auto const later = store_->reserve_attempt(keys, t0 + 61, 60, 3);
    ASSERT_TRUE(later);
    EXPECT_TRUE(later->admitted);
    EXPECT_EQ(later->counts, (std::vector<failure_count>{{1, t0 + 61}, {1, t0 + 61}}));
}

TEST_F(redis_counters, reserve_is_all_or_nothing_over_two_keys) {
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(store_->add_failure("address:ip", t0, 60));
    ASSERT_TRUE(store_->add_failure("account:b", t0, 60));
    auto const r = store_->reserve_attempt({"account:a", "account:b", "address:ip"}, t0 + 1, 60, 5);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->admitted);
    EXPECT_EQ(r->counts, (std::vector<failure_count>{{5, t0}}));  // the key at the limit
    EXPECT_EQ(*store_->failures("account:a", t0 + 1, 60), (failure_count{}));
    EXPECT_EQ(*store_->failures("account:b", t0 + 1, 60), (failure_count{1, t0}));
    EXPECT_EQ(raw_int({"EXISTS", "warden:failures:account:a"}), 0);
}

TEST_F(redis_counters, release_gives_one_back_never_below_zero) {
    ASSERT_TRUE(store_->reserve_attempt({"k"}, t0, 60, 5));
    ASSERT_TRUE(store_->reserve_attempt({"k"}, t0, 60, 5));
    ASSERT_TRUE(store_->release_attempt("k", t0 + 1, 60));
    EXPECT_EQ(*store_->failures("k", t0 + 1, 60), (failure_count{1, t0}));
    ASSERT_TRUE(store_->release_attempt("k", t0 + 1, 60));
    ASSERT_TRUE(store_->release_attempt("k", t0 + 1, 60));
    EXPECT_EQ(*store_->failures("k", t0 + 1, 60), (failure_count{0, t0}));
    EXPECT_EQ(store_->add_failure("k", t0 + 2, 60)->count, 1);
    // Nothing when the window has passed or the key is unknown (no key is made).
    ASSERT_TRUE(store_->release_attempt("k", t0 + 60, 60));
    EXPECT_EQ(raw_text({"HGET", "warden:failures:k", "count"}), "1");
    ASSERT_TRUE(store_->release_attempt("unknown", t0, 60));
    ASSERT_TRUE(store_->release_attempt("", t0, 60));
    EXPECT_EQ(raw_int({"EXISTS", "warden:failures:unknown"}), 0);
}

// The same random sequence of counter calls on SQLite and on Redis gives the same answers.
TEST_F(redis_counters, answers_as_the_sqlite_backend_does) {
    test::temp_dir dir;
    std::string why;
    auto sqlite = store::open("sqlite:///" + (dir.path() / "warden.db").string(), &why);
    ASSERT_TRUE(sqlite) << why;
    auto& reference = *sqlite->counters;
    std::mt19937 random{20'261'204};
    auto const pick = [&random](int n) { return static_cast<int>(random() % unsigned(n)); };
    std::vector<std::string> const names{"account:a", "account:b", "address:ip"};
    std::int64_t now = t0;
    for (int step = 0; step < 400; ++step) {
        now += pick(25);
        auto const& key = names[static_cast<std::size_t>(pick(3))];
        SCOPED_TRACE(test::numbered("step ", step));
        switch (pick(6)) {
            case 0: {
                auto const a = reference.add_failure(key, now, 60);
                auto const b = store_->add_failure(key, now, 60);
                ASSERT_TRUE(a && b);
                EXPECT_EQ(*a, *b);
                break;
            }
            case 1:
            case 2: {
                std::vector<std::string> keys{key};
                if (pick(2) == 0) keys.push_back(names[static_cast<std::size_t>(pick(3))]);
                auto const a = reference.reserve_attempt(keys, now, 60, 3);
                auto const b = store_->reserve_attempt(keys, now, 60, 3);
                ASSERT_TRUE(a && b);
                EXPECT_EQ(a->admitted, b->admitted);
                EXPECT_EQ(a->counts, b->counts);
                break;
            }
            case 3:
                ASSERT_TRUE(reference.release_attempt(key, now, 60));
                ASSERT_TRUE(store_->release_attempt(key, now, 60));
                break;
            case 4:
                if (pick(4) == 0) {
                    ASSERT_TRUE(reference.reset_failures(key));
                    ASSERT_TRUE(store_->reset_failures(key));
                }
                break;
            default:
                break;
        }
        for (auto const& name : names) {
            EXPECT_EQ(*reference.failures(name, now, 60), *store_->failures(name, now, 60)) << name;
        }
    }
}

// concurrency: several threads, several "processes" (stores with pools of their own)

using redis_concurrency = redis_test;

// Runs `body(i)` on `n` threads released together.
void on_threads(int n, std::function<void(int)> const& body) {
    std::barrier start{n};
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            start.arrive_and_wait();
            body(i);
        });
    }
}

TEST_F(redis_concurrency, sixteen_racing_attempts_admit_exactly_the_limit) {
    std::atomic<int> admitted{0};
    std::atomic<int> errors{0};
    on_threads(16, [&](int) {
        auto const r = store_->reserve_attempt({"account:a", "address:ip"}, t0, 60, 5);
        if (!r) ++errors;
        if (r && r->admitted) ++admitted;
    });
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(admitted.load(), 5);
    EXPECT_EQ(*store_->failures("account:a", t0, 60), (failure_count{5, t0}));
    EXPECT_EQ(*store_->failures("address:ip", t0, 60), (failure_count{5, t0}));
}

TEST_F(redis_concurrency, two_stores_share_the_limit_as_two_processes_would) {
    auto const other = open_store(server_->url());
    ASSERT_TRUE(other);
    std::atomic<int> admitted{0};
    std::atomic<int> errors{0};
    on_threads(16, [&](int i) {
        auto& s = i % 2 == 0 ? *store_ : *other;
        auto const r = s.reserve_attempt({"account:a"}, t0, 60, 5);
        if (!r) ++errors;
        if (r && r->admitted) ++admitted;
    });
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(admitted.load(), 5);
    EXPECT_EQ(other->failures("account:a", t0, 60)->count, 5);
}

TEST_F(redis_concurrency, concurrent_failures_and_releases_are_all_counted) {
    auto const other = open_store(server_->url());
    ASSERT_TRUE(other);
    on_threads(8, [&](int i) {
        auto& s = i % 2 == 0 ? *store_ : *other;
        for (int n = 0; n < 25; ++n) EXPECT_TRUE(s.add_failure("k", t0, 60));
    });
    EXPECT_EQ(store_->failures("k", t0, 60)->count, 200);
    on_threads(8, [&](int i) {
        auto& s = i % 2 == 0 ? *store_ : *other;
        for (int n = 0; n < 30; ++n) EXPECT_TRUE(s.release_attempt("k", t0, 60));
    });
    EXPECT_EQ(store_->failures("k", t0, 60)->count, 0);
}

TEST_F(redis_concurrency, the_pool_never_opens_more_than_its_maximum) {
    auto const small = open_store(server_->url(), {.max_connections = 2, .io_timeout = 5s});
    ASSERT_TRUE(small);
    std::atomic<int> errors{0};
    on_threads(8, [&](int i) {
        for (int n = 0; n < 30; ++n) {
            if (!small->revoke_jti(test::numbered("j", i * 100 + n), unix_now() + 60)) ++errors;
            if (!small->is_revoked("j1")) ++errors;
        }
    });
    EXPECT_EQ(errors.load(), 0);
    // The store under test's one idle connection, at most two of `small`, and this raw one.
    auto const info = raw_text({"INFO", "clients"});
    auto const at = info.find("connected_clients:");
    ASSERT_NE(at, std::string::npos) << info;
    auto const clients = std::stoi(info.substr(at + 18));
    EXPECT_GE(clients, 3) << info;
    EXPECT_LE(clients, 4) << info;
}

// URLs and opening

TEST(redis_url, parses_every_form) {
    std::string why;
    auto a = parse_redis_url("redis://127.0.0.1:6390/2", &why);
    ASSERT_TRUE(a) << why;
    EXPECT_EQ(a->host, "127.0.0.1");
    EXPECT_EQ(a->port, 6390);
    EXPECT_EQ(a->db, 2);
    EXPECT_EQ(a->password, "");
    EXPECT_EQ(a->display, "redis://127.0.0.1:6390/2");

    auto b = parse_redis_url("REDIS://:p%40ss:w@rd@cache.internal", &why);
    ASSERT_TRUE(b) << why;
    EXPECT_EQ(b->host, "cache.internal");
    EXPECT_EQ(b->port, 6379);
    EXPECT_EQ(b->db, 0);
    EXPECT_EQ(b->user, "");
    EXPECT_EQ(b->password, "p@ss:w@rd");
    EXPECT_EQ(b->display, "redis://:***@cache.internal:6379/0");

    auto c = parse_redis_url("redis://warden:pw@[::1]:7000/", &why);
    ASSERT_TRUE(c) << why;
    EXPECT_EQ(c->host, "::1");
    EXPECT_EQ(c->user, "warden");
    EXPECT_EQ(c->password, "pw");
    EXPECT_EQ(c->display, "redis://warden:***@[::1]:7000/0");

    auto d = parse_redis_url("unix:///run/redis/redis.sock?db=3", &why);
    ASSERT_TRUE(d) << why;
    EXPECT_EQ(d->socket_path, "/run/redis/redis.sock");
    EXPECT_EQ(d->db, 3);
    EXPECT_EQ(d->display, "unix:///run/redis/redis.sock?db=3");

    auto e = parse_redis_url("unix://:pw@/tmp/r.sock", &why);
    ASSERT_TRUE(e) << why;
    EXPECT_EQ(e->socket_path, "/tmp/r.sock");
    EXPECT_EQ(e->password, "pw");
    EXPECT_EQ(e->display, "unix://:***@/tmp/r.sock");
}

TEST(redis_url, refuses_malformed_urls_saying_why_without_the_password) {
    for (std::string_view const url : {
             "",
             "s3cr3t",
             "127.0.0.1:6379",
             "http://127.0.0.1:6379",
             "rediss://:s3cr3t@127.0.0.1:6379",
             "redis://",
             "redis://:s3cr3t@",
             "redis://:s3cr3t@:6379",
             "redis://s3cr3t@127.0.0.1",
             "redis://user:s3cr3t",
             "redis://:s3cr3t@127.0.0.1:0",
             "redis://:s3cr3t@127.0.0.1:65536",
             "redis://:s3cr3t@127.0.0.1:63 79",
             "redis://:s3cr3t@127.0.0.1:",
             "redis://:s3cr3t@127.0.0.1:6379/x",
             "redis://:s3cr3t@127.0.0.1:6379/-1",
             "redis://:s3cr3t@127.0.0.1:6379/1/2",
             "redis://:s3cr3t@127.0.0.1:6379/2147483648",
             "redis://:s3cr3t@127.0.0.1:6379?db=1",
             "redis://:s3cr3t@127.0.0.1:6379/0#f",
             "redis://:s3cr%zzt@127.0.0.1",
             "redis://:s3cr3t%4@127.0.0.1",
             "redis://:s3cr3t@::1:6379",
             "redis://:s3cr3t@[::1:6379",
             "redis://:s3cr3t@[::1]x",
             "redis://:s3cr3t@bad host",
             "unix://",
             "unix://relative/redis.sock",
             "unix://host/redis.sock",
             "unix:///tmp/redis.sock?db=x",
             "unix:///tmp/redis.sock?password=s3cr3t",
             "unix:///tmp/redis.sock?s3cr3t",
         }) {
        std::string why;
        auto const r = redis_store::open(url, {.connect_timeout = 0ms}, &why);
        ASSERT_FALSE(r) << url;
        EXPECT_EQ(r.error(), errc::bad_url) << url << ": " << why;
        EXPECT_EQ(why.rfind("bad Redis URL: ", 0), 0u) << url << ": " << why;
        EXPECT_GT(why.size(), 20u) << url;
        EXPECT_EQ(why.find("s3cr3t"), std::string::npos) << url << ": " << why;
    }
}

TEST(redis_open, gives_up_after_the_connect_timeout_when_nothing_listens) {
    auto const port = test::free_port();
    auto const url = "redis://:s3cr3t@127.0.0.1:" + std::to_string(port) + "/0";
    std::string why;
    auto const start = steady::now();
    auto const r = redis_store::open(url, {.connect_timeout = 300ms, .io_timeout = 200ms}, &why);
    auto const took = since(start);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_GE(took, 250ms);
    EXPECT_LT(took, 1500ms);
    EXPECT_EQ(why, "cannot reach Redis at redis://:***@127.0.0.1:" + std::to_string(port) +
                       "/0: Connection refused (after 0.3 s)");
    EXPECT_EQ(why.find("s3cr3t"), std::string::npos);
}

TEST(redis_open, a_missing_unix_socket_is_unavailable) {
    test::temp_dir dir;
    std::string why;
    auto const r = redis_store::open("unix://" + (dir.path() / "none.sock").string(),
                                     {.connect_timeout = 0ms}, &why);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("No such file or directory"), std::string::npos) << why;
    EXPECT_NE(why.find("(after 0 s)"), std::string::npos) << why;
}

TEST(redis_open, waits_for_a_server_that_starts_late) {
    WARDEN_REQUIRE_REDIS_SERVER();
    test::redis_server server;
    server.stop();
    std::string why;
    result<std::shared_ptr<redis_store>> opened{errc::unavailable};
    auto const url = server.url();
    std::jthread opener{[&] { opened = redis_store::open(url, {.connect_timeout = 20s}, &why); }};
    std::this_thread::sleep_for(500ms);
    server.start();  // on this thread: the server dies with the thread that started it
    opener.join();
    ASSERT_TRUE(opened) << why;
    EXPECT_TRUE((*opened)->ping());
}

class redis_password : public redis_test {
  protected:
    [[nodiscard]] test::redis_server::options server_options() const override {
        return {.password = "s3cr3t-pw"};
    }
    [[nodiscard]] std::string url_with(std::string_view login) const {
        return "redis://" + std::string{login} + "127.0.0.1:" + std::to_string(server_->port());
    }
};

TEST_F(redis_password, logs_in_with_the_password_or_user_and_password) {
    ASSERT_TRUE(store_->revoke_jti("j1", unix_now() + 60));
    auto const as_user = open_store(url_with("default:s3cr3t-pw@"));
    ASSERT_TRUE(as_user);
    EXPECT_TRUE(*as_user->is_revoked("j1"));
}

TEST_F(redis_password, a_wrong_or_missing_password_fails_at_once_without_showing_it) {
    for (std::string_view const login :
         {":wrong-pw@", "default:wrong-pw@", "nobody:s3cr3t-pw@", ""}) {
        std::string why;
        auto const start = steady::now();
        auto const r = redis_store::open(url_with(login), {.connect_timeout = 10s}, &why);
        ASSERT_FALSE(r) << login;
        EXPECT_EQ(r.error(), errc::unavailable);
        EXPECT_LT(since(start), 3s) << "a refusal is not retried";
        EXPECT_EQ(why.rfind("cannot use Redis at redis://", 0), 0u) << why;
        EXPECT_TRUE(why.find("WRONGPASS") != std::string::npos ||
                    why.find("NOAUTH") != std::string::npos)
            << why;
        EXPECT_EQ(why.find("wrong-pw"), std::string::npos) << why;
        EXPECT_EQ(why.find("s3cr3t"), std::string::npos) << why;
    }
}

using redis_databases = redis_test;

TEST_F(redis_databases, a_database_out_of_range_fails_at_once) {
    std::string why;
    auto const r =
        redis_store::open("redis://127.0.0.1:" + std::to_string(server_->port()) + "/99", {}, &why);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("SELECT 99"), std::string::npos) << why;
}

class redis_unix_socket : public redis_test {
  protected:
    [[nodiscard]] test::redis_server::options server_options() const override {
        return {.unix_socket = true};
    }
};

TEST_F(redis_unix_socket, opens_a_socket_with_a_database_index) {
    auto const s = open_store("unix://" + server_->socket().string() + "?db=3");
    ASSERT_TRUE(s);
    ASSERT_TRUE(s->revoke_jti("j1", unix_now() + 60));
    EXPECT_EQ(raw_int({"EXISTS", "warden:revoked:j1"}, 3), 1);
    EXPECT_EQ(raw_int({"EXISTS", "warden:revoked:j1"}), 0);
    EXPECT_FALSE(*store_->is_revoked("j1"));  // database 0
}

// faults: Redis stopped, stuck, restarted

class redis_faults : public redis_test {
  protected:
    static constexpr auto io_timeout = 400ms;
    void SetUp() override {
        redis_test::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        fast_ = open_store(server_->url(), {.max_connections = 2, .io_timeout = io_timeout});
        ASSERT_TRUE(fast_);
    }

    // Every call fails with `unavailable`, each within the I/O timeout (and some slack).
    void expect_every_call_unavailable() {
        std::vector<std::pair<char const*, std::function<error_code()>>> const calls{
            {"ping", [&] { return fast_->ping().error(); }},
            {"revoke_jti", [&] { return fast_->revoke_jti("j", unix_now() + 60).error(); }},
            {"revoke_jtis",
             [&] {
                 return fast_->revoke_jtis({{"a", 1}, {"b", 2}}).error();
             }},
            {"is_revoked", [&] { return fast_->is_revoked("j").error(); }},
            {"add_failure", [&] { return fast_->add_failure("k", t0, 60).error(); }},
            {"reserve_attempt", [&] { return fast_->reserve_attempt({"k"}, t0, 60, 5).error(); }},
            {"release_attempt", [&] { return fast_->release_attempt("k", t0, 60).error(); }},
            {"failures", [&] { return fast_->failures("k", t0, 60).error(); }},
            {"reset_failures", [&] { return fast_->reset_failures("k").error(); }},
        };
        for (auto const& [name, call] : calls) {
            auto const start = steady::now();
            EXPECT_EQ(call(), errc::unavailable) << name;
            EXPECT_LT(since(start), io_timeout + 600ms) << name;
        }
    }

    std::shared_ptr<redis_store> fast_;
};

TEST_F(redis_faults, a_stopped_server_is_unavailable_at_once_and_service_resumes_after_restart) {
    ASSERT_TRUE(fast_->revoke_jti("j1", unix_now() + 60));
    ASSERT_TRUE(fast_->add_failure("k", t0, 60));
    server_->stop();
    expect_every_call_unavailable();
    server_->start();
    // The pool noticed the dead connections and connects anew: the first call works.
    EXPECT_TRUE(fast_->ping());
    EXPECT_FALSE(*fast_->is_revoked("j1"));  // a fresh server: nothing persisted
    EXPECT_EQ(*fast_->add_failure("k", t0, 60), (failure_count{1, t0}));
    EXPECT_FALSE(*store_->is_revoked("j1"));  // the other store's pool reconnects too
}

TEST_F(redis_faults, a_stuck_server_times_out_within_the_io_timeout) {
    ASSERT_TRUE(fast_->ping());
    server_->pause();
    expect_every_call_unavailable();
    // Callers queued for the two connections give up within the timeout too.
    std::atomic<int> unavailable{0};
    auto const start = steady::now();
    on_threads(6, [&](int) {
        if (fast_->is_revoked("j").error() == errc::unavailable) ++unavailable;
    });
    EXPECT_EQ(unavailable.load(), 6);
    EXPECT_LT(since(start), io_timeout + 600ms);
    server_->resume();
    EXPECT_TRUE(fast_->ping());
    EXPECT_TRUE(fast_->revoke_jti("j1", unix_now() + 60));
    EXPECT_TRUE(*fast_->is_revoked("j1"));
}

TEST_F(redis_faults, open_fails_fast_while_the_server_is_stuck) {
    server_->pause();
    std::string why;
    auto const start = steady::now();
    auto const r =
        redis_store::open(server_->url(), {.connect_timeout = 500ms, .io_timeout = 200ms}, &why);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_LT(since(start), 1500ms);
    EXPECT_NE(why.find("timed out"), std::string::npos) << why;
    server_->resume();
}

// hiredis writes with write(2): a big write to a server that went away meets its reset (EPIPE),
// which raises SIGPIPE. The connection blocks it: the call fails, the process lives.
TEST_F(redis_faults, writing_to_a_server_that_went_away_raises_no_sigpipe) {
    std::string why;
    auto const at = parse_redis_url(server_->url(), &why);
    ASSERT_TRUE(at) << why;
    auto c = redis_connection::connect(*at, {}, steady::now() + 2s, &why);
    ASSERT_TRUE(c) << why;
    server_->stop();
    std::string const big(32 << 20, 'x');
    auto const r = (*c)->run({"SET", "k", big}, steady::now() + 2s, &why);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_TRUE((*c)->broken());
    sigset_t pending;
    sigemptyset(&pending);
    ASSERT_EQ(sigpending(&pending), 0);
    EXPECT_EQ(sigismember(&pending, SIGPIPE), 0);  // none left behind either
}

}  // namespace
}  // namespace warden::store
