// The GET client against a local warden::http server, over plain HTTP and over TLS.
#include <warden/http/fetch.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <warden/http/responses.hpp>
#include <warden/http/server.hpp>

#include "support/run.hpp"
#include "support/test_data.hpp"

namespace warden::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

std::filesystem::path tls_data(char const* name) { return test::data_path("tls") / name; }

class fetch_fixture : public ::testing::Test {
  protected:
    /// Serves a few documents on `address`:0, over TLS when `tls`.
    void start(bool tls, char const* address = "127.0.0.1") {
        routes_.add(verb::get, "/jwks.json", [](request_context& ctx) -> asio::awaitable<response> {
            response res = json_response(
                status::ok, {{"keys", boost::json::array{}}, {"target", ctx.req.target()}});
            res.set(field::cache_control, "public, max-age=120");
            co_return res;
        });
        routes_.add(verb::get, "/plain", [](request_context&) -> asio::awaitable<response> {
            co_return detail_response(status::ok, "no cache policy");
        });
        routes_.add(verb::get, "/moved", [](request_context&) -> asio::awaitable<response> {
            response res = empty_response(status::found);
            res.set(field::location, "http://127.0.0.1:1/elsewhere");
            co_return res;
        });
        routes_.add(verb::get, "/big", [](request_context&) -> asio::awaitable<response> {
            co_return detail_response(status::ok, std::string(4096, 'x'));
        });
        routes_.add(verb::get, "/broken", [](request_context&) -> asio::awaitable<response> {
            co_return detail_response(status::internal_server_error, "broken");
        });
        server_options options;
        if (tls)
            options.tls = tls_context::load({tls_data("server.pem"), tls_data("server-key.pem")});
        server_ =
            std::make_unique<server>(1, routes_, limits{}, access_logger{}, std::move(options));
        auto const bound = server_->listen({asio::ip::make_address(address), 0});
        ASSERT_TRUE(bound.has_value()) << bound.error().message();
        port_ = bound->port();
        server_->start();
        runner_ = std::thread{[this] { server_->run(); }};
    }

    void TearDown() override {
        if (server_) server_->stop();
        if (runner_.joinable()) runner_.join();
    }

    std::string url(char const* scheme, char const* host, char const* path) const {
        std::string out{scheme};
        out += "://";
        out += host;
        out += ':';
        out += std::to_string(port_);
        out += path;
        return out;
    }

    static result<fetched_document> get(fetch_client const& client, std::string const& u) {
        return test::run(client.get(u));
    }

    router routes_;
    std::unique_ptr<server> server_;
    std::thread runner_;
    unsigned short port_ = 0;
};

fetch_client trusting_test_ca(fetch_options options = {}) {
    options.ca_file = tls_data("server.pem");
    return fetch_client{options};
}

TEST_F(fetch_fixture, gets_a_document_over_plain_http_with_its_max_age) {
    start(false);
    fetch_client const client;
    auto const got = get(client, url("http", "127.0.0.1", "/jwks.json?x=1"));
    ASSERT_TRUE(got.has_value()) << got.error().message();
    EXPECT_EQ(got->status, 200U);
    EXPECT_EQ(got->body, R"({"keys":[],"target":"/jwks.json?x=1"})");
    ASSERT_TRUE(got->max_age.has_value());
    EXPECT_EQ(*got->max_age, 120s);
}

TEST_F(fetch_fixture, a_response_without_cache_control_max_age_has_none) {
    start(false);
    auto const got = get(fetch_client{}, url("http", "127.0.0.1", "/plain"));
    ASSERT_TRUE(got.has_value()) << got.error().message();
    // The server marks it no-store: no caching at all.
    ASSERT_TRUE(got->max_age.has_value());
    EXPECT_EQ(*got->max_age, 0s);
}

TEST_F(fetch_fixture, gets_a_document_over_https_trusting_the_given_ca) {
    start(true);
    auto const client = trusting_test_ca();
    for (char const* host : {"localhost", "127.0.0.1"}) {
        auto const got = get(client, url("https", host, "/jwks.json"));
        ASSERT_TRUE(got.has_value()) << host << ": " << got.error().message();
        EXPECT_EQ(got->status, 200U);
        EXPECT_EQ(*got->max_age, 120s);
    }
}

TEST_F(fetch_fixture, refuses_a_certificate_the_system_store_does_not_trust) {
    start(true);
    auto const got = get(fetch_client{}, url("https", "localhost", "/jwks.json"));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), fetch_errc::certificate_rejected);
    EXPECT_EQ(got.error(), condition::unavailable);
}

TEST_F(fetch_fixture, refuses_a_certificate_for_another_host) {
    // The certificate names localhost, 127.0.0.1 and ::1; 127.0.0.2 is loopback too.
    start(true, "127.0.0.2");
    auto const got = get(trusting_test_ca(), url("https", "127.0.0.2", "/jwks.json"));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), fetch_errc::certificate_rejected);
}

TEST_F(fetch_fixture, plain_http_to_a_tls_port_fails) {
    start(true);
    fetch_options options;
    options.read_timeout = 2s;
    auto const got = get(fetch_client{options}, url("http", "127.0.0.1", "/jwks.json"));
    EXPECT_FALSE(got.has_value());
}

TEST_F(fetch_fixture, never_follows_a_redirect) {
    start(false);
    auto const got = get(fetch_client{}, url("http", "127.0.0.1", "/moved"));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), fetch_errc::redirect);
}

TEST_F(fetch_fixture, returns_error_statuses_to_the_caller) {
    start(false);
    auto const got = get(fetch_client{}, url("http", "127.0.0.1", "/broken"));
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->status, 500U);
    auto const missing = get(fetch_client{}, url("http", "127.0.0.1", "/nothing-here"));
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->status, 404U);
}

TEST_F(fetch_fixture, refuses_a_body_over_the_limit) {
    start(true);
    fetch_options options;
    options.max_body_bytes = 1024;
    auto const client = trusting_test_ca(options);
    auto const got = get(client, url("https", "localhost", "/big"));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), fetch_errc::response_too_large);
    EXPECT_TRUE(get(client, url("https", "localhost", "/jwks.json")).has_value());
}

TEST(fetch_client, times_out_on_a_server_that_never_answers) {
    // A listening socket nobody accepts from: the kernel completes the connection, and no byte
    // ever comes back.
    asio::io_context io;
    tcp::acceptor silent{io, {asio::ip::make_address("127.0.0.1"), 0}};
    fetch_options options;
    options.read_timeout = 300ms;
    fetch_client const client{options};
    std::string url{"http://127.0.0.1:"};
    url += std::to_string(silent.local_endpoint().port());
    url += "/jwks.json";
    auto const began = std::chrono::steady_clock::now();
    auto const got = test::run(client.get(url));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), fetch_errc::timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - began, 5s);
}

TEST(fetch_client, a_refused_connection_is_a_connection_failure) {
    unsigned short port = 0;
    {
        asio::io_context io;
        tcp::acceptor closed{io, {asio::ip::make_address("127.0.0.1"), 0}};
        port = closed.local_endpoint().port();
    }
    std::string url{"http://127.0.0.1:"};
    url += std::to_string(port);
    auto const got = test::run(fetch_client{}.get(url));
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), fetch_errc::connection_failed);
}

TEST(fetch_client, refuses_urls_it_cannot_fetch) {
    fetch_client const client;
    for (char const* bad : {"", "jwks.json", "/jwks.json", "ftp://example.com/jwks.json", "http://",
                            "https://user:pass@example.com/jwks.json", "http:///x"}) {
        auto const got = test::run(client.get(bad));
        ASSERT_FALSE(got.has_value()) << bad;
        EXPECT_EQ(got.error(), fetch_errc::bad_url) << bad;
    }
}

TEST(fetch_client, an_unreadable_ca_file_stops_start_up) {
    fetch_options options;
    options.ca_file = test::data_path("tls") / "no-such-file.pem";
    EXPECT_THROW(fetch_client{options}, std::runtime_error);
    options.ca_file = test::data_path("tls") / "README.md";
    EXPECT_THROW(fetch_client{options}, std::runtime_error);
}

TEST(cache_max_age, reads_max_age_among_other_directives) {
    EXPECT_EQ(cache_max_age("max-age=300"), 300s);
    EXPECT_EQ(cache_max_age("public, max-age=60"), 60s);
    EXPECT_EQ(cache_max_age("public,MAX-AGE=\"45\" , must-revalidate"), 45s);
    EXPECT_EQ(cache_max_age("max-age=99999999999999999999999"),
              std::chrono::seconds{365LL * 86400});
}

TEST(cache_max_age, is_zero_for_no_cache_and_no_store) {
    EXPECT_EQ(cache_max_age("no-store"), 0s);
    EXPECT_EQ(cache_max_age("max-age=600, no-cache"), 0s);
}

TEST(cache_max_age, is_absent_when_missing_or_malformed) {
    EXPECT_FALSE(cache_max_age("").has_value());
    EXPECT_FALSE(cache_max_age("public").has_value());
    EXPECT_FALSE(cache_max_age("max-age").has_value());
    EXPECT_FALSE(cache_max_age("max-age=-5").has_value());
    EXPECT_FALSE(cache_max_age("max-age=12s").has_value());
    EXPECT_FALSE(cache_max_age("max-age=").has_value());
}

}  // namespace
}  // namespace warden::http
