#pragma once
// The PostgreSQL schema as an ordered list of migrations. Table `warden_schema` records the last
// one applied; a session-level advisory lock serializes processes that start at once.
#include <cstdint>
#include <span>
#include <string>

#include <warden/core/result.hpp>

#include "store/postgres/connection.hpp"

namespace warden::store {

struct pg_migration {
    std::int64_t version;  ///< 1, 2, 3, ... in order, never reused
    char const* sql;       ///< DDL run inside the migration's transaction
};

/// The advisory lock key migrations hold: 'ward' in ASCII, as SQLite's application id.
inline constexpr std::int64_t pg_migration_lock = 0x77617264;

/// The transaction-level advisory lock the change feed's triggers take before they append
/// ('wardfeed' in ASCII; migration 2 writes it as the decimal 8602282538794575204): feed-writing
/// transactions then commit in position order.
inline constexpr std::int64_t pg_feed_lock = 0x7761726466656564;

/// The migrations this build knows, in order.
[[nodiscard]] std::span<pg_migration const> pg_migrations() noexcept;

/// Applies the pending `migrations` under the advisory lock, each in its own transaction with the
/// version bump. Errors: `errc::migration_failed` (schema newer than `migrations` know, a
/// database holding another application's `users` table, a migration that fails),
/// `errc::unavailable` (the connection failed). `*why` gets the reason.
[[nodiscard]] result<void> migrate(pg_connection& c, std::span<pg_migration const> migrations,
                                   std::string* why);

}  // namespace warden::store
