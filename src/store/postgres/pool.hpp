#pragma once
// A bounded pool of PostgreSQL connections: each call borrows one for its duration. Connections
// open lazily; one that lost its server is dropped when given back (with every idle one, which
// lost it too), so the next call connects again: the pool recovers by itself when the server
// returns. The lock only guards the idle list, never a query or a connect.
//
// A circuit breaker keeps a server that does not answer from costing every caller its timeout in
// turn: once a connection is lost or a connect fails, callers are refused at once (`unavailable`)
// for `retry_interval`; then one caller at a time probes the server, and the first connection
// that comes back usable closes the breaker.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <warden/core/result.hpp>

#include "store/postgres/connection.hpp"

namespace warden::store {

class pg_pool {
  public:
    struct options {
        std::size_t max_connections = 8;
        /// The longest wait for a free connection before `errc::unavailable`.
        std::chrono::milliseconds wait_timeout{2'000};
        /// The longest wait for the server's reply to one statement (`set_reply_timeout`): a
        /// frozen or cut-off server is a 503 within this, never a hang.
        std::chrono::milliseconds reply_timeout{2'000};
        /// How long the breaker refuses callers after a failure before the next probe.
        std::chrono::milliseconds retry_interval{250};
    };

    /// Takes `first` (connected and migrated) as its first idle connection.
    pg_pool(std::string conninfo, options opts, std::unique_ptr<pg_connection> first);
    pg_pool(pg_pool const&) = delete;
    pg_pool& operator=(pg_pool const&) = delete;

    class lease {
      public:
        lease(lease&& other) noexcept : pool_(other.pool_), c_(std::move(other.c_)) {}
        lease& operator=(lease&&) = delete;
        ~lease() {
            if (c_) pool_->give_back(std::move(c_));
        }
        pg_connection& operator*() const noexcept { return *c_; }
        pg_connection* operator->() const noexcept { return c_.get(); }

      private:
        friend class pg_pool;
        lease(pg_pool* pool, std::unique_ptr<pg_connection> c) noexcept
            : pool_(pool), c_(std::move(c)) {}
        pg_pool* pool_;
        std::unique_ptr<pg_connection> c_;
    };

    /// An idle connection, a new one if fewer than `max_connections` are open, or the first one
    /// given back within the wait timeout. Errors: `errc::unavailable` (timed out, or the server
    /// cannot be reached).
    [[nodiscard]] result<lease> acquire();

  private:
    void give_back(std::unique_ptr<pg_connection> c) noexcept;
    /// Under the lock: the breaker refuses this caller (down, and a probe is out or due later).
    [[nodiscard]] bool refused_while_down() const noexcept;
    /// Under the lock: the server failed a caller; refuse the next ones for a while.
    void trip() noexcept;

    std::string const conninfo_;
    options const opts_;
    std::mutex mutex_;
    std::condition_variable idle_available_;
    std::vector<std::unique_ptr<pg_connection>> idle_;
    std::size_t open_ = 0;  // idle and lent out
    bool down_ = false;     // the breaker is open
    bool probing_ = false;  // a caller is finding out whether the server is back
    std::chrono::steady_clock::time_point down_since_;
};

}  // namespace warden::store
