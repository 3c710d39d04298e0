// backup_sqlite: SQLite's online backup API (sqlite3_backup_init/step/finish) into a temporary
// file that is renamed into place only when the copy is complete and checked.
#include <warden/store/backup.hpp>

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/system/errc.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <warden/store/errc.hpp>

#include "store/url.hpp"

namespace warden::store {
namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

struct database_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using database_ptr = std::unique_ptr<sqlite3, database_closer>;

error_code failure(std::string* why, error_code ec, std::string text) {
    if (why != nullptr) *why = std::move(text);
    return ec;
}

// What a SQLite result code means for the operator: a file or lock problem, or anything else.
error_code code_for(int rc) noexcept {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
        case SQLITE_NOTADB:
            return errc::unavailable;
        default:
            return errc::backend_error;
    }
}

std::string message_of(sqlite3* db, int rc) {
    return db != nullptr && sqlite3_errcode(db) != SQLITE_OK ? sqlite3_errmsg(db)
                                                             : sqlite3_errstr(rc);
}

// SQLite is built with URI file names on: a path starting with "file:" would be read as a URI
// (as store::open does it).
std::string as_file_name(std::string path) {
    if (path.starts_with("file:")) path.insert(0, "./");
    return path;
}

result<database_ptr> open_database(std::string const& path, int flags, std::string* why) {
    sqlite3* raw = nullptr;
    int const rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    database_ptr db{raw};
    if (rc != SQLITE_OK) {
        return failure(why, code_for(rc), "cannot open " + path + ": " + message_of(raw, rc));
    }
    sqlite3_extended_result_codes(raw, 1);
    return db;
}

result<void> execute(sqlite3* db, char const* sql, std::string const& what, std::string* why) {
    int const rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return failure(why, code_for(rc), what + ": " + message_of(db, rc));
    return {};
}

// The first column of the first row of a one-row PRAGMA ("wal", "ok", ...).
result<std::string> pragma_text(sqlite3* db, char const* sql, std::string const& what,
                                std::string* why) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> statement{raw, &sqlite3_finalize};
    if (rc == SQLITE_OK) rc = sqlite3_step(raw);
    if (rc != SQLITE_ROW) return failure(why, code_for(rc), what + ": " + message_of(db, rc));
    auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(raw, 0));
    return std::string{text == nullptr ? "" : text};
}

void remove_with_companions(fs::path const& file) noexcept {
    std::error_code ignored;
    for (char const* suffix : {"", "-journal", "-wal", "-shm"}) {
        fs::remove(fs::path{file.string() + suffix}, ignored);
    }
}

// Removes the temporary copy unless it was renamed into place.
class temporary_file {
  public:
    explicit temporary_file(fs::path path) : path_{std::move(path)} {}
    temporary_file(temporary_file const&) = delete;
    temporary_file& operator=(temporary_file const&) = delete;
    ~temporary_file() {
        if (!path_.empty()) remove_with_companions(path_);
    }
    [[nodiscard]] fs::path const& path() const noexcept { return path_; }
    void release() noexcept { path_.clear(); }

  private:
    fs::path path_;
};

// An empty file of mode 0600 beside `target`, created exclusively (no umask, no symlink race).
result<fs::path> create_temporary(fs::path const& target, std::string* why) {
    std::random_device random;
    fs::path const directory = target.has_parent_path() ? target.parent_path() : fs::path{"."};
    for (int attempt = 0; attempt < 100; ++attempt) {
        // Built by appending: GCC 12 at -O3 reports a bogus -Wrestrict for "literal" + string.
        std::string name{"."};
        name += target.filename().string();
        name += ".backup-";
        name += std::to_string(::getpid());
        name += '-';
        name += std::to_string(random());
        fs::path const candidate = directory / name;
        int const fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            bool const moded = ::fchmod(fd, 0600) == 0;
            ::close(fd);
            if (!moded) {
                fs::remove(candidate);
                break;
            }
            return candidate;
        }
        if (errno != EEXIST) {
            return failure(
                why, errc::unavailable,
                "cannot create a file in " + directory.string() + ": " + std::strerror(errno));
        }
    }
    return failure(why, errc::unavailable,
                   "cannot create a temporary file in " + directory.string());
}

// fsync of a file or a directory (the rename is durable once its directory is synced).
bool sync_path(fs::path const& path, bool directory) noexcept {
    int const fd = ::open(path.c_str(), (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
    if (fd < 0) return false;
    bool const ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

// The step loop. In WAL mode the source holds one read transaction (a snapshot) for the whole
// copy: writers go on appending to the WAL, and the copy never restarts. In rollback journal
// mode each step takes and drops the shared lock, so writers commit during the pauses; a commit
// restarts the copy, and after a few restarts the rest is copied in one step.
result<void> copy_pages(sqlite3* source, sqlite3* destination, backup_options const& options,
                        std::string* why) {
    sqlite3_backup* backup = sqlite3_backup_init(destination, "main", source, "main");
    if (backup == nullptr) {
        return failure(why, code_for(sqlite3_errcode(destination)),
                       std::string{"cannot start the backup: "} + sqlite3_errmsg(destination));
    }
    int pages = options.pages_per_step > 0 ? options.pages_per_step : -1;
    int restarts = 0;
    int last_remaining = -1;
    // Not std::optional: GCC 12 at -O1/-O2 warns its time_point "may be used uninitialized".
    bool busy = false;
    clock_type::time_point busy_since{};
    int rc = SQLITE_OK;
    for (;;) {
        rc = sqlite3_backup_step(backup, pages);
        if (rc == SQLITE_DONE) break;
        if (rc == SQLITE_OK) {
            busy = false;
            int const remaining = sqlite3_backup_remaining(backup);
            // A step that left no fewer pages to copy was restarted by a writer's commit.
            if (last_remaining >= 0 && remaining >= last_remaining && ++restarts >= 3) pages = -1;
            last_remaining = remaining;
        } else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            auto const now = clock_type::now();
            if (!busy) busy_since = now;
            busy = true;
            if (now - busy_since > options.busy_timeout) break;
        } else {
            break;
        }
        std::this_thread::sleep_for(options.pause);
    }
    std::string const message = message_of(destination, rc);
    int const finished = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
            return failure(why, errc::unavailable,
                           "the database stayed locked by a writer for longer than " +
                               std::to_string(options.busy_timeout.count()) + " ms");
        }
        return failure(why, code_for(rc), "the backup failed: " + message);
    }
    if (finished != SQLITE_OK) {
        return failure(why, code_for(finished),
                       "the backup failed: " + message_of(destination, finished));
    }
    return {};
}

}  // namespace

result<void> backup_sqlite(std::string_view database_url, fs::path const& target, std::string* why,
                           backup_options const& options) {
    auto url = parse_database_url(database_url, why);
    if (!url) return url.error();
    if (url->kind != database_url::backend::sqlite) {
        return failure(why, errc::bad_url,
                       "backup copies a SQLite store; this store is PostgreSQL: use pg_dump, or "
                       "warden db copy to another database");
    }
    std::string const source_path = as_file_name(url->path);
    if (target.empty()) return failure(why, errc::invalid_argument, "no backup file named");

    std::error_code ec;
    if (!fs::exists(source_path, ec)) {
        return failure(why, errc::unavailable, "no database at " + url->path);
    }
    auto const target_status = fs::status(target, ec);
    if (fs::exists(target_status)) {
        if (fs::equivalent(source_path, target, ec)) {
            return failure(why, errc::invalid_argument,
                           target.string() + " is the database itself; name another file");
        }
        if (fs::is_directory(target_status)) {
            return failure(why, errc::invalid_argument,
                           target.string() + " is a directory; name a file");
        }
        if (!options.overwrite) {
            return failure(why, make_error_code(boost::system::errc::file_exists),
                           target.string() + " exists; choose another name or overwrite it");
        }
    }

    auto source = open_database(source_path, SQLITE_OPEN_READONLY, why);
    if (!source) return source.error();
    sqlite3_busy_timeout(source->get(), static_cast<int>(options.busy_timeout.count()));
    auto const mode =
        pragma_text(source->get(), "PRAGMA journal_mode", "cannot read " + url->path, why);
    if (!mode) return mode.error();
    bool const wal = *mode == "wal";
    if (wal) {
        // One snapshot for the whole copy (see copy_pages).
        auto begun = execute(source->get(), "BEGIN; SELECT count(*) FROM sqlite_schema",
                             "cannot read " + url->path, why);
        if (!begun) return begun.error();
    }

    auto created = create_temporary(target, why);
    if (!created) return created.error();
    temporary_file temporary{std::move(*created)};
    {
        auto destination =
            open_database(as_file_name(temporary.path().string()), SQLITE_OPEN_READWRITE, why);
        if (!destination) return destination.error();
        if (auto copied = copy_pages(source->get(), destination->get(), options, why); !copied) {
            return copied.error();
        }
        if (wal) (void)execute(source->get(), "COMMIT", "", nullptr);
        source->reset();
        auto const check =
            pragma_text(destination->get(), "PRAGMA quick_check", "cannot check the copy", why);
        if (!check) return check.error();
        if (*check != "ok") {
            return failure(why, errc::backend_error, "the copy failed its check: " + *check);
        }
    }  // closed: in WAL mode the copy's -wal and -shm are checkpointed and removed
    if (!sync_path(temporary.path(), false)) {
        return failure(why, errc::unavailable,
                       "cannot sync " + temporary.path().string() + ": " + std::strerror(errno));
    }
    // Companion files left by an older file of that name would be read as part of the copy.
    for (char const* suffix : {"-journal", "-wal", "-shm"}) {
        fs::remove(fs::path{target.string() + suffix}, ec);
    }
    fs::rename(temporary.path(), target, ec);
    if (ec) {
        return failure(why, errc::unavailable,
                       "cannot rename the copy to " + target.string() + ": " + ec.message());
    }
    temporary.release();
    fs::path const directory = target.has_parent_path() ? target.parent_path() : fs::path{"."};
    if (!sync_path(directory, true)) {
        return failure(why, errc::unavailable,
                       "the copy is in place but its directory could not be synced: " +
                           std::string{std::strerror(errno)});
    }
    return {};
}

}  // namespace warden::store
