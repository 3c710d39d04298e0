#pragma once
// The change feed (SPEC §4): what a process caching the guard's reads must hear of when another
// process (or the CLI) changes a user or revokes a token. Every use case that changes a user's
// row or revokes an access token appends to it in the same transaction; each process reads it
// from its own cursor. See store.hpp for the calling rules.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

/// One committed change.
struct feed_entry {
    user_id user = 0;             ///< nonzero: the user's row changed or the user was deleted
    std::string jti;              ///< non-empty: this access token was revoked
    std::int64_t expires_at = 0;  ///< with `jti`: when that token expires
};

struct feed_page {
    std::vector<feed_entry> entries;  ///< oldest first
    std::string cursor;               ///< where the next read starts
    bool more = false;                ///< the limit was reached: read again at once
};

class change_feed {
  public:
    virtual ~change_feed() = default;
    /// Where the feed ends now: reading from here returns only changes committed later.
    [[nodiscard]] virtual result<std::string> feed_end() = 0;
    /// At most `limit` changes committed after `cursor` (one from `feed_end` or a page), in
    /// commit order. `errc::invalid_argument` for a cursor this feed did not make.
    [[nodiscard]] virtual result<feed_page> read_feed(std::string_view cursor,
                                                      std::size_t limit) = 0;
    /// Blocks until a change may have been committed, or at most `timeout`. PostgreSQL is woken
    /// by LISTEN/NOTIFY; other backends just wait. An error means only that no notification can
    /// be awaited now (read the feed anyway).
    [[nodiscard]] virtual result<void> wait_for_changes(std::chrono::milliseconds timeout) = 0;
    /// Every revoked access-token jti with `expires_at > now`: the state a cache starts from
    /// (take `feed_end` first, then this, then read the feed from that end).
    [[nodiscard]] virtual result<jti_list> revoked_jtis(std::int64_t now) = 0;
    /// Deletes entries appended before `before` (Unix seconds), always keeping the newest one;
    /// returns the entries removed.
    [[nodiscard]] virtual result<std::int64_t> trim_feed(std::int64_t before) = 0;
};

}  // namespace warden::store
