#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/schema.hpp"

namespace warden::store {

result<std::shared_ptr<sqlite_store>> sqlite_store::open(std::string const& path,
                                                          sqlite_pool::options opts,
                                                          std::string* why) {
    auto first = sqlite_connection::open(path, opts.busy_timeout_ms, why);
    if (!first) return first.error();
    sqlite_connection& c = **first;
    {
        // WAL: readers neither block the writer nor each other. The mode is kept in the file;
        // switching needs the directory writable (for the -wal and -shm files).
        auto mode = c.prepare("PRAGMA journal_mode = WAL");
        if (!mode) return mode.error();
        auto row = mode->step();
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
    }
    if (auto r = migrate(c, sqlite_migrations(), why); !r) return r.error();
    return std::make_shared<sqlite_store>(path, opts, std::move(*first));
}

result<void> sqlite_store::ping() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = (*c)->query(sql::ping);
    if (!q) return q.error();
    auto row = (*q)->step();  // reads the database header from the file
    if (!row) return row.error();
    return {};
}

}  // namespace warden::store
