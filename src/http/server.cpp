#include <warden/http/server.hpp>

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
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

#include "http/tls_native.hpp"

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

/// The headers every response carries (the server's, and those of routes that did not set
/// their own Cache-Control). no-store by default, as Spring Security does: a response with a
/// token or user data must never be kept by a cache, and a public document opts in to caching.
void add_security_headers(response& res) {
    res.set("X-Content-Type-Options", "nosniff");
    if (res.find(field::cache_control) == res.end()) res.set(field::cache_control, "no-store");
}

/// SO_REUSEPORT (Linux 3.9): several listening sockets on one port, new connections spread
/// over them by the kernel.
error_code set_reuse_port(tcp::acceptor& acceptor) {
    int const on = 1;
    if (::setsockopt(acceptor.native_handle(), SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0)
        return {errno, boost::system::system_category()};
    return {};
}

}  // namespace

/// What stop() needs of a connection; lives in its serve() frame.
struct server::connection {
    tcp::socket& socket;  // the lowest layer of the connection's stream
    bool busy = false;    // touched only on the connection's loop
};

/// One io_context, run by one thread, and what lives on it. Once the loop runs, every member is
/// touched only on that thread (stop() posts there); listen() and start() come before.
struct server::event_loop {
    explicit event_loop(std::unique_ptr<asio::io_context> own)
        : owned(std::move(own)), io(*owned) {}
    explicit event_loop(asio::io_context& external) : io(external) {}

    std::unique_ptr<asio::io_context> owned;  // null when the caller owns and runs `io`
    asio::io_context& io;
    tcp::acceptor acceptor{io};
    bool stopping = false;
    std::unordered_set<connection*> live;  // each removed by its serve() before it is freed
    std::string request_id_prefix;         // random, one per loop: no counter is shared
    std::uint64_t request_counter = 0;

    std::string next_request_id() {
        return request_id_prefix + '-' + std::to_string(++request_counter);
    }
};

namespace {

std::string random_request_id_prefix() {
    auto const prefix = random_bytes(6);
    return prefix ? base64url_encode(*prefix) : std::string{"warden"};
}

}  // namespace

server::server(std::size_t loops, router const& routes, limits lim, access_logger log,
               server_options options)
    : routes_(routes), limits_(lim), log_(std::move(log)), options_(std::move(options)) {
    if (loops == 0) throw std::invalid_argument{"http::server needs at least one event loop"};
    for (std::size_t i = 0; i < loops; ++i) {
        // Concurrency hint 1: one thread runs the loop, so Asio queues what that thread posts to
        // itself without locking; posts from the pools' threads (a hash, a store call handing
        // back its result) still take the scheduler's lock, which stays on.
        loops_.push_back(std::make_unique<event_loop>(
            std::make_unique<asio::io_context>(BOOST_ASIO_CONCURRENCY_HINT_1)));
    }
    for (auto& lp : loops_) lp->request_id_prefix = random_request_id_prefix();
}

server::server(asio::io_context& io, router const& routes, limits lim, access_logger log,
               server_options options)
    : routes_(routes), limits_(lim), log_(std::move(log)), options_(std::move(options)) {
    loops_.push_back(std::make_unique<event_loop>(io));
    loops_.front()->request_id_prefix = random_request_id_prefix();
}

server::~server() = default;

asio::io_context& server::loop(std::size_t i) noexcept { return loops_[i]->io; }

result<tcp::endpoint> server::listen(tcp::endpoint at) {
    error_code ec;
    if (loops_.size() == 1) {
        auto& acceptor = loops_.front()->acceptor;
        acceptor.open(at.protocol(), ec);
        if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor.bind(at, ec);
        if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) return ec;
        auto bound = acceptor.local_endpoint(ec);
        if (ec) return ec;
        return bound;
    }
    // Several acceptors on one port need SO_REUSEPORT, which would also let this server join a
    // group that another process (another wardend) already listens with. A probe without it is
    // bound first: it fails if anyone listens on the port, and with port 0 it picks the port.
    // Bound but not listening, it does not keep the acceptors (SO_REUSEADDR) from binding.
    tcp::acceptor probe{loops_.front()->io};
    probe.open(at.protocol(), ec);
    if (!ec) probe.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) probe.bind(at, ec);
    if (ec) return ec;
    at = probe.local_endpoint(ec);
    if (ec) return ec;
    for (auto& lp : loops_) {
        lp->acceptor.open(at.protocol(), ec);
        if (!ec) lp->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) ec = set_reuse_port(lp->acceptor);
        if (!ec) lp->acceptor.bind(at, ec);
        if (!ec) lp->acceptor.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) {
            for (auto& opened : loops_) opened->acceptor.close(ec);
            return ec;
        }
    }
    return at;
}

void server::start() {
    for (auto& lp : loops_) asio::co_spawn(lp->io, accept_loop(*lp), asio::detached);
}

void server::run() {
    std::vector<std::thread> threads;
    threads.reserve(loops_.size() - 1);
    for (std::size_t i = 1; i < loops_.size(); ++i)
        threads.emplace_back([&io = loops_[i]->io] { io.run(); });
    loops_.front()->io.run();
    for (auto& t : threads) t.join();
}

void server::stop() {
    if (stopping_.exchange(true)) return;
    for (auto& owned : loops_) {
        asio::post(owned->io, [&lp = *owned] {
            lp.stopping = true;
            error_code ignored;
            lp.acceptor.close(ignored);
            // Idle connections are waiting for a next request that must not come: cancel the
            // read. Busy ones see `stopping` after their response and close.
            for (connection* conn : lp.live)
                if (!conn->busy) conn->socket.cancel(ignored);
        });
    }
}

asio::awaitable<void> server::accept_loop(event_loop& lp) {
    asio::steady_timer backoff{lp.io};
    while (!lp.stopping) {
        // The socket is on this loop: the connection stays here from accept to close.
        auto [ec, socket] = co_await lp.acceptor.async_accept(lp.io, use_tuple);
        if (ec) {
            if (ec == asio::error::operation_aborted || lp.stopping) break;
            // Out of descriptors or a transient failure: breathe instead of spinning.
            backoff.expires_after(std::chrono::milliseconds{50});
            co_await backoff.async_wait(use_tuple);
            continue;
        }
        if (lp.stopping) break;  // accepted just before stop(): the listener is gone
        // Shared by every loop, but only counted (relaxed): no ordering rides on it.
        if (connection_count_.fetch_add(1, std::memory_order_relaxed) >= limits_.max_connections) {
            connection_count_.fetch_sub(1, std::memory_order_relaxed);
            socket.close(ec);
            continue;
        }
        socket.set_option(tcp::no_delay(true), ec);
        if (options_.tls) {
            tls_stream stream{std::move(socket), options_.tls->get().context};
            asio::co_spawn(lp.io, serve(lp, std::move(stream)), asio::detached);
        } else {
            asio::co_spawn(lp.io, serve(lp, beast::tcp_stream{std::move(socket)}), asio::detached);
        }
    }
}

template <class Stream>
asio::awaitable<void> server::serve(event_loop& lp, Stream stream) {
    constexpr bool tls = std::is_same_v<Stream, tls_stream>;
    beast::tcp_stream& lowest = beast::get_lowest_layer(stream);  // timeouts act here
    connection conn{lowest.socket()};
    lp.live.insert(&conn);
    beast::flat_buffer buffer;
    std::string peer;
    {
        error_code ec;
        auto const remote = lowest.socket().remote_endpoint(ec);
        if (!ec) peer = remote.address().to_string();
    }
    auto log = [&](std::string_view method, std::string_view path, unsigned code,
                   std::chrono::steady_clock::time_point started, std::string_view user,
                   std::string_view id, std::string_view client, std::string_view route) {
        if (!log_) return;
        log_(access_entry{method, path, code,
                          std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started),
                          user, id, client, route});
    };

    bool open = !lp.stopping;  // false: accepted just before stop(), which did not see it
    if constexpr (tls) {
        if (open) {
            // The handshake is held to the header timeout, like a request's head. A client that
            // does not complete one (plain HTTP on this port) is closed without an answer.
            lowest.expires_after(limits_.header_timeout);
            auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
            open = !ec;
        }
    }
    [[maybe_unused]] bool const secured = open;  // TLS: a session to close with close_notify

    bool linger = false;  // a response ended the connection: let the client finish sending
    while (open && !lp.stopping) {
        if (buffer.size() == 0) {
            // Wait for the first byte of the next request under the idle timeout.
            lowest.expires_after(limits_.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            if (ec) break;
            buffer.commit(n);
        }
        conn.busy = true;
        auto const started = std::chrono::steady_clock::now();
        request_parser parser;
        parser.body_limit(limits_.max_body_bytes);

        // The whole head is buffered and measured before Beast parses it: Beast 1.81's
        // header_limit counts only the bytes of one read, so a head arriving in pieces could
        // grow past the limit.
        lowest.expires_after(limits_.header_timeout);
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
                lowest.expires_after(limits_.write_timeout);
                auto [ec, n] = co_await asio::async_write(stream, asio::buffer(go_on), use_tuple);
                read_ec = ec;
            }
        }
        if (!read_ec && !parser.is_done()) {  // a GET without a body is complete here
            lowest.expires_after(limits_.body_timeout);
            auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            read_ec = body_ec;
        }
        if (read_ec) {
            auto res = read_error_response(read_ec);
            if (res) {
                auto const id = lp.next_request_id();
                res->version(11);
                res->keep_alive(false);
                res->set("X-Request-Id", id);
                add_security_headers(*res);
                res->prepare_payload();
                lowest.expires_after(limits_.write_timeout);
                co_await bhttp::async_write(stream, *res, use_tuple);
                log("-", "-", res->result_int(), started, {}, id, peer, {});
                linger = true;
            }
            break;
        }

        request_context ctx{parser.release(), {}, peer, {}, {}, {}};
        if (!options_.proxies.empty())
            ctx.client_address = options_.proxies.client_address(peer, ctx.req);
        auto const incoming = ctx.req.find("X-Request-Id");
        ctx.request_id = incoming != ctx.req.end() && acceptable_request_id(incoming->value())
                             ? std::string{incoming->value()}
                             : lp.next_request_id();

        response res = co_await dispatch(routes_, options_.cors, ctx);
        bool const keep_alive = ctx.req.keep_alive() && !lp.stopping;
        res.version(ctx.req.version());
        res.keep_alive(keep_alive);
        res.set("X-Request-Id", ctx.request_id);
        add_security_headers(res);
        res.prepare_payload();
        lowest.expires_after(limits_.write_timeout);
        auto [write_ec, write_n] = co_await bhttp::async_write(stream, res, use_tuple);
        log(ctx.req.method_string(), ctx.path(), res.result_int(), started, ctx.user_id,
            ctx.request_id, ctx.client_address, ctx.route);
        conn.busy = false;
        if (write_ec) break;
        if (!keep_alive) {
            linger = true;
            break;
        }
    }

    if constexpr (tls) {
        if (secured) {
            // close_notify tells the client our end from a cut connection. Its own is not
            // awaited: the linger below reads whatever it still sends as TCP bytes, as for HTTP.
            skip_waiting_for_close_notify(stream);
            lowest.expires_after(linger_timeout);
            co_await stream.async_shutdown(use_tuple);
        }
    }
    error_code ignored;
    lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger) {
        lowest.expires_after(linger_timeout);
        std::array<char, 4096> sink;
        for (std::size_t drained = 0; drained < linger_bytes;) {
            auto [ec, n] = co_await lowest.async_read_some(asio::buffer(sink), use_tuple);
            if (ec) break;  // the client's end of stream, the timeout, or stop()
            drained += n;
        }
    }
    lowest.socket().close(ignored);
    lp.live.erase(&conn);
    connection_count_.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace warden::http
