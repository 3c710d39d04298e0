#pragma once
// wait_for_changes on PostgreSQL: a connection of its own (never one of the pool's, which each
// call holds only briefly) that has run LISTEN warden_feed, on which the feed's triggers NOTIFY
// at each commit. Made lazily and made again after it is lost.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <warden/core/result.hpp>

#include "store/postgres/connection.hpp"

namespace warden::store {

class pg_feed_listener {
  public:
    explicit pg_feed_listener(std::string conninfo) : conninfo_(std::move(conninfo)) {}

    /// Blocks until a feed-writing transaction commits or `timeout` passes (the first call only
    /// starts listening: commits before it are not heard). Errors: `errc::unavailable` at once
    /// when the server cannot be reached or the connection is lost (it is made again next time).
    [[nodiscard]] result<void> wait(std::chrono::milliseconds timeout);

  private:
    std::string const conninfo_;
    std::mutex mutex_;  // one waiter at a time on the one connection
    std::unique_ptr<pg_connection> c_;
};

}  // namespace warden::store
