#pragma once
// Background upkeep of the store: revoked `jti`s are kept only until the token would have
// expired anyway, and spent sessions and old failure counters go too.
#include <chrono>
#include <cstdint>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>

namespace warden::auth {

/// How long the change feed keeps an entry: a process that has not read the feed for half of
/// this starts over from a snapshot (`subject_cache`).
inline constexpr std::chrono::seconds change_feed_retention{3600};

/// Deletes revocations of tokens expired by `now`, sessions expired by `now`, failure counters
/// whose `window` has passed, and change-feed entries older than `change_feed_retention`.
/// Returns the rows removed. Errors: store errors.
[[nodiscard]] boost::asio::awaitable<result<std::int64_t>> purge_expired(
    database& db, std::int64_t now, std::chrono::seconds window);

}  // namespace warden::auth
