#pragma once
// A bounded pool of PostgreSQL connections: each call borrows one for its duration. Connections
// open lazily; one that lost its server is dropped when given back (with every idle one, which
// lost it too), so the next call connects again: the pool recovers by itself when the server
// returns. The lock only guards the idle list, never a query or a connect.
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

    std::string const conninfo_;
    options const opts_;
    std::mutex mutex_;
    std::condition_variable idle_available_;
    std::vector<std::unique_ptr<pg_connection>> idle_;
    std::size_t open_ = 0;  // idle and lent out
};

}  // namespace warden::store
