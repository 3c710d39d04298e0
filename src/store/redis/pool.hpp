#pragma once
// A bounded pool of Redis connections, each lent to one caller at a time. Connections are made
// lazily; one that failed is dropped when given back and a new one is made on a later call, so the
// pool reconnects by itself after an outage. An idle connection that the server closed meanwhile
// (a restart) is noticed before it is lent and replaced.
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>

#include "store/redis/connection.hpp"
#include "store/redis/redis_url.hpp"

namespace warden::store {

class redis_pool {
  public:
    /// At most `max_connections` (at least 1) connections to `at`; each new one loads `scripts`.
    redis_pool(redis_endpoint at, std::size_t max_connections,
               std::span<std::string_view const> scripts);
    redis_pool(redis_pool const&) = delete;
    redis_pool& operator=(redis_pool const&) = delete;
    ~redis_pool();

    /// A borrowed connection, given back (or dropped, if broken) when the lease ends.
    class lease {
      public:
        lease(lease&& other) noexcept : pool_(other.pool_), c_(std::move(other.c_)) {}
        lease& operator=(lease&&) = delete;
        ~lease() {
            if (c_) pool_->give_back(std::move(c_));
        }
        redis_connection& operator*() const noexcept { return *c_; }
        redis_connection* operator->() const noexcept { return c_.get(); }

      private:
        friend class redis_pool;
        lease(redis_pool* pool, std::unique_ptr<redis_connection> c) noexcept
            : pool_(pool), c_(std::move(c)) {}
        redis_pool* pool_;
        std::unique_ptr<redis_connection> c_;
    };

    /// An idle connection, else a new one if fewer than the maximum are open, else the first one
    /// given back, all before `deadline`. Errors (with `*why` if given): `errc::unavailable` (no
    /// connection free in time, cannot connect), `errc::backend_error` (the server refused
    /// AUTH/SELECT).
    [[nodiscard]] result<lease> acquire(redis_clock::time_point deadline,
                                        std::string* why = nullptr);

    [[nodiscard]] redis_endpoint const& endpoint() const noexcept { return at_; }

  private:
    void give_back(std::unique_ptr<redis_connection> c) noexcept;

    redis_endpoint const at_;
    std::size_t const max_;
    std::span<std::string_view const> const scripts_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<redis_connection>> idle_;
    std::size_t open_ = 0;  // idle, lent out and connecting
};

}  // namespace warden::store
