#include "store/sqlite/connection.hpp"

#include <limits>
#include <utility>

namespace warden::store {

error_code sqlite_error(int rc) noexcept {
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_PROTOCOL:
        case SQLITE_NOLFS:
        case SQLITE_PERM:
        case SQLITE_NOTADB:  // the file is something else (or was replaced by something else)
            return errc::unavailable;
        case SQLITE_CONSTRAINT:
        case SQLITE_TOOBIG:
            return errc::invalid_argument;
        default:
            return errc::backend_error;
    }
}

bool sqlite_connection_lost(int rc) noexcept {
    switch (rc & 0xff) {
        case SQLITE_IOERR:
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            return true;
        default:
            return false;
    }
}

sqlite_query::~sqlite_query() {
    if (stmt_ == nullptr) return;
    if (sqlite_connection_lost(stmt_->rc())) owner_->mark_broken();
    stmt_->reset();
}

namespace {

// SQLite takes lengths as int; anything longer than SQLITE_MAX_LENGTH fails with SQLITE_TOOBIG.
int length_of(std::string_view s) noexcept {
    return s.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())
               ? -2  // reported as SQLITE_TOOBIG below
               : static_cast<int>(s.size());
}

}  // namespace

sqlite_statement::sqlite_statement(sqlite_statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), rc_(other.rc_) {}

sqlite_statement& sqlite_statement::operator=(sqlite_statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        rc_ = other.rc_;
    }
    return *this;
}

sqlite_statement::~sqlite_statement() { sqlite3_finalize(stmt_); }

void sqlite_statement::bind(int index, std::int64_t value) noexcept {
    int const rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && rc_ == SQLITE_OK) rc_ = rc;
}

void sqlite_statement::bind(int index, std::string_view text) noexcept {
    int const n = length_of(text);
    // A non-null pointer even for "" so an empty string binds as '' rather than NULL.
    int const rc =
        n < 0 ? SQLITE_TOOBIG
              : sqlite3_bind_text(stmt_, index, text.empty() ? "" : text.data(), n, SQLITE_STATIC);
    if (rc != SQLITE_OK && rc_ == SQLITE_OK) rc_ = rc;
}

void sqlite_statement::bind_blob(int index, std::string_view bytes) noexcept {
    int const n = length_of(bytes);
    int const rc = n < 0 ? SQLITE_TOOBIG
                         : sqlite3_bind_blob(stmt_, index, bytes.empty() ? "" : bytes.data(), n,
                                             SQLITE_STATIC);
    if (rc != SQLITE_OK && rc_ == SQLITE_OK) rc_ = rc;
}

void sqlite_statement::bind_null(int index) noexcept {
    int const rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK && rc_ == SQLITE_OK) rc_ = rc;
}

result<bool> sqlite_statement::step() noexcept {
    // result<bool> is explicit about errors: a bool is constructible from an error_code.
    if (rc_ != SQLITE_OK) return {boost::system::in_place_error, sqlite_error(rc_)};
    int const rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    rc_ = rc;
    return {boost::system::in_place_error, sqlite_error(rc)};
}

bool sqlite_statement::column_is_null(int index) const noexcept {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

std::int64_t sqlite_statement::column_int64(int index) const noexcept {
    return sqlite3_column_int64(stmt_, index);
}

std::string_view sqlite_statement::column_text(int index) const noexcept {
    // Pointer first, then length (SQLite's documented order).
    auto const* p = reinterpret_cast<char const*>(sqlite3_column_text(stmt_, index));
    auto const n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index));
    return p == nullptr ? std::string_view{} : std::string_view{p, n};
}

std::string_view sqlite_statement::column_blob(int index) const noexcept {
    auto const* p = static_cast<char const*>(sqlite3_column_blob(stmt_, index));
    auto const n = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index));
    return p == nullptr ? std::string_view{} : std::string_view{p, n};
}

void sqlite_statement::reset() noexcept {
    if (stmt_ == nullptr) return;
    sqlite3_reset(stmt_);  // returns the last step's error again: already reported
    sqlite3_clear_bindings(stmt_);
    rc_ = SQLITE_OK;
}

result<std::unique_ptr<sqlite_connection>> sqlite_connection::open(std::string const& path,
                                                                   int busy_timeout_ms,
                                                                   std::string* why) {
    sqlite3* db = nullptr;
    // NOMUTEX: the pool hands a connection to one thread at a time. No SQLITE_OPEN_URI: the
    // path is a file name (the caller guards against the global URI setting).
    int const flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    int const rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    if (rc != SQLITE_OK) {
        if (why != nullptr) {
            *why = "cannot open " + path + ": " +
                   (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        }
        sqlite3_close_v2(db);
        return errc::unavailable;
    }
    std::unique_ptr<sqlite_connection> c{new sqlite_connection{db}};
    sqlite3_extended_result_codes(db, 1);
    // SQLite silently opens a write-protected file read-only; every write would then fail.
    c->read_only_ = sqlite3_db_readonly(db, "main") == 1;
    sqlite3_busy_timeout(db, busy_timeout_ms);
    // Hardening: no schema tricks from a crafted file, no writes to the schema by SQL.
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    // Per connection: foreign keys (ON DELETE CASCADE); FULL: a commit is on disk before it
    // returns ("a 201 means committed"), see docs/store.md "Durability".
    std::string detail;
    if (auto r = c->exec("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL", &detail); !r) {
        if (why != nullptr) *why = "cannot use " + path + ": " + detail;
        return r.error();
    }
    return c;
}

sqlite_connection::~sqlite_connection() {
    for (auto& s : statements_) s = sqlite_statement{};
    sqlite3_close_v2(db_);
}

result<sqlite_query> sqlite_connection::query(sql q) noexcept {
    auto const i = static_cast<std::size_t>(q);
    sqlite_statement& s = statements_[i];
    if (!s.prepared()) {
        auto r = prepare(sql_text[i]);
        if (!r) return r.error();
        s = std::move(*r);
    }
    return sqlite_query{s, *this};
}

result<sqlite_statement> sqlite_connection::prepare(std::string_view text) noexcept {
    sqlite3_stmt* stmt = nullptr;
    int const rc = sqlite3_prepare_v3(db_, text.data(), static_cast<int>(text.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(rc);
    return sqlite_statement{stmt};
}

result<void> sqlite_connection::exec(char const* text, std::string* why) noexcept {
    int const rc = sqlite3_exec(db_, text, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return {};
    if (sqlite_connection_lost(rc)) broken_ = true;
    if (why != nullptr) {
        try {
            *why = sqlite3_errmsg(db_);
        } catch (...) {  // out of memory: keep the error code only
        }
    }
    return sqlite_error(rc);
}

result<sqlite_transaction> sqlite_transaction::begin(sqlite_connection& c, sql q) noexcept {
    auto stmt = c.query(q);
    if (!stmt) return stmt.error();
    if (auto r = run_to_end(**stmt); !r) return r.error();
    return sqlite_transaction{c};
}

result<sqlite_transaction> sqlite_transaction::begin_write(sqlite_connection& c) noexcept {
    return begin(c, sql::begin_write);
}

result<sqlite_transaction> sqlite_transaction::begin_read(sqlite_connection& c) noexcept {
    return begin(c, sql::begin_read);
}

result<void> sqlite_transaction::commit() noexcept {
    auto stmt = c_->query(sql::commit);
    if (!stmt) return stmt.error();
    auto r = run_to_end(**stmt);
    if (!r) return r.error();  // still open: the destructor rolls back
    c_ = nullptr;
    return {};
}

sqlite_transaction::~sqlite_transaction() {
    if (c_ == nullptr) return;
    if (auto stmt = c_->query(sql::rollback)) {
        (void)run_to_end(**stmt);
    } else {
        // Preparing ROLLBACK failed (out of memory): fall back so the connection goes back clean.
        (void)c_->exec("ROLLBACK");
    }
}

result<void> run_to_end(sqlite_statement& stmt) noexcept {
    for (;;) {
        auto r = stmt.step();
        if (!r) return r.error();
        if (!*r) return {};
    }
}

}  // namespace warden::store
