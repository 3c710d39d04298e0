#pragma once
// The data directory and the SQLite database file are private to the service's user: the
// database holds every password hash. Created 0700 and 0600 (SQLite gives its -wal and -shm
// files the database file's mode); existing ones that others can read are reported.
#include <filesystem>
#include <string_view>

#include "app/services.hpp"

namespace warden::app {

/// Creates `dir` (mode 0700; missing parents with the default mode) unless it exists, and proves
/// it writable with a probe file created `O_EXCL|O_NOFOLLOW` (never through a symlink; a stale
/// probe left by a crash is removed first). Notices an existing directory open to others.
/// Throws `startup_error` when it cannot be created or written.
void prepare_data_dir(std::filesystem::path const& dir, notice_sink const& notice);

/// For a `sqlite:///PATH` URL: creates PATH empty with mode 0600 (`O_EXCL|O_NOFOLLOW`) when it
/// does not exist and its directory does, before SQLite opens it; notices an existing file that
/// group or others can read. Other URLs, and failures the store will report itself, do nothing.
void prepare_database_file(std::string_view database_url, notice_sink const& notice);

/// Notices `path` when group or others can read it ("... chmod 600 it"), naming it as `what`.
void notice_if_readable_by_others(std::filesystem::path const& path, std::string_view what,
                                  notice_sink const& notice);

}  // namespace warden::app
