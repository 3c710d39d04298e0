// signing_key_store on every backend: pending, current and retired keys, the key-set revision,
// and the races of several processes starting or rotating at once.
#include <warden/store/store.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <set>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

#include "support/numbered.hpp"

namespace warden::store {
namespace {

using signing_keys = test::store_test;

// Sealed bytes with a NUL and bytes that are not UTF-8: kept exactly.
std::string const sealed{"\x00\x01\xff\xfe sealed \x80", 13};

signing_key_record pending_key(std::string kid, std::int64_t created_at = 1000) {
    return {.kid = std::move(kid),
            .algorithm = "ES256",
            .public_jwk = R"({"kty":"EC","crv":"P-256","x":"AA","y":"BB"})",
            .sealed_private_key = sealed,
            .created_at = created_at};
}

std::int64_t revision(signing_key_store& keys) {
    auto r = keys.key_set_revision();
    EXPECT_TRUE(r.has_value());
    return r.has_value() ? *r : -1;
}

// The keys that are current: activated and not retired.
std::vector<signing_key_record> current_keys(std::vector<signing_key_record> const& keys) {
    std::vector<signing_key_record> out;
    std::copy_if(keys.begin(), keys.end(), std::back_inserter(out),
                 [](auto const& k) { return k.activated_at && !k.retired_at; });
    return out;
}

signing_key_record only_key_named(signing_key_store& keys, std::string const& kid) {
    auto all = keys.signing_keys();
    EXPECT_TRUE(all.has_value());
    if (all) {
        for (auto const& k : *all) {
            if (k.kid == kid) return k;
        }
    }
    ADD_FAILURE() << "no key " << kid;
    return {};
}

TEST_P(signing_keys, a_new_store_has_none) {
    auto keys = s_.keys->signing_keys();
    ASSERT_TRUE(keys.has_value()) << keys.error().message();
    EXPECT_TRUE(keys->empty());
    EXPECT_TRUE(s_.keys->key_set_revision().has_value());
}

TEST_P(signing_keys, a_pending_key_round_trips_exactly) {
    auto const key = pending_key("kid-1", 1234);
    ASSERT_TRUE(s_.keys->add_signing_key(key));
    auto keys = s_.keys->signing_keys();
    ASSERT_TRUE(keys.has_value());
    ASSERT_EQ(keys->size(), 1U);
    EXPECT_EQ(keys->front(), key);
    EXPECT_EQ(keys->front().sealed_private_key.size(), 13U);
    EXPECT_FALSE(keys->front().activated_at);
}

TEST_P(signing_keys, are_listed_oldest_first) {
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("a", 300)));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("c", 100)));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("b", 200)));
    auto keys = s_.keys->signing_keys();
    ASSERT_TRUE(keys.has_value());
    ASSERT_EQ(keys->size(), 3U);
    EXPECT_EQ((*keys)[0].kid, "c");
    EXPECT_EQ((*keys)[1].kid, "b");
    EXPECT_EQ((*keys)[2].kid, "a");
}

TEST_P(signing_keys, a_taken_kid_is_refused_and_the_first_key_kept) {
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("kid", 1000)));
    auto other = pending_key("kid", 2000);
    other.algorithm = "RS256";
    EXPECT_EQ(s_.keys->add_signing_key(other).error(), errc::already_exists);
    EXPECT_EQ(s_.keys->add_first_signing_key(other).error(), errc::already_exists);
    EXPECT_EQ(only_key_named(*s_.keys, "kid"), pending_key("kid", 1000));
}

TEST_P(signing_keys, add_refuses_keys_the_store_cannot_keep) {
    auto const refused = [&](signing_key_record const& key) {
        EXPECT_EQ(s_.keys->add_signing_key(key).error(), errc::invalid_argument) << key.kid;
        auto first = s_.keys->add_first_signing_key(key);
        ASSERT_FALSE(first.has_value()) << key.kid;
        EXPECT_EQ(first.error(), errc::invalid_argument) << key.kid;
    };
    refused(pending_key(""));
    auto no_algorithm = pending_key("k");
    no_algorithm.algorithm.clear();
    refused(no_algorithm);
    refused(pending_key(std::string{"k\0x", 3}));
    refused(pending_key("k\xff"));
    auto bad_jwk = pending_key("k");
    bad_jwk.public_jwk = std::string{"{\0}", 3};
    refused(bad_jwk);
    auto activated = pending_key("k");
    activated.activated_at = 1;
    refused(activated);
    auto retired = pending_key("k");
    retired.retired_at = 1;
    refused(retired);
    auto expiring = pending_key("k");
    expiring.expires_at = 1;
    refused(expiring);
    EXPECT_TRUE(s_.keys->signing_keys()->empty());
}

TEST_P(signing_keys, the_first_key_becomes_current_once) {
    auto first = s_.keys->add_first_signing_key(pending_key("one", 1000));
    ASSERT_TRUE(first.has_value()) << first.error().message();
    EXPECT_TRUE(*first);
    auto const before = revision(*s_.keys);
    auto second = s_.keys->add_first_signing_key(pending_key("two", 2000));
    ASSERT_TRUE(second.has_value());
    EXPECT_FALSE(*second);
    // The same kid again (a second process importing the same key file): also false.
    EXPECT_FALSE(*s_.keys->add_first_signing_key(pending_key("one", 3000)));
    EXPECT_EQ(revision(*s_.keys), before);  // nothing written
    auto keys = s_.keys->signing_keys();
    ASSERT_TRUE(keys.has_value());
    ASSERT_EQ(keys->size(), 1U);
    auto expected = pending_key("one", 1000);
    expected.activated_at = 1000;
    EXPECT_EQ(keys->front(), expected);
}

TEST_P(signing_keys, a_pending_key_is_not_current_for_add_first) {
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("pending", 500)));
    EXPECT_TRUE(*s_.keys->add_first_signing_key(pending_key("first", 1000)));
    auto const current = current_keys(*s_.keys->signing_keys());
    ASSERT_EQ(current.size(), 1U);
    EXPECT_EQ(current.front().kid, "first");
}

TEST_P(signing_keys, activation_retires_the_current_key) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("old", 1000)));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("new", 2000)));
    auto r = s_.keys->activate_signing_key("new", 3000, 3900);
    ASSERT_TRUE(r.has_value()) << r.error().message();
    auto const old = only_key_named(*s_.keys, "old");
    EXPECT_EQ(old.activated_at, 1000);
    EXPECT_EQ(old.retired_at, 3000);
    EXPECT_EQ(old.expires_at, 3900);
    auto const now_current = only_key_named(*s_.keys, "new");
    EXPECT_EQ(now_current.activated_at, 3000);
    EXPECT_FALSE(now_current.retired_at);
    EXPECT_FALSE(now_current.expires_at);
    EXPECT_EQ(current_keys(*s_.keys->signing_keys()).size(), 1U);
}

TEST_P(signing_keys, a_pending_key_can_be_activated_without_a_current_one) {
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("k")));
    ASSERT_TRUE(s_.keys->activate_signing_key("k", 1500, 9999));
    auto const key = only_key_named(*s_.keys, "k");
    EXPECT_EQ(key.activated_at, 1500);
    EXPECT_FALSE(key.retired_at);
}

TEST_P(signing_keys, only_a_pending_key_can_be_activated) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("current")));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("withdrawn")));
    ASSERT_TRUE(s_.keys->retire_signing_key("withdrawn", 1100, 1200));
    auto const before = *s_.keys->signing_keys();
    auto const rev = revision(*s_.keys);
    EXPECT_EQ(s_.keys->activate_signing_key("nobody", 2000, 3000).error(), errc::not_found);
    EXPECT_EQ(s_.keys->activate_signing_key("current", 2000, 3000).error(), errc::wrong_state);
    EXPECT_EQ(s_.keys->activate_signing_key("withdrawn", 2000, 3000).error(), errc::wrong_state);
    EXPECT_EQ(*s_.keys->signing_keys(), before);
    EXPECT_EQ(revision(*s_.keys), rev);
}

TEST_P(signing_keys, a_pending_key_can_be_withdrawn) {
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("k")));
    ASSERT_TRUE(s_.keys->retire_signing_key("k", 1100, 1500));
    auto const key = only_key_named(*s_.keys, "k");
    EXPECT_FALSE(key.activated_at);
    EXPECT_EQ(key.retired_at, 1100);
    EXPECT_EQ(key.expires_at, 1500);
}

TEST_P(signing_keys, retiring_again_keeps_the_earlier_expiry) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("old")));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("new")));
    ASSERT_TRUE(s_.keys->activate_signing_key("new", 2000, 5000));
    ASSERT_TRUE(s_.keys->retire_signing_key("old", 2500, 6000));  // later: kept at 5000
    auto key = only_key_named(*s_.keys, "old");
    EXPECT_EQ(key.retired_at, 2000);
    EXPECT_EQ(key.expires_at, 5000);
    ASSERT_TRUE(s_.keys->retire_signing_key("old", 2600, 2600));  // earlier: taken
    key = only_key_named(*s_.keys, "old");
    EXPECT_EQ(key.retired_at, 2000);
    EXPECT_EQ(key.expires_at, 2600);
}

TEST_P(signing_keys, the_current_key_cannot_be_retired) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("current")));
    auto const rev = revision(*s_.keys);
    EXPECT_EQ(s_.keys->retire_signing_key("current", 2000, 3000).error(), errc::wrong_state);
    EXPECT_EQ(s_.keys->retire_signing_key("nobody", 2000, 3000).error(), errc::not_found);
    EXPECT_EQ(current_keys(*s_.keys->signing_keys()).size(), 1U);
    EXPECT_EQ(revision(*s_.keys), rev);
}

TEST_P(signing_keys, purge_deletes_retired_keys_once_expired) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("a", 100)));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("b", 200)));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("c", 300)));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("pending", 400)));
    ASSERT_TRUE(s_.keys->activate_signing_key("b", 1000, 2000));  // a: expires 2000
    ASSERT_TRUE(s_.keys->activate_signing_key("c", 1500, 3000));  // b: expires 3000
    auto const rev = revision(*s_.keys);
    EXPECT_EQ(*s_.keys->purge_expired_signing_keys(2000), 0);  // a is valid through 2000
    EXPECT_EQ(revision(*s_.keys), rev);                        // nothing deleted: no change
    EXPECT_EQ(*s_.keys->purge_expired_signing_keys(2001), 1);
    EXPECT_GT(revision(*s_.keys), rev);
    EXPECT_EQ(*s_.keys->purge_expired_signing_keys(1'000'000), 1);  // b
    auto keys = s_.keys->signing_keys();
    ASSERT_TRUE(keys.has_value());
    ASSERT_EQ(keys->size(), 2U);  // the current and the pending key never expire
    EXPECT_EQ((*keys)[0].kid, "c");
    EXPECT_EQ((*keys)[1].kid, "pending");
}

TEST_P(signing_keys, the_revision_grows_with_every_change_and_only_then) {
    std::int64_t last = revision(*s_.keys);
    auto const changed = [&] {
        auto const now = revision(*s_.keys);
        EXPECT_GT(now, last);
        last = now;
    };
    auto const unchanged = [&] { EXPECT_EQ(revision(*s_.keys), last); };
    ASSERT_TRUE(s_.keys->signing_keys());
    unchanged();
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("a")));
    changed();
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("b")));
    changed();
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("c")));
    changed();
    ASSERT_TRUE(s_.keys->activate_signing_key("b", 2000, 3000));
    changed();
    ASSERT_TRUE(s_.keys->retire_signing_key("c", 2000, 2500));
    changed();
    ASSERT_TRUE(s_.keys->signing_keys());
    ASSERT_TRUE(s_.keys->key_set_revision());
    unchanged();
    EXPECT_FALSE(s_.keys->add_signing_key(pending_key("a")));
    EXPECT_FALSE(*s_.keys->add_first_signing_key(pending_key("d")));
    unchanged();
    ASSERT_EQ(*s_.keys->purge_expired_signing_keys(10'000), 2);
    changed();
}

TEST_P(signing_keys, another_process_sees_the_same_keys_and_revision) {
    auto other = open_again();
    ASSERT_NE(other.keys, nullptr);
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("a")));
    ASSERT_TRUE(s_.keys->add_signing_key(pending_key("b", 1001)));
    EXPECT_EQ(*other.keys->signing_keys(), *s_.keys->signing_keys());
    EXPECT_EQ(revision(*other.keys), revision(*s_.keys));
    ASSERT_TRUE(other.keys->activate_signing_key("b", 2000, 3000));
    EXPECT_EQ(only_key_named(*s_.keys, "b").activated_at, 2000);
    EXPECT_EQ(revision(*other.keys), revision(*s_.keys));
}

constexpr int threads = 8;

TEST_P(signing_keys, of_processes_starting_at_once_exactly_one_key_wins) {
    for (int round = 0; round < 3; ++round) {
        auto const fresh = fresh_database(round);
        // Two "processes", four threads each.
        std::array<backends, 2> processes{open_at(fresh), open_at(fresh)};
        ASSERT_NE(processes[0].keys, nullptr);
        ASSERT_NE(processes[1].keys, nullptr);
        std::atomic<int> won{0};
        std::atomic<int> failed{0};
        std::barrier start{threads};
        {
            std::vector<std::jthread> racers;
            for (int t = 0; t < threads; ++t) {
                racers.emplace_back([&, t] {
                    auto& keys = *processes[static_cast<std::size_t>(t % 2)].keys;
                    start.arrive_and_wait();
                    auto r = keys.add_first_signing_key(pending_key(test::numbered("k", t), 1000));
                    if (!r) {
                        ++failed;
                    } else if (*r) {
                        ++won;
                    }
                });
            }
        }
        EXPECT_EQ(failed.load(), 0) << "round " << round;
        EXPECT_EQ(won.load(), 1) << "round " << round;
        auto keys = processes[0].keys->signing_keys();
        ASSERT_TRUE(keys.has_value());
        EXPECT_EQ(keys->size(), 1U) << "round " << round;
        EXPECT_EQ(current_keys(*keys).size(), 1U) << "round " << round;
    }
}

TEST_P(signing_keys, racing_rotations_leave_one_current_key_and_retire_every_other) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("start", 0)));
    auto other = open_again();
    ASSERT_NE(other.keys, nullptr);
    for (int round = 0; round < 3; ++round) {
        auto const kid = [round](int t) { return test::numbered("r", round * 100 + t); };
        for (int t = 0; t < threads; ++t) {
            ASSERT_TRUE(s_.keys->add_signing_key(pending_key(kid(t), 1 + round)));
        }
        auto const rev = revision(*s_.keys);
        std::atomic<int> failed{0};
        std::barrier start{threads};
        std::int64_t const base = 10'000 * (round + 1);
        {
            std::vector<std::jthread> racers;
            for (int t = 0; t < threads; ++t) {
                racers.emplace_back([&, t] {
                    auto& keys = t % 2 == 0 ? *s_.keys : *other.keys;
                    start.arrive_and_wait();
                    // now and the expiry both name the racer, to tell who retired what.
                    if (!keys.activate_signing_key(kid(t), base + t, base + 5000 + t)) ++failed;
                });
            }
        }
        EXPECT_EQ(failed.load(), 0);
        EXPECT_GT(revision(*s_.keys), rev);
        auto keys = s_.keys->signing_keys();
        ASSERT_TRUE(keys.has_value());
        ASSERT_EQ(current_keys(*keys).size(), 1U) << "round " << round;
        // Every activation retired exactly the key current before it, with its own expiry.
        std::set<std::int64_t> retirers;
        for (auto const& k : *keys) {
            if (!k.retired_at || *k.retired_at < base) continue;
            EXPECT_EQ(*k.expires_at - 5000, *k.retired_at) << k.kid;
            retirers.insert(*k.retired_at - base);
        }
        EXPECT_EQ(retirers.size(), static_cast<std::size_t>(threads)) << "round " << round;
        for (int t = 0; t < threads; ++t) {
            EXPECT_EQ(only_key_named(*s_.keys, kid(t)).activated_at, base + t);
        }
    }
}

TEST_P(signing_keys, of_racing_activations_of_one_key_exactly_one_succeeds) {
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("start", 0)));
    auto other = open_again();
    ASSERT_NE(other.keys, nullptr);
    for (int round = 0; round < 3; ++round) {
        auto const kid = test::numbered("next", round);
        ASSERT_TRUE(s_.keys->add_signing_key(pending_key(kid, 1 + round)));
        std::atomic<int> succeeded{0};
        std::atomic<int> wrong_state{0};
        std::barrier start{threads};
        {
            std::vector<std::jthread> racers;
            for (int t = 0; t < threads; ++t) {
                racers.emplace_back([&, t] {
                    auto& keys = t % 2 == 0 ? *s_.keys : *other.keys;
                    start.arrive_and_wait();
                    auto r = keys.activate_signing_key(kid, 100 + round, 200 + round);
                    if (r) {
                        ++succeeded;
                    } else if (r.error() == errc::wrong_state) {
                        ++wrong_state;
                    }
                });
            }
        }
        EXPECT_EQ(succeeded.load(), 1) << "round " << round;
        EXPECT_EQ(wrong_state.load(), threads - 1) << "round " << round;
        auto const current = current_keys(*s_.keys->signing_keys());
        ASSERT_EQ(current.size(), 1U);
        EXPECT_EQ(current.front().kid, kid);
    }
}

TEST_P(signing_keys, mixed_changes_of_two_processes_neither_fail_nor_deadlock) {
    // Every kind of change at once, on colliding kids too (adding and adding-first one kid,
    // retiring a key while a purge deletes it): each call succeeds or gives its own error, never
    // `unavailable` (a deadlock PostgreSQL broke) or a second current key.
    ASSERT_TRUE(*s_.keys->add_first_signing_key(pending_key("start", 0)));
    auto other = open_again();
    ASSERT_NE(other.keys, nullptr);
    constexpr int rounds = 6;
    std::atomic<int> unexpected{0};
    std::barrier start{threads};
    auto const expected = [&](result<void> const& r) {
        if (!r && r.error() != errc::already_exists && r.error() != errc::wrong_state &&
            r.error() != errc::not_found) {
            ++unexpected;
        }
    };
    {
        std::vector<std::jthread> racers;
        for (int t = 0; t < threads; ++t) {
            racers.emplace_back([&, t] {
                auto& keys = t % 2 == 0 ? *s_.keys : *other.keys;
                start.arrive_and_wait();
                for (int i = 0; i < rounds; ++i) {
                    std::int64_t const now = 1000 + i;
                    auto const own = test::numbered("t", t * 100 + i);
                    auto const shared = test::numbered("shared-", i);
                    expected(keys.add_signing_key(pending_key(own, now)));
                    if (t % 2 == 0) {
                        expected(keys.add_signing_key(pending_key(shared, now)));
                    } else if (auto first = keys.add_first_signing_key(pending_key(shared, now));
                               !first) {
                        expected(first.error());
                    }
                    expected(keys.activate_signing_key(own, now, now));
                    if (i > 0) {
                        expected(keys.retire_signing_key(test::numbered("t", t * 100 + i - 1), now,
                                                         now));
                    }
                    if (!keys.purge_expired_signing_keys(now + 1)) ++unexpected;
                }
            });
        }
    }
    EXPECT_EQ(unexpected.load(), 0);
    auto keys = s_.keys->signing_keys();
    ASSERT_TRUE(keys.has_value());
    EXPECT_EQ(current_keys(*keys).size(), 1U);
}

WARDEN_ON_EVERY_BACKEND(signing_keys);

}  // namespace
}  // namespace warden::store
