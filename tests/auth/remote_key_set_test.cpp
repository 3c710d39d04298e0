// remote_key_set with a fake fetch function and a manual clock.
#include <warden/auth/remote_key_set.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <warden/jwt.hpp>

#include "auth/jwks_fakes.hpp"
#include "support/run.hpp"

namespace warden::auth {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using test::fake_jwks;
using test::jwks_of;
using test::signed_token;

class remote_key_set_test : public ::testing::Test {
  protected:
    remote_key_set_test() : a_(test::es256_key("key-a")), b_(test::es256_key("key-b")) {
        server_.set_keys({a_}, 300s);
    }

    remote_key_set make(remote_key_set_options options = {}) {
        options.on_fetch_failed = [this](error_code ec) {
            std::lock_guard const lock{mu_};
            reported_.push_back(ec);
        };
        return remote_key_set{"https://auth.example.com/.well-known/jwks.json", server_.fetcher(),
                              clock_, std::move(options)};
    }

    static result<remote_key_set::verifier_ptr> current(remote_key_set& keys) {
        return test::run(keys.current());
    }

    std::vector<error_code> reported() {
        std::lock_guard const lock{mu_};
        return reported_;
    }

    manual_clock clock_{time_point{std::chrono::seconds{test::now_s}}};
    fake_jwks server_;
    jwt::key a_;
    jwt::key b_;
    std::mutex mu_;
    std::vector<error_code> reported_;
};

TEST_F(remote_key_set_test, fetches_nothing_before_it_is_asked) {
    auto keys = make();
    EXPECT_EQ(keys.fetch_count(), 0U);
    EXPECT_EQ(server_.calls(), 0U);
}

TEST_F(remote_key_set_test, the_first_call_fetches_and_verifies_with_the_set) {
    auto keys = make();
    auto const v = current(keys);
    ASSERT_TRUE(v.has_value()) << v.error().message();
    EXPECT_TRUE((*v)->verify(signed_token(a_, clock_)).has_value());
    EXPECT_EQ(server_.calls(), 1U);
    EXPECT_EQ(server_.urls().front(), "https://auth.example.com/.well-known/jwks.json");
    EXPECT_FALSE(keys.last_error());
}

TEST_F(remote_key_set_test, caches_the_set_for_its_max_age) {
    server_.set_keys({a_}, 120s);
    auto keys = make();
    ASSERT_TRUE(current(keys).has_value());
    clock_.advance(119s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 1U);
    clock_.advance(2s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 2U);
}

TEST_F(remote_key_set_test, uses_the_default_max_age_when_the_server_gives_none) {
    server_.set_keys({a_}, std::nullopt);
    auto keys = make({.default_max_age = 200s});
    ASSERT_TRUE(current(keys).has_value());
    clock_.advance(199s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 1U);
    clock_.advance(1s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 2U);
}

TEST_F(remote_key_set_test, bounds_the_max_age_the_server_gives) {
    server_.set_keys({a_}, 0s);  // a server saying "never cache" is still not asked every time
    auto keys = make({.min_max_age = 30s, .max_max_age = 600s});
    ASSERT_TRUE(current(keys).has_value());
    clock_.advance(29s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 1U);
    clock_.advance(1s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 2U);

    server_.set_keys({a_}, std::chrono::seconds{365 * 86400});
    clock_.advance(30s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 3U);
    clock_.advance(599s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 3U);
    clock_.advance(1s);
    ASSERT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 4U);
}

TEST_F(remote_key_set_test, an_unknown_kid_fetches_again_and_finds_a_rotated_key) {
    auto keys = make();
    auto const before = current(keys);
    ASSERT_TRUE(before.has_value());
    auto const token = signed_token(b_, clock_);
    EXPECT_EQ((*before)->verify(token).error(), jwt::errc::key_not_found);
    clock_.advance(30s);
    server_.set_keys({a_, b_}, 300s);
    auto const after = test::run(keys.refresh_for_unknown_kid(*before));
    ASSERT_TRUE(after.has_value());
    EXPECT_NE(*after, *before);
    EXPECT_TRUE((*after)->verify(token).has_value());
    EXPECT_TRUE((*after)->verify(signed_token(a_, clock_)).has_value());
    EXPECT_EQ(server_.calls(), 2U);
}

TEST_F(remote_key_set_test, unknown_kids_fetch_at_most_once_per_interval) {
    auto keys = make({.min_refetch_interval = 30s});
    auto seen = current(keys).value();
    EXPECT_EQ(server_.calls(), 1U);
    // Just fetched: an unknown kid now waits for the interval.
    EXPECT_EQ(test::run(keys.refresh_for_unknown_kid(seen)).value(), seen);
    EXPECT_EQ(server_.calls(), 1U);
    clock_.advance(30s);
    seen = test::run(keys.refresh_for_unknown_kid(seen)).value();
    EXPECT_EQ(server_.calls(), 2U);
    for (int i = 0; i < 100; ++i) {
        clock_.advance(100ms);
        (void)test::run(keys.refresh_for_unknown_kid(seen));
    }
    EXPECT_EQ(server_.calls(), 2U);
    clock_.advance(20s);
    (void)test::run(keys.refresh_for_unknown_kid(seen));
    EXPECT_EQ(server_.calls(), 3U);
}

TEST_F(remote_key_set_test, a_caller_with_an_older_set_gets_the_newer_one_without_a_fetch) {
    auto keys = make();
    auto const first = current(keys).value();
    clock_.advance(300s);
    auto const second = current(keys).value();
    ASSERT_NE(first, second);
    EXPECT_EQ(test::run(keys.refresh_for_unknown_kid(first)).value(), second);
    EXPECT_EQ(server_.calls(), 2U);
}

TEST_F(remote_key_set_test, keeps_the_last_good_set_while_the_server_is_down) {
    auto keys = make();
    auto const good = current(keys).value();
    server_.fail_with(make_error_code(boost::system::errc::connection_refused));
    clock_.advance(301s);
    auto const during = current(keys);
    ASSERT_TRUE(during.has_value());
    EXPECT_EQ(*during, good);
    EXPECT_TRUE((*during)->verify(signed_token(a_, clock_)).has_value());
    EXPECT_EQ(server_.calls(), 2U);
    EXPECT_EQ(keys.last_error(), boost::system::errc::connection_refused);
    ASSERT_EQ(reported().size(), 1U);
    EXPECT_EQ(reported().front(), boost::system::errc::connection_refused);
    // A failure is retried no sooner than the interval, not on every call.
    clock_.advance(10s);
    EXPECT_EQ(current(keys).value(), good);
    EXPECT_EQ(server_.calls(), 2U);
    // Back up: the next attempt renews the set and clears the error.
    server_.set_keys({a_, b_}, 300s);
    clock_.advance(20s);
    auto const renewed = current(keys).value();
    EXPECT_NE(renewed, good);
    EXPECT_FALSE(keys.last_error());
    EXPECT_TRUE(renewed->verify(signed_token(b_, clock_)).has_value());
}

TEST_F(remote_key_set_test, keeps_the_last_good_set_when_the_server_answers_garbage) {
    auto keys = make();
    auto const good = current(keys).value();
    struct garbage {
        unsigned status;
        std::string body;
        jwks_errc expected;
    };
    std::vector<garbage> const answers{
        {200, "<html>maintenance</html>", jwks_errc::not_a_jwk_set},
        {200, R"({"keys": "none"})", jwks_errc::not_a_jwk_set},
        {200, R"([1, 2])", jwks_errc::not_a_jwk_set},
        {200, R"({"keys": [], "keys": []})", jwks_errc::not_a_jwk_set},
        {200, R"({"keys": []})", jwks_errc::no_usable_key},
        {200,
         R"({"keys": [{"kty": "oct", "alg": "HS256", "k": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"}]})",
         jwks_errc::no_usable_key},
        {200, R"({"keys": [{"kty": "XYZ"}, 7]})", jwks_errc::no_usable_key},
        {503, jwks_of({a_}), jwks_errc::bad_status},
        {404, "", jwks_errc::bad_status},
    };
    for (auto const& g : answers) {
        server_.answer(g.status, g.body, 300s);
        clock_.advance(301s);
        auto const during = current(keys);
        ASSERT_TRUE(during.has_value()) << g.body;
        EXPECT_EQ(*during, good) << g.body;
        EXPECT_EQ(keys.last_error(), g.expected) << g.body;
        EXPECT_EQ(keys.last_error(), condition::unavailable);
    }
    EXPECT_EQ(reported().size(), answers.size());
}

TEST_F(remote_key_set_test, a_set_with_two_keys_under_one_kid_is_refused) {
    auto const twin = test::es256_key("key-a");
    auto text = jwks_of({a_});
    auto const twin_text = jwks_of({twin});
    // {"keys":[A]} + {"keys":[A']} -> {"keys":[A,A']}
    text = text.substr(0, text.size() - 2) + "," + twin_text.substr(9);
    server_.answer(200, text, 300s);
    auto keys = make();
    auto const got = current(keys);
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), jwks_errc::not_a_jwk_set);
}

TEST_F(remote_key_set_test, skips_keys_it_cannot_use_and_keeps_the_others) {
    auto text = jwks_of({a_});
    text = R"({"keys":[{"kty":"XYZ","kid":"odd"},{"kty":"oct","alg":"HS256","kid":"secret",)"
           R"("k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI"},)" +
           text.substr(9);
    server_.answer(200, text, 300s);
    auto keys = make();
    auto const v = current(keys);
    ASSERT_TRUE(v.has_value()) << v.error().message();
    EXPECT_EQ((*v)->keys().size(), 1U);
    EXPECT_EQ((*v)->keys().keys().front().kid(), "key-a");
}

TEST_F(remote_key_set_test, a_failing_first_fetch_is_a_clear_error_and_retried_after_the_interval) {
    server_.fail_with(make_error_code(boost::system::errc::connection_refused));
    auto keys = make({.min_refetch_interval = 30s});
    auto const first = current(keys);
    ASSERT_FALSE(first.has_value());
    EXPECT_EQ(first.error(), boost::system::errc::connection_refused);
    // Not asked again on every call while it is down.
    clock_.advance(10s);
    auto const again = current(keys);
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error(), boost::system::errc::connection_refused);
    EXPECT_EQ(server_.calls(), 1U);
    server_.set_keys({a_}, 300s);
    clock_.advance(20s);
    EXPECT_TRUE(current(keys).has_value());
    EXPECT_EQ(server_.calls(), 2U);
}

TEST_F(remote_key_set_test, a_throwing_fetch_is_a_failure_not_a_crash) {
    auto keys = remote_key_set{"https://auth.example.com/jwks.json",
                               [](std::string) -> asio::awaitable<result<jwks_document>> {
                                   throw std::runtime_error{"bug in the fetcher"};
                                   co_return jwks_document{};
                               },
                               clock_};
    auto const got = current(keys);
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), jwks_errc::fetch_failed);
}

TEST_F(remote_key_set_test, concurrent_callers_share_one_fetch) {
    server_.hold_fetches();
    auto keys = make();
    constexpr int threads = 4;
    constexpr int callers_per_thread = 25;
    std::atomic<int> verified{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            asio::io_context io;
            for (int c = 0; c < callers_per_thread; ++c) {
                asio::co_spawn(
                    io,
                    [&]() -> asio::awaitable<void> {
                        auto v = co_await keys.current();
                        if (v && (*v)->verify(signed_token(a_, clock_))) ++verified;
                    },
                    [](std::exception_ptr e) {
                        if (e) std::rethrow_exception(e);
                    });
            }
            io.run();
        });
    }
    // Let every caller reach the fetch in flight, then let it finish.
    while (server_.calls() == 0) std::this_thread::sleep_for(1ms);
    std::this_thread::sleep_for(100ms);
    server_.release_fetches();
    for (auto& w : workers) w.join();
    EXPECT_EQ(server_.calls(), 1U);
    EXPECT_EQ(verified.load(), threads * callers_per_thread);
}

TEST_F(remote_key_set_test, a_stale_set_serves_while_its_renewal_is_in_flight) {
    auto keys = make();
    auto const good = current(keys).value();
    clock_.advance(301s);
    server_.hold_fetches();
    asio::io_context io;
    std::optional<result<remote_key_set::verifier_ptr>> renewer;
    asio::co_spawn(io, keys.current(), [&](std::exception_ptr, auto r) { renewer = r; });
    io.run_one();  // the renewer starts the fetch and waits for it
    // Another caller does not wait: it gets the stale set at once.
    EXPECT_EQ(current(keys).value(), good);
    server_.release_fetches();
    io.run();
    ASSERT_TRUE(renewer.has_value() && renewer->has_value());
    EXPECT_EQ(server_.calls(), 2U);
}

}  // namespace
}  // namespace warden::auth
