#include <warden/http/server.hpp>

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <warden/http/responses.hpp>

namespace warden::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// A running server on a free loopback port, with a few routes that exercise the server itself.
class server_fixture : public ::testing::Test {
  protected:
    void start(limits lim = {}, server_options options = {}, std::size_t loops = 2) {
        routes_.add(verb::get, "/hello", [](request_context&) -> asio::awaitable<response> {
            co_return detail_response(status::ok, "hello");
        });
        routes_.add(verb::post, "/echo", [](request_context& ctx) -> asio::awaitable<response> {
            co_return json_response(status::ok,
                                    boost::json::object{{"size", ctx.req.body().size()}});
        });
        routes_.add(verb::get, "/slow", [](request_context&) -> asio::awaitable<response> {
            asio::steady_timer timer{co_await asio::this_coro::executor,
                                     std::chrono::milliseconds{300}};
            co_await timer.async_wait(asio::use_awaitable);
            co_return detail_response(status::ok, "slow done");
        });
        routes_.add(verb::get, "/throw", [](request_context&) -> asio::awaitable<response> {
            throw std::runtime_error("handler bug");
            co_return detail_response(status::ok, "unreachable");
        });
        routes_.add(verb::get, "/user", [](request_context& ctx) -> asio::awaitable<response> {
            ctx.user_id = "42";
            co_return detail_response(status::ok, "user");
        });
        routes_.add(verb::get, "/client", [](request_context& ctx) -> asio::awaitable<response> {
            co_return detail_response(status::ok, ctx.client_address);
        });
        routes_.add(verb::get, "/public", [](request_context&) -> asio::awaitable<response> {
            response res = detail_response(status::ok, "cache me");
            res.set(field::cache_control, "public, max-age=60");
            co_return res;
        });
        server_ = std::make_unique<server>(
            loops, routes_, lim,
            [this](access_entry const& e) {
                std::lock_guard const lock{log_mutex_};
                log_.push_back(std::string{e.method} + " " + std::string{e.path} + " " +
                               std::to_string(e.status) + " user=" + std::string{e.user_id} +
                               " rid=" + std::string{e.request_id} +
                               " client=" + std::string{e.client_address});
            },
            std::move(options));
        auto const bound = server_->listen({asio::ip::make_address("127.0.0.1"), 0});
        ASSERT_TRUE(bound.has_value());
        port_ = bound->port();
        server_->start();
        threads_.emplace_back([this] { server_->run(); });
    }

    void TearDown() override {
        if (server_) server_->stop();
        for (auto& t : threads_) t.join();
    }

    tcp::socket connect() {
        tcp::socket s{client_io_};
        s.connect({asio::ip::make_address("127.0.0.1"), port_});
        return s;
    }

    /// Sends raw bytes and reads until the server closes the connection.
    std::string exchange_until_close(std::string_view bytes) {
        auto s = connect();
        asio::write(s, asio::buffer(bytes));
        std::string out;
        error_code ec;
        asio::read(s, asio::dynamic_buffer(out), ec);
        return out;
    }

    static response read_response(tcp::socket& s, boost::beast::flat_buffer& buffer) {
        response res;
        bhttp::read(s, buffer, res);
        return res;
    }

    /// The access log once it has `n` lines (each line is written just after its response).
    std::vector<std::string> log_lines(std::size_t n) {
        for (int i = 0; i < 200; ++i) {
            {
                std::lock_guard const lock{log_mutex_};
                if (log_.size() >= n) return log_;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds{10});
        }
        std::lock_guard const lock{log_mutex_};
        return log_;
    }

    asio::io_context client_io_;
    router routes_;
    std::unique_ptr<server> server_;
    std::vector<std::thread> threads_;
    unsigned short port_ = 0;
    std::mutex log_mutex_;
    std::vector<std::string> log_;
};

TEST_F(server_fixture, serves_several_requests_on_one_connection) {
    start();
    auto s = connect();
    boost::beast::flat_buffer buffer;
    for (int i = 0; i < 3; ++i) {
        request req{verb::get, "/hello", 11};
        req.set(field::host, "x");
        bhttp::write(s, req);
        auto const res = read_response(s, buffer);
        EXPECT_EQ(res.result(), status::ok);
        EXPECT_TRUE(res.keep_alive());
        EXPECT_EQ(res[field::content_type], "application/json");
        EXPECT_FALSE(res["X-Request-Id"].empty());
    }
}

TEST_F(server_fixture, answers_pipelined_requests_in_order) {
    start();
    auto s = connect();
    asio::write(s, asio::buffer(std::string_view{"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                                                 "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: "
                                                 "text/plain\r\nContent-Length: 5\r\n\r\nabcde"
                                                 "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"}));
    boost::beast::flat_buffer buffer;
    EXPECT_EQ(read_response(s, buffer).result(), status::ok);
    auto const echo = read_response(s, buffer);
    EXPECT_EQ(echo.body(), R"({"size":5})");
    EXPECT_EQ(read_response(s, buffer).result(), status::not_found);
}

TEST_F(server_fixture, unknown_path_is_404_json) {
    start();
    auto const out =
        exchange_until_close("GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(out.find("HTTP/1.1 404"), std::string::npos);
    EXPECT_NE(out.find(R"({"detail":"Not Found"})"), std::string::npos);
}

TEST_F(server_fixture, wrong_method_is_405_with_allow) {
    start();
    auto const out =
        exchange_until_close("DELETE /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(out.find("HTTP/1.1 405"), std::string::npos);
    EXPECT_NE(out.find("Allow: GET"), std::string::npos);
    EXPECT_NE(out.find("Method Not Allowed"), std::string::npos);
}

TEST_F(server_fixture, oversized_headers_get_431_and_the_server_keeps_serving) {
    start({.max_header_bytes = 1024});
    auto const out = exchange_until_close(
        "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
    EXPECT_NE(out.find("HTTP/1.1 431"), std::string::npos);
    EXPECT_NE(out.find("Connection: close"), std::string::npos);
    auto const next =
        exchange_until_close("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(next.find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(server_fixture, oversized_body_gets_413) {
    start({.max_body_bytes = 100});
    auto const out = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: "
        "101\r\n\r\n" +
        std::string(101, 'b'));
    EXPECT_NE(out.find("HTTP/1.1 413"), std::string::npos);
    auto const chunked = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" +
        std::string(101, 'c') + "\r\n0\r\n\r\n");
    EXPECT_NE(chunked.find("HTTP/1.1 413"), std::string::npos);
}

TEST_F(server_fixture, body_at_the_limit_is_accepted) {
    start({.max_body_bytes = 100});
    auto const out = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100\r\n\r\n" +
        std::string(100, 'b'));
    EXPECT_NE(out.find(R"({"size":100})"), std::string::npos);
}

TEST_F(server_fixture, garbage_gets_400) {
    start();
    for (std::string_view bad :
         {"NOT HTTP AT ALL\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n",
          "GET /hello HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
          "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"}) {
        auto const out = exchange_until_close(bad);
        EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << bad;
    }
    auto const next =
        exchange_until_close("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_NE(next.find("HTTP/1.1 200"), std::string::npos);
}

/// How many responses a reply holds (each has a request id).
std::size_t responses_in(std::string_view out) {
    std::size_t n = 0;
    for (auto at = out.find("X-Request-Id:"); at != std::string_view::npos;
         at = out.find("X-Request-Id:", at + 1))
        ++n;
    return n;
}

TEST_F(server_fixture, a_body_behind_a_transfer_coding_we_do_not_decode_is_never_a_request) {
    start();
    std::string const smuggled = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";
    for (std::string_view te : {"identity", "compress", "xchunked", "chunked, identity"}) {
        auto const out = exchange_until_close(
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + std::string{te} + "\r\n\r\n" +
            smuggled);
        EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << te << ": " << out;
        EXPECT_EQ(responses_in(out), 1U) << te << ": " << out;
        EXPECT_NE(out.find("Connection: close"), std::string::npos) << te;
    }
}

TEST_F(server_fixture, transfer_encoding_in_http_1_0_is_400_and_closes) {
    start();
    auto const out = exchange_until_close(
        "POST /echo HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: "
        "chunked\r\n\r\n"
        "5\r\nabcde\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << out;
    EXPECT_EQ(responses_in(out), 1U) << out;
}

TEST_F(server_fixture, transfer_encoding_with_content_length_is_400_and_closes) {
    start();
    for (std::string_view head : {"Transfer-Encoding: identity\r\nContent-Length: 31\r\n",
                                  "Content-Length: 31\r\nTransfer-Encoding: identity\r\n",
                                  "Transfer-Encoding: chunked\r\nContent-Length: 31\r\n"}) {
        auto const out =
            exchange_until_close("POST /echo HTTP/1.1\r\nHost: x\r\n" + std::string{head} +
                                 "\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << head << out;
        EXPECT_EQ(responses_in(out), 1U) << head << out;
    }
}

TEST_F(server_fixture, http_1_1_needs_exactly_one_host) {
    start();
    EXPECT_TRUE(exchange_until_close("GET /hello HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 400"));
    EXPECT_TRUE(exchange_until_close("GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
                    .starts_with("HTTP/1.1 400"));
    EXPECT_TRUE(exchange_until_close("GET /hello HTTP/1.0\r\n\r\n").starts_with("HTTP/1.0 200"));
}

TEST_F(server_fixture, header_limit_holds_for_a_head_arriving_in_pieces) {
    start({.max_header_bytes = 1024});
    std::string head = "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    while (head.size() < 1500)
        head += "X-Pad-" + std::to_string(head.size()) + ": " + std::string(80, 'a') + "\r\n";
    head += "\r\n";
    auto s = connect();
    s.set_option(tcp::no_delay(true));
    // 100-byte pieces the server reads one at a time: each alone is far under the limit.
    error_code ec;
    for (std::size_t at = 0; at < head.size() && !ec; at += 100) {
        asio::write(s, asio::buffer(std::string_view{head}.substr(at, 100)),
                    ec);  // fails once answered
        std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    std::string out;
    asio::read(s, asio::dynamic_buffer(out), ec);
    EXPECT_TRUE(out.starts_with("HTTP/1.1 431")) << out.substr(0, 40);
}

TEST_F(server_fixture, header_limit_counts_the_request_line_and_every_header_to_the_byte) {
    start({.max_header_bytes = 1024});
    std::string head = "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ";
    head += std::string(1024 - head.size() - 4, 'a') + "\r\n\r\n";
    ASSERT_EQ(head.size(), 1024U);
    EXPECT_TRUE(exchange_until_close(head).starts_with("HTTP/1.1 200"));
    head.insert(head.find("X-Pad: ") + 7, "a");
    EXPECT_TRUE(exchange_until_close(head).starts_with("HTTP/1.1 431"));
}

TEST_F(server_fixture, slow_client_is_dropped_after_the_header_timeout) {
    start({.header_timeout = std::chrono::milliseconds{200}});
    auto s = connect();
    asio::write(s,
                asio::buffer(std::string_view{"GET /hello HTTP/1.1\r\nHost"}));  // and then nothing
    auto const before = std::chrono::steady_clock::now();
    std::string out;
    error_code ec;
    asio::read(s, asio::dynamic_buffer(out), ec);
    EXPECT_EQ(ec, asio::error::eof);
    EXPECT_TRUE(out.empty());
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds{5});
}

TEST_F(server_fixture, idle_connection_is_closed_after_the_idle_timeout) {
    start({.idle_timeout = std::chrono::milliseconds{200}});
    auto s = connect();
    std::string out;
    error_code ec;
    asio::read(s, asio::dynamic_buffer(out), ec);
    EXPECT_EQ(ec, asio::error::eof);
}

TEST_F(server_fixture, handler_exception_is_500_and_serving_continues) {
    start();
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/throw", 11};
    req.set(field::host, "x");
    bhttp::write(s, req);
    auto const res = read_response(s, buffer);
    EXPECT_EQ(res.result(), status::internal_server_error);
    EXPECT_EQ(res.body(), R"({"detail":"Internal Server Error"})");
    request again{verb::get, "/hello", 11};
    again.set(field::host, "x");
    bhttp::write(s, again);
    EXPECT_EQ(read_response(s, buffer).result(), status::ok);
}

TEST_F(server_fixture, expect_100_continue_is_honoured) {
    start();
    auto s = connect();
    asio::write(s, asio::buffer(std::string_view{"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: "
                                                 "100-continue\r\nContent-Length: 3\r\n\r\n"}));
    std::string interim(25, '\0');
    asio::read(s, asio::buffer(interim));
    EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
    asio::write(s, asio::buffer(std::string_view{"xyz"}));
    boost::beast::flat_buffer buffer;
    EXPECT_EQ(read_response(s, buffer).body(), R"({"size":3})");
}

TEST_F(server_fixture, request_id_is_echoed_when_plain_and_replaced_otherwise) {
    start();
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/hello", 11};
    req.set(field::host, "x");
    req.set("X-Request-Id", "abc-123");
    bhttp::write(s, req);
    EXPECT_EQ(read_response(s, buffer)["X-Request-Id"], "abc-123");
    req.set("X-Request-Id", "evil\"value with spaces");
    bhttp::write(s, req);
    auto const replaced = read_response(s, buffer)["X-Request-Id"];
    EXPECT_NE(replaced, "evil\"value with spaces");
    EXPECT_FALSE(replaced.empty());
}

TEST_F(server_fixture, access_log_has_one_line_per_request_without_query) {
    start();
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/user?token=secret", 11};
    req.set(field::host, "x");
    req.set("X-Request-Id", "rid-1");
    bhttp::write(s, req);
    (void)read_response(s, buffer);
    request missing{verb::get, "/missing", 11};
    missing.set(field::host, "x");
    bhttp::write(s, missing);
    (void)read_response(s, buffer);
    auto const lines = log_lines(2);
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0], "GET /user 200 user=42 rid=rid-1 client=127.0.0.1");
    EXPECT_EQ(lines[0].find("secret"), std::string::npos);
    EXPECT_EQ(lines[1].rfind("GET /missing 404 user= rid=", 0), 0U);
}

TEST_F(server_fixture, connections_beyond_the_limit_are_closed) {
    start({.max_connections = 1});
    auto first = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/hello", 11};
    req.set(field::host, "x");
    bhttp::write(first, req);
    EXPECT_EQ(read_response(first, buffer).result(), status::ok);
    auto second = connect();
    std::string out;
    error_code ec;
    asio::write(second, asio::buffer(std::string_view{"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"}),
                ec);
    asio::read(second, asio::dynamic_buffer(out), ec);
    EXPECT_TRUE(out.empty());
    bhttp::write(first, req);
    EXPECT_EQ(read_response(first, buffer).result(), status::ok);
}

TEST_F(server_fixture, cors_headers_only_for_allowed_origins) {
    start({}, {.cors = cors_policy{{"https://app.example"}}});
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/hello", 11};
    req.set(field::host, "x");
    req.set(field::origin, "https://app.example");
    bhttp::write(s, req);
    auto const allowed = read_response(s, buffer);
    EXPECT_EQ(allowed[field::access_control_allow_origin], "https://app.example");
    EXPECT_EQ(allowed[field::vary], "Origin");
    EXPECT_EQ(allowed.count(field::access_control_allow_credentials), 0U);
    req.set(field::origin, "https://evil.example");
    bhttp::write(s, req);
    EXPECT_EQ(read_response(s, buffer).count(field::access_control_allow_origin), 0U);
}

TEST_F(server_fixture, cors_preflight_is_answered_for_existing_paths) {
    start({}, {.cors = cors_policy{{"*"}}});
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request preflight{verb::options, "/echo", 11};
    preflight.set(field::host, "x");
    preflight.set(field::origin, "https://any.example");
    preflight.set(field::access_control_request_method, "POST");
    bhttp::write(s, preflight);
    auto const res = read_response(s, buffer);
    EXPECT_EQ(res.result(), status::no_content);
    EXPECT_EQ(res[field::access_control_allow_origin], "https://any.example");
    EXPECT_EQ(res[field::access_control_allow_methods], "POST");
    EXPECT_NE(res[field::access_control_allow_headers].find("Authorization"),
              std::string_view::npos);
    request unknown{verb::options, "/nowhere", 11};
    unknown.set(field::host, "x");
    unknown.set(field::origin, "https://any.example");
    unknown.set(field::access_control_request_method, "GET");
    bhttp::write(s, unknown);
    EXPECT_EQ(read_response(s, buffer).result(), status::not_found);
}

TEST_F(server_fixture, no_cors_without_a_policy) {
    start();
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request preflight{verb::options, "/echo", 11};
    preflight.set(field::host, "x");
    preflight.set(field::origin, "https://app.example");
    preflight.set(field::access_control_request_method, "POST");
    bhttp::write(s, preflight);
    auto const res = read_response(s, buffer);
    EXPECT_EQ(res.result(), status::method_not_allowed);
    EXPECT_EQ(res.count(field::access_control_allow_origin), 0U);
}

TEST_F(server_fixture, every_response_carries_nosniff_and_no_store_unless_it_chose_a_policy) {
    start({.max_header_bytes = 1024});
    auto s = connect();
    boost::beast::flat_buffer buffer;
    for (char const* path : {"/hello", "/nowhere", "/throw"}) {
        request req{verb::get, path, 11};
        req.set(field::host, "x");
        bhttp::write(s, req);
        auto const res = read_response(s, buffer);
        EXPECT_EQ(res["X-Content-Type-Options"], "nosniff") << path;
        EXPECT_EQ(res[field::cache_control], "no-store") << path;
    }
    request put{verb::put, "/hello", 11};  // 405
    put.set(field::host, "x");
    bhttp::write(s, put);
    auto const not_allowed = read_response(s, buffer);
    EXPECT_EQ(not_allowed.result(), status::method_not_allowed);
    EXPECT_EQ(not_allowed["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(not_allowed[field::cache_control], "no-store");
    request public_document{verb::get, "/public", 11};
    public_document.set(field::host, "x");
    bhttp::write(s, public_document);
    auto const cached = read_response(s, buffer);
    EXPECT_EQ(cached[field::cache_control], "public, max-age=60");
    EXPECT_EQ(cached.count(field::cache_control), 1U);
    EXPECT_EQ(cached["X-Content-Type-Options"], "nosniff");
    // A response the server makes itself, for a request it could not read (431).
    std::string too_big = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ";
    too_big.append(2000, 'a');
    too_big += "\r\n\r\n";
    auto const refused = exchange_until_close(too_big);
    EXPECT_TRUE(refused.starts_with("HTTP/1.1 431")) << refused;
    EXPECT_NE(refused.find("X-Content-Type-Options: nosniff\r\n"), std::string::npos);
    EXPECT_NE(refused.find("Cache-Control: no-store\r\n"), std::string::npos);
}

TEST_F(server_fixture, forwarding_headers_are_ignored_unless_the_peer_is_a_trusted_proxy) {
    start();
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/client", 11};
    req.set(field::host, "x");
    req.set("X-Forwarded-For", "203.0.113.7");
    bhttp::write(s, req);
    EXPECT_EQ(read_response(s, buffer).body(), R"({"detail":"127.0.0.1"})");
    auto const lines = log_lines(1);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_TRUE(lines[0].ends_with("client=127.0.0.1")) << lines[0];
}

TEST_F(server_fixture, a_trusted_proxy_names_the_client_for_handlers_and_the_log) {
    start({}, {.proxies = trusted_proxies{{network_range::parse("127.0.0.0/8").value()}}});
    auto s = connect();
    boost::beast::flat_buffer buffer;
    request req{verb::get, "/client", 11};
    req.set(field::host, "x");
    req.set("X-Forwarded-For", "198.51.100.1, 203.0.113.7, 127.0.0.1");
    bhttp::write(s, req);
    EXPECT_EQ(read_response(s, buffer).body(), R"({"detail":"203.0.113.7"})");
    req.set("X-Forwarded-For", "not an address");
    bhttp::write(s, req);
    EXPECT_EQ(read_response(s, buffer).body(), R"({"detail":"127.0.0.1"})");
    auto const lines = log_lines(2);
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_TRUE(lines[0].ends_with("client=203.0.113.7")) << lines[0];
    EXPECT_TRUE(lines[1].ends_with("client=127.0.0.1")) << lines[1];
}

TEST_F(server_fixture, stop_finishes_in_flight_requests_and_closes_idle_ones) {
    start();
    auto idle = connect();
    auto busy = connect();
    request req{verb::get, "/slow", 11};
    req.set(field::host, "x");
    bhttp::write(busy, req);
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    server_->stop();
    boost::beast::flat_buffer buffer;
    auto const res = read_response(busy, buffer);
    EXPECT_EQ(res.result(), status::ok);
    EXPECT_FALSE(res.keep_alive());
    std::string out;
    error_code ec;
    asio::read(idle, asio::dynamic_buffer(out), ec);
    EXPECT_EQ(ec, asio::error::eof);
    for (auto& t : threads_) t.join();  // run() returns: nothing left
    threads_.clear();
    EXPECT_EQ(server_->connections(), 0U);
    tcp::socket late{client_io_};
    late.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    EXPECT_TRUE(ec);  // the listener is gone
}

/// The loop that made a request id: each loop has a prefix of its own ("<prefix>-<counter>").
std::string loop_of(std::string_view request_id) {
    return std::string{request_id.substr(0, request_id.rfind('-'))};
}

TEST_F(server_fixture, connections_on_every_loop_are_served_and_stop_finishes_them_all) {
    start({}, {}, 4);
    std::vector<tcp::socket> sockets;
    for (int i = 0; i < 32; ++i) sockets.push_back(connect());
    std::set<std::string> loops;
    boost::beast::flat_buffer buffer;
    request hello{verb::get, "/hello", 11};
    hello.set(field::host, "x");
    for (auto& s : sockets) {
        for (int i = 0; i < 2; ++i) {
            bhttp::write(s, hello);
            auto const res = read_response(s, buffer);
            ASSERT_EQ(res.result(), status::ok);
            EXPECT_TRUE(res.keep_alive());
            loops.insert(loop_of(res["X-Request-Id"]));
        }
    }
    // The kernel spreads connections by their addresses: 32 on one loop of 4 would be a fluke.
    EXPECT_GE(loops.size(), 2U);
    EXPECT_EQ(server_->connections(), sockets.size());

    // Every other connection busy on a slow request when the stop comes, the rest idle.
    request slow{verb::get, "/slow", 11};
    slow.set(field::host, "x");
    for (std::size_t i = 0; i < sockets.size(); i += 2) bhttp::write(sockets[i], slow);
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    server_->stop();
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        error_code ec;
        if (i % 2 == 0) {
            auto const res = read_response(sockets[i], buffer);
            EXPECT_EQ(res.result(), status::ok);
            EXPECT_EQ(res.body(), R"({"detail":"slow done"})");
            EXPECT_FALSE(res.keep_alive());
        }
        std::string out;
        asio::read(sockets[i], asio::dynamic_buffer(out), ec);
        EXPECT_EQ(ec, asio::error::eof) << i;
        EXPECT_TRUE(out.empty()) << i;
        sockets[i].close();  // the server need not linger for our end of the stream
    }
    for (auto& t : threads_) t.join();  // run() returns on every loop
    threads_.clear();
    EXPECT_EQ(server_->connections(), 0U);
    error_code ec;
    tcp::socket late{client_io_};
    late.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
    EXPECT_TRUE(ec);  // no loop listens any more
}

TEST_F(server_fixture, request_ids_are_unique_across_loops) {
    start({}, {}, 3);
    std::set<std::string> ids;
    boost::beast::flat_buffer buffer;
    request hello{verb::get, "/hello", 11};
    hello.set(field::host, "x");
    for (int c = 0; c < 12; ++c) {
        auto s = connect();
        for (int i = 0; i < 5; ++i) {
            bhttp::write(s, hello);
            ids.insert(std::string{read_response(s, buffer)["X-Request-Id"]});
        }
    }
    EXPECT_EQ(ids.size(), 60U);
}

TEST_F(server_fixture, several_loops_do_not_join_a_port_another_server_listens_on) {
    start({}, {}, 2);
    router other_routes;
    server other{2, other_routes, {}, {}};
    auto const taken = other.listen({asio::ip::make_address("127.0.0.1"), port_});
    ASSERT_FALSE(taken.has_value());
    EXPECT_EQ(taken.error(), asio::error::address_in_use);
    // A plain listener (no SO_REUSEPORT) keeps the port too.
    tcp::acceptor plain{client_io_, {asio::ip::make_address("127.0.0.1"), 0}};
    auto const also_taken = other.listen(plain.local_endpoint());
    ASSERT_FALSE(also_taken.has_value());
    EXPECT_EQ(also_taken.error(), asio::error::address_in_use);
}

TEST(server, one_loop_on_the_callers_io_context) {
    router routes;
    routes.add(verb::get, "/hello", [](request_context&) -> asio::awaitable<response> {
        co_return detail_response(status::ok, "hello");
    });
    asio::io_context io{1};
    server srv{io, routes, {}, {}};
    EXPECT_EQ(srv.loop_count(), 1U);
    EXPECT_EQ(&srv.loop(0), &io);
    auto const bound = srv.listen({asio::ip::make_address("127.0.0.1"), 0});
    ASSERT_TRUE(bound.has_value());
    srv.start();
    std::thread runner{[&io] { io.run(); }};
    asio::io_context client_io;
    tcp::socket s{client_io};
    s.connect(*bound);
    request req{verb::get, "/hello", 11};
    req.set(field::host, "x");
    bhttp::write(s, req);
    boost::beast::flat_buffer buffer;
    response res;
    bhttp::read(s, buffer, res);
    EXPECT_EQ(res.result(), status::ok);
    srv.stop();
    runner.join();  // the idle connection closed, the listener gone: run() returned
    EXPECT_EQ(srv.connections(), 0U);
}

}  // namespace
}  // namespace warden::http
