#pragma once
// A small pool of SQLite connections: each call borrows one for its duration, so concurrent
// readers run in parallel (WAL) and never wait behind one another's statements. The lock only
// guards the idle list, never a query. Writers of this process also queue for a writer turn
// before they borrow: SQLite admits one writer at a time anyway, and a writer that waits here is
// woken the moment the previous one finishes instead of sleep-polling in SQLite's busy handler
// (which remains for writers in other processes), and never holds a connection readers need.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <warden/core/result.hpp>

#include "store/sqlite/connection.hpp"

namespace warden::store {

class sqlite_pool {
  public:
    struct options {
        std::size_t max_connections = 8;  ///< opened lazily, kept open
        int busy_timeout_ms = 5000;       ///< SQLite busy timeout; also the longest wait for a
                                          ///< free connection
    };

    /// Takes `first` (already opened and migrated) as its first idle connection.
    sqlite_pool(std::string path, options opts, std::unique_ptr<sqlite_connection> first);
    sqlite_pool(sqlite_pool const&) = delete;
    sqlite_pool& operator=(sqlite_pool const&) = delete;

    /// A borrowed connection, given back when the lease goes out of scope.
    class lease {
      public:
        lease(lease&& other) noexcept
            : pool_(other.pool_),
              writer_(std::exchange(other.writer_, false)),
              c_(std::move(other.c_)) {}
        lease& operator=(lease&&) = delete;
        ~lease() {
            if (c_) pool_->give_back(std::move(c_), writer_);
        }
        sqlite_connection& operator*() const noexcept { return *c_; }
        sqlite_connection* operator->() const noexcept { return c_.get(); }

      private:
        friend class sqlite_pool;
        lease(sqlite_pool* pool, std::unique_ptr<sqlite_connection> c) noexcept
            : pool_(pool), c_(std::move(c)) {}
        sqlite_pool* pool_;
        bool writer_ = false;  // holds the writer turn, given back with the connection
        std::unique_ptr<sqlite_connection> c_;
    };

    /// An idle connection, a new one if fewer than `max_connections` are open, or the first one
    /// given back within the busy timeout. Errors: `errc::unavailable` (timed out, or opening a
    /// new connection failed).
    [[nodiscard]] result<lease> acquire();
    /// As `acquire`, for a call that writes: first waits (within the busy timeout) until no other
    /// writer of this pool holds a connection. Errors: `errc::unavailable`.
    [[nodiscard]] result<lease> acquire_writer();

  private:
    void give_back(std::unique_ptr<sqlite_connection> c, bool writer) noexcept;
    void end_writer_turn() noexcept;

    std::string const path_;
    options const opts_;
    // A flag and a condition variable rather than a timed mutex: ThreadSanitizer (GCC 12) does
    // not see pthread_mutex_clocklock, which std::timed_mutex uses.
    std::mutex mutex_;
    std::condition_variable idle_available_;
    std::condition_variable writer_turn_free_;
    bool writer_turn_taken_ = false;
    std::vector<std::unique_ptr<sqlite_connection>> idle_;  // reserved: never allocates
    std::size_t open_ = 0;                                  // idle and lent out
    // Bumped when a connection loses its file (an I/O error, a filesystem turned read-only):
    // every connection of an older generation is closed when it is idle, so none keeps reading
    // a file that was replaced (a repaired disk mounted again) while the others reopen it.
    std::uint64_t generation_ = 0;
};

}  // namespace warden::store
