#include <warden/http/server.hpp>

#include <array>
#include <chrono>
#include <exception>
#include <optional>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <warden/core/base64url.hpp>
#include <warden/core/random.hpp>
#include <warden/http/dispatch.hpp>
#include <warden/http/framing.hpp>
#include <warden/http/responses.hpp>

namespace warden::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Lingering close (RFC 9112 §9.6): after a response that ends the connection, what the client
// still sends is read and dropped for at most this long or this much. Closing with unread bytes
// makes the kernel answer with a reset, which can destroy the response on its way (a 413 sent
// while the client is still sending its body).
constexpr auto linger_timeout = std::chrono::seconds{2};
constexpr std::size_t linger_bytes = 1 << 20;

/// A client-supplied request id is kept if it is short and plain; otherwise we make one.
bool acceptable_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char const c : id) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

struct server::connection {
    explicit connection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    bool busy = false;  // touched only on the connection's strand
};

server::server(asio::io_context& io, router const& routes, limits lim, access_logger log,
               cors_policy cors)
    : io_(io),
      routes_(routes),
      limits_(lim),
      log_(std::move(log)),
      cors_(std::move(cors)),
      acceptor_(asio::make_strand(io)) {
    auto const prefix = random_bytes(6);
    request_id_prefix_ = prefix ? base64url_encode(*prefix) : std::string{"warden"};
}

server::~server() = default;

result<tcp::endpoint> server::listen(tcp::endpoint at) {
    error_code ec;
    acceptor_.open(at.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(at, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return ec;
    auto bound = acceptor_.local_endpoint(ec);
    if (ec) return ec;
    return bound;
}

void server::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached); }

void server::stop() {
    if (stopping_.exchange(true)) return;
    asio::post(acceptor_.get_executor(), [this] {
        error_code ignored;
        acceptor_.close(ignored);
    });
    std::lock_guard const lock{connections_mutex_};
    for (auto const& [raw, weak] : live_) {
        if (auto conn = weak.lock()) {
            // Idle connections are waiting for a next request that must not come: cancel the
            // read. Busy ones see `stopping_` after their response and close.
            asio::post(conn->stream.get_executor(), [conn] {
                error_code ignored;  // the connection may have closed meanwhile
                if (!conn->busy) conn->stream.socket().cancel(ignored);
            });
        }
    }
}

asio::awaitable<void> server::accept_loop() {
    asio::steady_timer backoff{acceptor_.get_executor()};
    while (!stopping_) {
        auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(io_), use_tuple);
        if (ec) {
            if (ec == asio::error::operation_aborted || stopping_) break;
            // Out of descriptors or a transient failure: breathe instead of spinning.
            backoff.expires_after(std::chrono::milliseconds{50});
            co_await backoff.async_wait(use_tuple);
            continue;
        }
        if (connection_count_.load() >= limits_.max_connections) {
            socket.close(ec);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        auto conn = std::make_shared<connection>(std::move(socket));
        {
            std::lock_guard const lock{connections_mutex_};
            live_.emplace(conn.get(), conn);
        }
        connection_count_.fetch_add(1);
        auto executor = conn->stream.get_executor();
        asio::co_spawn(executor, serve(std::move(conn)), asio::detached);
    }
}

std::string server::next_request_id() {
    return request_id_prefix_ + '-' + std::to_string(request_counter_.fetch_add(1) + 1);
}

asio::awaitable<void> server::serve(std::shared_ptr<connection> conn) {
    auto& stream = conn->stream;
    beast::flat_buffer buffer;
    std::string client;
    {
        error_code ec;
        auto const peer = stream.socket().remote_endpoint(ec);
        if (!ec) client = peer.address().to_string();
    }
    auto log = [&](std::string_view method, std::string_view path, unsigned code,
                   std::chrono::steady_clock::time_point started, std::string_view user,
                   std::string_view id) {
        if (!log_) return;
        log_(access_entry{method, path, code,
                          std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started),
                          user, id, client});
    };

    bool linger = false;  // a response ended the connection: let the client finish sending
    while (!stopping_) {
        if (buffer.size() == 0) {
            // Wait for the first byte of the next request under the idle timeout.
            stream.expires_after(limits_.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            if (ec) break;
            buffer.commit(n);
        }
        conn->busy = true;
        auto const started = std::chrono::steady_clock::now();
        request_parser parser;
        parser.body_limit(limits_.max_body_bytes);

        // The whole head is buffered and measured before Beast parses it: Beast 1.81's
        // header_limit counts only the bytes of one read, so a head arriving in pieces could
        // grow past the limit.
        stream.expires_after(limits_.header_timeout);
        error_code read_ec;
        while (true) {
            read_ec = parse_head(parser, buffer, limits_.max_header_bytes);
            if (read_ec != bhttp::error::need_more) break;
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            if (ec) {
                read_ec = ec;
                break;
            }
            buffer.commit(n);
        }
        if (!read_ec) {
            auto const& head = parser.get();
            auto const expect = head.find(field::expect);
            if (expect != head.end() && beast::iequals(expect->value(), "100-continue")) {
                // curl and others wait for this before sending a large body.
                static constexpr std::string_view go_on = "HTTP/1.1 100 Continue\r\n\r\n";
                stream.expires_after(limits_.write_timeout);
                auto [ec, n] = co_await asio::async_write(stream, asio::buffer(go_on), use_tuple);
                read_ec = ec;
            }
        }
        if (!read_ec && !parser.is_done()) {  // a GET without a body is complete here
            stream.expires_after(limits_.body_timeout);
            auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            read_ec = body_ec;
        }
        if (read_ec) {
            auto res = read_error_response(read_ec);
            if (res) {
                auto const id = next_request_id();
                res->version(11);
                res->keep_alive(false);
                res->set("X-Request-Id", id);
                res->prepare_payload();
                stream.expires_after(limits_.write_timeout);
                co_await bhttp::async_write(stream, *res, use_tuple);
                log("-", "-", res->result_int(), started, {}, id);
                linger = true;
            }
            break;
        }

        request_context ctx{parser.release(), {}, client, {}, {}};
        auto const incoming = ctx.req.find("X-Request-Id");
        ctx.request_id = incoming != ctx.req.end() && acceptable_request_id(incoming->value())
                             ? std::string{incoming->value()}
                             : next_request_id();

        response res = co_await dispatch(routes_, cors_, ctx);
        bool const keep_alive = ctx.req.keep_alive() && !stopping_;
        res.version(ctx.req.version());
        res.keep_alive(keep_alive);
        res.set("X-Request-Id", ctx.request_id);
        res.prepare_payload();
        stream.expires_after(limits_.write_timeout);
        auto [write_ec, write_n] = co_await bhttp::async_write(stream, res, use_tuple);
        log(ctx.req.method_string(), ctx.path(), res.result_int(), started, ctx.user_id,
            ctx.request_id);
        conn->busy = false;
        if (write_ec) break;
        if (!keep_alive) {
            linger = true;
            break;
        }
    }

    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger) {
        stream.expires_after(linger_timeout);
        std::array<char, 4096> sink;
        for (std::size_t drained = 0; drained < linger_bytes;) {
            auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), use_tuple);
            if (ec) break;  // the client's end of stream, the timeout, or stop()
            drained += n;
        }
    }
    stream.socket().close(ignored);
    {
        std::lock_guard const lock{connections_mutex_};
        live_.erase(conn.get());
    }
    connection_count_.fetch_sub(1);
}

}  // namespace warden::http
