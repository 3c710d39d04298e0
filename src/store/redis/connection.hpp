#pragma once
// One blocking hiredis connection, used by one thread at a time (the pool sees to that). Every
// call has a deadline: connect, write and each read are bounded by it (socket timeouts), so a
// server that is gone or stuck costs at most the time left, never a hang. Arguments are passed
// with explicit lengths (redisAppendCommandArgv), never formatted into a command string, so
// keys and jtis may hold any bytes.
#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>

#include "store/redis/redis_url.hpp"

struct redisContext;
struct redisReply;

namespace warden::store {

using redis_clock = std::chrono::steady_clock;

struct redis_reply_deleter {
    void operator()(redisReply* r) const noexcept;
};
/// A reply (which may be a Redis error reply: see `reply_error`).
using redis_reply = std::unique_ptr<redisReply, redis_reply_deleter>;

/// One command: its arguments, each any bytes.
using redis_command = std::vector<std::string_view>;

/// `errc::unavailable` for the error replies of a server that cannot serve now (LOADING, BUSY,
/// READONLY, OOM, MISCONF, MASTERDOWN, NOAUTH, TRYAGAIN, CLUSTERDOWN), `errc::backend_error` for
/// any other; success for a reply that is no error.
[[nodiscard]] error_code reply_error(redisReply const& r) noexcept;
/// True for the error reply of EVALSHA when the script is not in the server's cache.
[[nodiscard]] bool is_noscript(redisReply const& r) noexcept;

class redis_connection {
  public:
    /// Connects to `at`, then (one round trip) AUTH and SELECT as the URL says and SCRIPT LOAD
    /// of each of `scripts` (their SHA1s are then `sha(i)`; empty if the server refused to
    /// load). Errors, with `*why` (never the password): `errc::unavailable` (cannot connect,
    /// timed out, the server is loading its data), `errc::backend_error` (the server refused
    /// AUTH or SELECT: retrying will not help).
    [[nodiscard]] static result<std::unique_ptr<redis_connection>> connect(
        redis_endpoint const& at, std::span<std::string_view const> scripts,
        redis_clock::time_point deadline, std::string* why);

    redis_connection(redis_connection const&) = delete;
    redis_connection& operator=(redis_connection const&) = delete;
    ~redis_connection();

    /// Sends every command in one write and reads their replies in order, all before
    /// `deadline`. Errors: `errc::unavailable` (I/O error, closed, timed out: the connection is
    /// then `broken()`), with `*why` if given.
    [[nodiscard]] result<std::vector<redis_reply>> pipeline(std::span<redis_command const> commands,
                                                            redis_clock::time_point deadline,
                                                            std::string* why = nullptr);
    /// One command, as `pipeline`.
    [[nodiscard]] result<redis_reply> run(redis_command const& command,
                                          redis_clock::time_point deadline,
                                          std::string* why = nullptr);

    /// The SHA1 of the `i`th script given to `connect`; empty if it was not loaded.
    [[nodiscard]] std::string_view sha(std::size_t i) const noexcept {
        return i < shas_.size() ? std::string_view{shas_[i]} : std::string_view{};
    }
    /// A connection that failed (I/O, protocol, timeout) is never used again.
    [[nodiscard]] bool broken() const noexcept { return broken_; }
    /// For an idle connection: false if the server has closed it meanwhile (it restarted, or
    /// dropped idle clients) or sent something unasked. One non-blocking peek.
    [[nodiscard]] bool still_open() const noexcept;

  private:
    explicit redis_connection(redisContext* c) noexcept : c_(c) {}

    redisContext* c_;
    bool broken_ = false;
    std::vector<std::string> shas_;
};

}  // namespace warden::store
