#pragma once
// The SQLite schema as an ordered list of migrations. `PRAGMA user_version` records the last
// one applied; `PRAGMA application_id` marks the file as warden's.
#include <cstdint>
#include <span>
#include <string>

#include <warden/core/result.hpp>

#include "store/sqlite/connection.hpp"

namespace warden::store {

struct sqlite_migration {
    std::int64_t version;  ///< 1, 2, 3, ... in order, never reused
    char const* sql;       ///< DDL run inside the migration's transaction
};

/// 'ward' in ASCII: tells a warden database from any other SQLite file.
inline constexpr std::int32_t sqlite_application_id = 0x77617264;

/// The migrations this build knows, in order.
[[nodiscard]] std::span<sqlite_migration const> sqlite_migrations() noexcept;

/// The schema version this build writes (the last migration's).
[[nodiscard]] std::int64_t sqlite_schema_version() noexcept;

/// Applies the pending `migrations`, each in its own write transaction (so two processes opening
/// the same file never apply one twice). Errors: `errc::migration_failed` (schema newer than
/// `migrations` know, a database that is not warden's, or a migration that fails),
/// `errc::unavailable` (busy, not writable, not a database). `*why` gets the reason.
[[nodiscard]] result<void> migrate(sqlite_connection& c,
                                   std::span<sqlite_migration const> migrations, std::string* why);

}  // namespace warden::store
