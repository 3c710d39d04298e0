// The server over TLS (server_options::tls), with Asio's OpenSSL client on the other end.
#include <warden/http/server.hpp>

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include <openssl/ssl.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <warden/http/responses.hpp>

#include "support/test_data.hpp"

namespace warden::http {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using client_stream = ssl::stream<tcp::socket>;

std::filesystem::path tls_data(char const* name) { return test::data_path("tls") / name; }

class server_tls_fixture : public ::testing::Test {
  protected:
    void start(limits lim = {}) {
        routes_.add(verb::get, "/hello", [](request_context&) -> asio::awaitable<response> {
            co_return detail_response(status::ok, "hello");
        });
        routes_.add(verb::post, "/echo", [](request_context& ctx) -> asio::awaitable<response> {
            co_return json_response(status::ok,
                                    boost::json::object{{"size", ctx.req.body().size()}});
        });
        auto tls = tls_context::load({tls_data("server.pem"), tls_data("server-key.pem")});
        server_ = std::make_unique<server>(2, routes_, lim, access_logger{},
                                           server_options{.tls = std::move(tls)});
        auto const bound = server_->listen({asio::ip::make_address("127.0.0.1"), 0});
        ASSERT_TRUE(bound.has_value());
        port_ = bound->port();
        server_->start();
        runner_ = std::thread{[this] { server_->run(); }};
    }

    void TearDown() override {
        if (server_) server_->stop();
        if (runner_.joinable()) runner_.join();
    }

    /// A client that trusts the test certificate, limited to TLS versions [min, max].
    static ssl::context client_context(int min_version = TLS1_2_VERSION, int max_version = 0) {
        ssl::context ctx{ssl::context::tls_client};
        ctx.load_verify_file(tls_data("server.pem").string());
        ctx.set_verify_mode(ssl::verify_peer);
        SSL_CTX_set_min_proto_version(ctx.native_handle(), min_version);
        SSL_CTX_set_max_proto_version(ctx.native_handle(), max_version);
        return ctx;
    }

    tcp::endpoint endpoint() const { return {asio::ip::make_address("127.0.0.1"), port_}; }

    /// Connects and completes the handshake (the error, if any, in `ec`).
    std::unique_ptr<client_stream> connect(ssl::context& ctx, error_code& ec) {
        auto s = std::make_unique<client_stream>(client_io_, ctx);
        s->next_layer().connect(endpoint());
        s->handshake(ssl::stream_base::client, ec);
        return s;
    }

    static response get(client_stream& s, boost::beast::flat_buffer& buffer, char const* path) {
        request req{verb::get, path, 11};
        req.set(field::host, "localhost");
        bhttp::write(s, req);
        response res;
        bhttp::read(s, buffer, res);
        return res;
    }

    asio::io_context client_io_;
    router routes_;
    std::unique_ptr<server> server_;
    std::thread runner_;
    unsigned short port_ = 0;
};

TEST_F(server_tls_fixture, serves_https_with_keep_alive) {
    start();
    auto ctx = client_context();
    error_code ec;
    auto s = connect(ctx, ec);
    ASSERT_FALSE(ec) << ec.message();
    boost::beast::flat_buffer buffer;
    for (int i = 0; i < 3; ++i) {
        auto const res = get(*s, buffer, "/hello");
        EXPECT_EQ(res.result(), status::ok);
        EXPECT_EQ(res.body(), R"({"detail":"hello"})");
        EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    }
}

TEST_F(server_tls_fixture, tls_1_2_and_1_3_are_accepted) {
    start();
    for (int version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
        auto ctx = client_context(version, version);
        error_code ec;
        auto s = connect(ctx, ec);
        ASSERT_FALSE(ec) << ec.message();
        EXPECT_EQ(SSL_version(s->native_handle()), version);
        boost::beast::flat_buffer buffer;
        EXPECT_EQ(get(*s, buffer, "/hello").result(), status::ok);
    }
}

TEST_F(server_tls_fixture, tls_1_1_and_1_0_are_refused_by_the_server) {
    start();
    for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
        auto ctx = client_context(version, version);
        // OpenSSL 3 clients refuse these versions themselves above security level 0: lower it,
        // so the refusal seen is the server's protocol_version alert.
        SSL_CTX_set_security_level(ctx.native_handle(), 0);
        SSL_CTX_set_cipher_list(ctx.native_handle(), "DEFAULT:@SECLEVEL=0");
        error_code ec;
        auto s = connect(ctx, ec);
        ASSERT_TRUE(ec);
        EXPECT_NE(ec.message().find("alert protocol version"), std::string::npos) << ec.message();
    }
}

TEST_F(server_tls_fixture, plain_http_on_the_tls_port_gets_no_http_answer) {
    start();
    tcp::socket s{client_io_};
    s.connect(endpoint());
    asio::write(s, asio::buffer(std::string_view{"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"}));
    std::string out;
    error_code ec;
    asio::read(s, asio::dynamic_buffer(out), ec);  // until the server closes
    EXPECT_EQ(out.find("HTTP/"), std::string::npos) << out;
    EXPECT_EQ(out.find("hello"), std::string::npos);
}

TEST_F(server_tls_fixture, a_client_that_never_says_hello_is_dropped_after_the_header_timeout) {
    start({.header_timeout = std::chrono::milliseconds{200}});
    tcp::socket s{client_io_};
    s.connect(endpoint());
    auto const began = std::chrono::steady_clock::now();
    std::string out;
    error_code ec;
    asio::read(s, asio::dynamic_buffer(out), ec);
    EXPECT_TRUE(out.empty());
    EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds{5});
}

TEST_F(server_tls_fixture, stop_ends_an_idle_session_with_close_notify) {
    start();
    auto ctx = client_context();
    error_code ec;
    auto s = connect(ctx, ec);
    ASSERT_FALSE(ec) << ec.message();
    boost::beast::flat_buffer buffer;
    EXPECT_EQ(get(*s, buffer, "/hello").result(), status::ok);
    server_->stop();
    char byte = 0;
    s->read_some(asio::buffer(&byte, 1), ec);
    // eof is a close_notify; a cut connection would be ssl::error::stream_truncated.
    EXPECT_EQ(ec, asio::error::eof) << ec.message();
    runner_.join();
    EXPECT_EQ(server_->connections(), 0U);
}

TEST_F(server_tls_fixture, a_413_reaches_a_client_still_sending_its_body) {
    start({.max_body_bytes = 1024});
    auto ctx = client_context();
    error_code ec;
    auto s = connect(ctx, ec);
    ASSERT_FALSE(ec) << ec.message();
    request req{verb::post, "/echo", 11};
    req.set(field::host, "localhost");
    req.body() = std::string(256 * 1024, 'x');
    req.prepare_payload();
    bhttp::write(*s, req, ec);  // the server answers after the head and drains the rest
    ASSERT_FALSE(ec) << ec.message();
    boost::beast::flat_buffer buffer;
    response res;
    bhttp::read(*s, buffer, res, ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result(), status::payload_too_large);
    EXPECT_FALSE(res.keep_alive());
}

}  // namespace
}  // namespace warden::http
