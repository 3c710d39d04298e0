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
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <warden/core/result.hpp>
#include <warden/http/cors.hpp>
#include <warden/http/limits.hpp>
#include <warden/http/router.hpp>

namespace warden::http {

/// One finished request, for the access log. Never holds a header value or a body.
struct access_entry {
    std::string_view method;
    std::string_view path;  ///< without the query string
    unsigned status = 0;
    std::chrono::microseconds latency{0};
    std::string_view user_id;  ///< empty if no guard authenticated the caller
    std::string_view request_id;
    std::string_view client_address;
    std::string_view route;  ///< the matched route's template; empty when none matched
};

/// Called on the loop's thread after each response; called from every loop at once, so it must
/// be thread-safe (and should not take a shared lock: it runs once per request).
using access_logger = std::function<void(access_entry const&)>;

class server {
  public:
    /// `loops` event loops, each an io_context of its own (concurrency hint 1), owned by the
    /// server and run by `run()`, one thread each. At least one.
    server(std::size_t loops, router const& routes, limits lim, access_logger log,
           cors_policy cors = {});
    /// One event loop on the caller's `io`, which the caller runs on exactly one thread (a
    /// connection is not guarded against two threads running its loop).
    server(boost::asio::io_context& io, router const& routes, limits lim, access_logger log,
           cors_policy cors = {});
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
    boost::asio::awaitable<void> serve(event_loop& lp, std::shared_ptr<connection> conn);

    std::vector<std::unique_ptr<event_loop>> loops_;
    router const& routes_;
    limits limits_;
    access_logger log_;
    cors_policy cors_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> connection_count_{0};
};

}  // namespace warden::http
