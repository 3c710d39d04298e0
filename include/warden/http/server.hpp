#pragma once
// The HTTP/1.1 server: Boost.Beast with one event loop per thread, keep-alive and pipelining,
// the limits and timeouts of SPEC §5, request ids, an access-log callback, and a graceful stop
// (stop accepting, close idle connections, finish in-flight requests).
//
// Each loop is an io_context run by exactly one thread, with its own acceptor on the shared port
// (SO_REUSEPORT: the kernel spreads new connections over the loops). A connection lives on the
// loop that accepted it from accept to close, so the request path takes no strand, no lock and
// no hop to another thread unless a handler awaits a pool (hashing, the store), whose result is
// posted back to the connection's loop. What the server keeps per connection (the live set, the
// request-id counter) is per loop; only the connection count is shared (a relaxed atomic).
//
// With TLS (server_options::tls) the listener speaks HTTPS only: each connection starts with a
// handshake under the header timeout, and a client that does not complete one (plain HTTP on
// the HTTPS port) is closed without an answer. Every response carries `X-Content-Type-Options:
// nosniff`, and `Cache-Control: no-store` unless its route chose a Cache-Control of its own:
// tokens and user data must not land in a shared cache, and a route that forgets is safe.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <warden/core/result.hpp>
#include <warden/http/cors.hpp>
#include <warden/http/limits.hpp>
#include <warden/http/router.hpp>
#include <warden/http/tls.hpp>
#include <warden/http/trusted_proxies.hpp>

namespace warden::http {

/// One finished request, for the access log. Never holds a header value or a body.
struct access_entry {
    std::string_view method;
    std::string_view path;  ///< without the query string
    unsigned status = 0;
    std::chrono::microseconds latency{0};
    std::string_view user_id;  ///< empty if no guard authenticated the caller
    std::string_view request_id;
    std::string_view client_address;  ///< the peer, or whom a trusted proxy named
    std::string_view route;           ///< the matched route's template; empty when none matched
};

/// Called on the loop's thread after each response; called from every loop at once, so it must
/// be thread-safe (and should not take a shared lock: it runs once per request).
using access_logger = std::function<void(access_entry const&)>;

/// What a server does beyond routing, each off by default.
struct server_options {
    cors_policy cors{};
    trusted_proxies proxies{};         ///< who may name the client (`X-Forwarded-For`)
    std::optional<tls_context> tls{};  ///< none: plain HTTP
};

class server {
  public:
    /// `loops` event loops, each an io_context of its own (concurrency hint 1), owned by the
    /// server and run by `run()`, one thread each. At least one.
    server(std::size_t loops, router const& routes, limits lim, access_logger log,
           server_options options = {});
    /// One event loop on the caller's `io`, which the caller runs on exactly one thread (a
    /// connection is not guarded against two threads running its loop).
    server(boost::asio::io_context& io, router const& routes, limits lim, access_logger log,
           server_options options = {});
    server(server const&) = delete;
    server& operator=(server const&) = delete;
    ~server();

    /// Binds and listens on every loop; returns the bound endpoint (port 0 picks a free port,
    /// which every loop then shares). Fails if something already listens there.
    [[nodiscard]] result<boost::asio::ip::tcp::endpoint> listen(boost::asio::ip::tcp::endpoint at);
    /// Starts accepting connections (call after listen, before running the loops).
    void start();
    /// Runs every loop, loop 0 on the calling thread and each other one on a thread of its own,
    /// and returns when all of them have run out of work (after `stop()`, once every connection
    /// is gone and whatever else the caller put on a loop has finished).
    void run();
    /// Graceful stop: no new connections; idle ones close now, busy ones after their response.
    /// Each loop's run() returns once its connections are gone. Thread-safe, idempotent.
    void stop();

    /// The number of event loops.
    [[nodiscard]] std::size_t loop_count() const noexcept { return loops_.size(); }
    /// Loop `i` (< loop_count()), for the caller's own work: timers, a signal_set. Whatever is
    /// put there runs on that loop's thread and keeps its run() going until it finishes.
    [[nodiscard]] boost::asio::io_context& loop(std::size_t i) noexcept;

    /// Open connections over every loop (exact once the loops have stopped).
    [[nodiscard]] std::size_t connections() const noexcept {
        return connection_count_.load(std::memory_order_relaxed);
    }

  private:
    struct connection;
    struct event_loop;
    boost::asio::awaitable<void> accept_loop(event_loop& lp);
    /// One connection from accept to close, over a plain or a TLS stream (src/http/server.cpp).
    template <class Stream>
    boost::asio::awaitable<void> serve(event_loop& lp, Stream stream);

    std::vector<std::unique_ptr<event_loop>> loops_;
    router const& routes_;
    limits limits_;
    access_logger log_;
    server_options options_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> connection_count_{0};
};

}  // namespace warden::http
