#pragma once
// The HTTP/1.1 server: Boost.Beast on one io_context run by N threads, keep-alive and
// pipelining, the limits and timeouts of SPEC §5, request ids, an access-log callback, and a
// graceful stop (stop accepting, close idle connections, finish in-flight requests).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

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
};

using access_logger = std::function<void(access_entry const&)>;

class server {
  public:
    server(boost::asio::io_context& io, router const& routes, limits lim, access_logger log,
           cors_policy cors = {});
    server(server const&) = delete;
    server& operator=(server const&) = delete;
    ~server();

    /// Binds and listens; returns the bound endpoint (port 0 picks a free port).
    [[nodiscard]] result<boost::asio::ip::tcp::endpoint> listen(boost::asio::ip::tcp::endpoint at);
    /// Starts accepting connections (call after listen, before running the io_context).
    void start();
    /// Graceful stop: no new connections; idle ones close now, busy ones after their response.
    /// The io_context's run() returns once every connection is gone. Thread-safe, idempotent.
    void stop();

    [[nodiscard]] std::size_t connections() const noexcept { return connection_count_.load(); }

  private:
    struct connection;
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<void> serve(std::shared_ptr<connection> conn);
    std::string next_request_id();

    boost::asio::io_context& io_;
    router const& routes_;
    limits limits_;
    access_logger log_;
    cors_policy cors_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> connection_count_{0};
    std::atomic<std::uint64_t> request_counter_{0};
    std::string request_id_prefix_;
    std::mutex connections_mutex_;
    std::unordered_map<connection*, std::weak_ptr<connection>> live_;
};

}  // namespace warden::http
