#pragma once
// A small RAII wrapper over sqlite3: one connection, its cached prepared statements, statements
// in use (reset on scope exit) and transactions (rolled back unless committed).
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>

#include "store/sqlite/queries.hpp"

namespace warden::store {

/// A SQLite result code as a store error: busy, locked, I/O, disk full, cannot open, read-only
/// and not a database are `unavailable`; constraint violations and oversized values
/// `invalid_argument`; the rest `backend_error`.
[[nodiscard]] error_code sqlite_error(int rc) noexcept;

/// One prepared statement. Binds never fail on their own: the first failed bind is reported by
/// the next `step()`. Text and blobs are bound without copying; they must outlive the stepping.
class sqlite_statement {
  public:
    sqlite_statement() noexcept = default;
    explicit sqlite_statement(sqlite3_stmt* stmt) noexcept : stmt_(stmt) {}
    sqlite_statement(sqlite_statement&& other) noexcept;
    sqlite_statement& operator=(sqlite_statement&& other) noexcept;
    ~sqlite_statement();

    [[nodiscard]] bool prepared() const noexcept { return stmt_ != nullptr; }

    void bind(int index, std::int64_t value) noexcept;
    void bind(int index, std::string_view text) noexcept;
    void bind_blob(int index, std::string_view bytes) noexcept;
    void bind_null(int index) noexcept;

    /// True with a row to read, false when done; the mapped error otherwise (see `rc()`).
    [[nodiscard]] result<bool> step() noexcept;
    /// The extended result code of the last failed bind or step (SQLITE_OK if none).
    [[nodiscard]] int rc() const noexcept { return rc_; }

    [[nodiscard]] bool column_is_null(int index) const noexcept;
    [[nodiscard]] std::int64_t column_int64(int index) const noexcept;
    /// Valid until the next step or reset.
    [[nodiscard]] std::string_view column_text(int index) const noexcept;
    [[nodiscard]] std::string_view column_blob(int index) const noexcept;

    /// Ready for new bindings (resets and clears bindings).
    void reset() noexcept;

  private:
    sqlite3_stmt* stmt_ = nullptr;
    int rc_ = SQLITE_OK;
};

class sqlite_connection;

/// Whether a SQLite result code means the connection's file can no longer be used as it is (an
/// I/O error, a filesystem turned read-only, a file that vanished or is no database): such a
/// connection is closed, and a new one opens the file again (a repaired, remounted disk).
[[nodiscard]] bool sqlite_connection_lost(int rc) noexcept;

/// A cached statement in use: reset when it goes out of scope, so no read snapshot or
/// half-run statement outlives the call that used it. A statement that failed in a way that
/// loses the connection marks its connection broken then.
class sqlite_query {
  public:
    sqlite_query(sqlite_statement& stmt, sqlite_connection& owner) noexcept
        : stmt_(&stmt), owner_(&owner) {}
    sqlite_query(sqlite_query&& other) noexcept : stmt_(other.stmt_), owner_(other.owner_) {
        other.stmt_ = nullptr;
    }
    sqlite_query& operator=(sqlite_query&&) = delete;
    ~sqlite_query();
    sqlite_statement* operator->() const noexcept { return stmt_; }
    sqlite_statement& operator*() const noexcept { return *stmt_; }

  private:
    sqlite_statement* stmt_;
    sqlite_connection* owner_;
};

/// One database connection; used by one thread at a time (the pool sees to it).
class sqlite_connection {
  public:
    /// Opens or creates `path` (a plain file name, never a URI) with foreign keys on,
    /// synchronous=FULL, a busy timeout of `busy_timeout_ms` and defensive mode. A file SQLite
    /// can only read opens `read_only()`. Errors: `errc::unavailable` (cannot open); `*why` gets
    /// SQLite's reason.
    [[nodiscard]] static result<std::unique_ptr<sqlite_connection>> open(std::string const& path,
                                                                         int busy_timeout_ms,
                                                                         std::string* why);
    sqlite_connection(sqlite_connection const&) = delete;
    sqlite_connection& operator=(sqlite_connection const&) = delete;
    ~sqlite_connection();

    /// The cached statement for `q`, prepared on first use.
    [[nodiscard]] result<sqlite_query> query(sql q) noexcept;
    /// A one-off statement (migrations, pragmas).
    [[nodiscard]] result<sqlite_statement> prepare(std::string_view text) noexcept;
    /// Runs constant SQL without parameters (DDL, pragmas); `*why` gets SQLite's message.
    [[nodiscard]] result<void> exec(char const* text, std::string* why = nullptr) noexcept;

    /// Rows changed by the last INSERT/UPDATE/DELETE on this connection.
    [[nodiscard]] std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
    /// SQLite's message for the last error on this connection.
    [[nodiscard]] std::string_view last_message() const noexcept { return sqlite3_errmsg(db_); }

    /// A statement on it failed with `sqlite_connection_lost`: the pool closes it.
    [[nodiscard]] bool broken() const noexcept { return broken_; }
    void mark_broken() noexcept { broken_ = true; }
    /// SQLite opened the file read-only (the file, its directory or its filesystem does not
    /// take writes): every write on this connection fails.
    [[nodiscard]] bool read_only() const noexcept { return read_only_; }
    /// The pool's generation when the connection was opened (see sqlite_pool).
    [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }
    void set_generation(std::uint64_t g) noexcept { generation_ = g; }

  private:
    explicit sqlite_connection(sqlite3* db) noexcept : db_(db) {}

    sqlite3* db_;
    bool broken_ = false;
    bool read_only_ = false;
    std::uint64_t generation_ = 0;
    std::array<sqlite_statement, sql_count> statements_{};  // finalized before db_ is closed
};

/// A transaction: BEGIN IMMEDIATE (writes: takes the write lock at once, so no deadlocked
/// upgrade) or BEGIN (a consistent read snapshot); rolled back on scope exit unless committed.
class sqlite_transaction {
  public:
    [[nodiscard]] static result<sqlite_transaction> begin_write(sqlite_connection& c) noexcept;
    [[nodiscard]] static result<sqlite_transaction> begin_read(sqlite_connection& c) noexcept;
    sqlite_transaction(sqlite_transaction&& other) noexcept : c_(other.c_) { other.c_ = nullptr; }
    sqlite_transaction& operator=(sqlite_transaction&&) = delete;
    ~sqlite_transaction();

    /// Commits (durably for writes); on failure the transaction is rolled back.
    [[nodiscard]] result<void> commit() noexcept;

  private:
    explicit sqlite_transaction(sqlite_connection& c) noexcept : c_(&c) {}
    [[nodiscard]] static result<sqlite_transaction> begin(sqlite_connection& c, sql q) noexcept;

    sqlite_connection* c_;
};

/// Steps a statement that returns no rows (or whose rows are ignored) to completion.
[[nodiscard]] result<void> run_to_end(sqlite_statement& stmt) noexcept;

/// Exact bytes, bound as a blob (token hashes: hex or raw digests alike).
struct sqlite_blob {
    std::string_view bytes;
};

namespace sqlite_binding {
inline void bind_value(sqlite_statement& s, int i, std::int64_t v) noexcept { s.bind(i, v); }
inline void bind_value(sqlite_statement& s, int i, std::string_view v) noexcept { s.bind(i, v); }
inline void bind_value(sqlite_statement& s, int i, sqlite_blob v) noexcept {
    s.bind_blob(i, v.bytes);
}
inline void bind_value(sqlite_statement& s, int i, std::nullopt_t) noexcept { s.bind_null(i); }
template <class T>
void bind_value(sqlite_statement& s, int i, std::optional<T> const& v) noexcept {
    if (v) {
        bind_value(s, i, *v);
    } else {
        s.bind_null(i);
    }
}
}  // namespace sqlite_binding

/// The statement helper: the cached statement `q` with `args` bound to ?1, ?2, ... in order
/// (integers, text, `sqlite_blob`, `std::optional` of those, or `std::nullopt` for NULL).
/// Bound text must outlive the query.
template <class... Args>
[[nodiscard]] result<sqlite_query> bound(sqlite_connection& c, sql q,
                                         Args const&... args) noexcept {
    auto query = c.query(q);
    if (!query) return query.error();
    int index = 0;
    (sqlite_binding::bind_value(**query, ++index, args), ...);
    return query;
}

/// `bound`, stepped to its first row (read the columns from the returned query);
/// `errc::not_found` when there is none.
template <class... Args>
[[nodiscard]] result<sqlite_query> first_row(sqlite_connection& c, sql q,
                                             Args const&... args) noexcept {
    auto query = bound(c, q, args...);
    if (!query) return query.error();
    auto row = (*query)->step();
    if (!row) return row.error();
    if (!*row) return errc::not_found;
    return query;
}

/// `bound`, stepped to completion (a write, or a statement whose rows are ignored).
template <class... Args>
[[nodiscard]] result<void> execute(sqlite_connection& c, sql q, Args const&... args) noexcept {
    auto query = bound(c, q, args...);
    if (!query) return query.error();
    return run_to_end(**query);
}

}  // namespace warden::store
