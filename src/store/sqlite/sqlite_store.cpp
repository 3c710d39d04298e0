#include "store/sqlite/sqlite_store.hpp"

#include <chrono>
#include <thread>

#include <sqlite3.h>

#include "store/sqlite/schema.hpp"

namespace warden::store {

namespace {

// WAL: readers neither block the writer nor each other. The mode is kept in the file; switching
// needs the directory writable (for the -wal and -shm files). Two processes opening a new file at
// once can get SQLITE_BUSY here without SQLite's busy handler being consulted (the switch needs
// an exclusive lock), so a busy switch is retried until the busy timeout.
result<void> use_wal(sqlite_connection& c, std::string const& path, int busy_timeout_ms,
                     std::string* why) {
    auto const deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds{busy_timeout_ms};
    for (;;) {
        auto mode = c.prepare("PRAGMA journal_mode = WAL");
        if (!mode) return mode.error();
        auto row = mode->step();
        if (!row && (mode->rc() & 0xff) == SQLITE_BUSY &&
            std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds{5});
            continue;
        }
        if (!row) {
            if (why != nullptr) *why = "cannot use " + path + ": " + std::string{c.last_message()};
            return row.error();
        }
        if (!*row || mode->column_text(0) != "wal") {
            if (why != nullptr) {
                *why = "cannot switch " + path + " to WAL (journal mode is " +
                       std::string{*row ? mode->column_text(0) : "unknown"} +
                       "): is its directory writable?";
            }
            return errc::unavailable;
        }
        return {};
    }
}

}  // namespace

result<std::shared_ptr<sqlite_store>> sqlite_store::open(
    std::string const& path, sqlite_pool::options opts,
    std::shared_ptr<revocation_store> revocations, std::string* why) {
    auto first = sqlite_connection::open(path, opts.busy_timeout_ms, why);
    if (!first) return first.error();
    sqlite_connection& c = **first;
    if (c.read_only()) {
        if (why != nullptr) *why = "cannot open " + path + " for writing: the file is read-only";
        return errc::unavailable;
    }
    if (auto r = use_wal(c, path, opts.busy_timeout_ms, why); !r) return r.error();
    if (auto r = migrate(c, sqlite_migrations(), why); !r) return r.error();
    return std::make_shared<sqlite_store>(path, opts, std::move(*first), std::move(revocations));
}

result<void> sqlite_store::ping() {
    {
        auto c = pool_.acquire();
        if (!c) return c.error();
        auto q = (*c)->query(sql::ping);
        if (!q) return q.error();
        auto row = (*q)->step();  // reads the database header from the file
        if (!row) return row.error();
    }
    // Ready means a login can commit: a full disk or a filesystem turned read-only fails here
    // as it fails every write, although reads still work.
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    if (auto r = execute(**c, sql::probe_write); !r) return r;
    if (auto r = execute(**c, sql::probe_erase); !r) return r;
    if (auto r = tx->commit(); !r) return r;
    // Revocation checks need the external list too: without it the guard answers 503.
    return external_ != nullptr ? external_->ping() : result<void>{};
}

}  // namespace warden::store
