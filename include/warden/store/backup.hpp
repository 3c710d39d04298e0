#pragma once
// A consistent copy of a SQLite store while it is in use (`warden db backup FILE`).
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::store {

/// How `backup_sqlite` copies; the defaults suit a store that a running wardend writes to.
struct backup_options {
    /// Replace an existing target file (never the source itself).
    bool overwrite = false;
    /// Pages copied per step of SQLite's online backup, and the pause between steps.
    int pages_per_step = 256;
    std::chrono::milliseconds pause{5};
    /// How long a step may keep finding the source locked (another process writing in rollback
    /// journal mode) before the backup gives up.
    std::chrono::milliseconds busy_timeout{30'000};
};

/// Copies the SQLite database of `database_url` (`sqlite:///path`) to `target` with SQLite's
/// online backup API, safe while other connections and processes write to it: in WAL mode (the
/// store's) the copy is one snapshot read in steps, and writers are never blocked; in rollback
/// journal mode the source is locked only during each step and the copy restarts when a writer
/// changed it (the rest is then copied in one step). The copy is written to a temporary file
/// (mode 0600) in the target's directory, checked (`PRAGMA quick_check`), synced and renamed to
/// `target` only when complete, so `target` is either absent, the old file, or a whole copy.
/// Errors: `errc::bad_url` (not a sqlite URL: a PostgreSQL store is copied with pg_dump or
/// `warden db copy`), `boost::system::errc::file_exists` (`target` exists and not `overwrite`),
/// `errc::invalid_argument` (`target` is the source itself), `errc::unavailable` (the source
/// cannot be opened or stays locked, the target cannot be written), `errc::backend_error`
/// (SQLite failed otherwise, or the copy failed its check). `*why`, if given, receives a
/// one-line explanation for the operator (never the URL's password: SQLite URLs have none).
[[nodiscard]] result<void> backup_sqlite(std::string_view database_url,
                                         std::filesystem::path const& target, std::string* why,
                                         backup_options const& options = {});

}  // namespace warden::store
