#pragma once
// A small RAII layer over libpq: a connection, a result, and statements run by name with every
// value bound as a parameter (never formatted into SQL). Each connection prepares each statement
// of queries.hpp once, on first use.
#include <bitset>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>

#include "store/postgres/queries.hpp"

namespace warden::store {

/// Raw bytes bound as `bytea` (binary format), e.g. a refresh token's hash.
struct pg_bytes {
    std::string_view bytes;
};

/// One statement's result, freed on destruction.
class pg_result {
  public:
    explicit pg_result(PGresult* r) noexcept : r_(r) {}
    [[nodiscard]] int rows() const noexcept { return PQntuples(r_.get()); }
    [[nodiscard]] bool is_null(int row, int col) const noexcept {
        return PQgetisnull(r_.get(), row, col) != 0;
    }
    [[nodiscard]] std::string_view text(int row, int col) const noexcept {
        return {PQgetvalue(r_.get(), row, col),
                static_cast<std::size_t>(PQgetlength(r_.get(), row, col))};
    }
    [[nodiscard]] std::int64_t int64(int row, int col) const noexcept;
    /// A `bytea` column (text format: `\x` and two hex digits per byte) as its bytes.
    [[nodiscard]] std::string bytes(int row, int col) const;
    /// A boolean column (`t`/`f` in text format).
    [[nodiscard]] bool boolean(int row, int col) const noexcept { return text(row, col) == "t"; }
    /// Rows an INSERT/UPDATE/DELETE touched.
    [[nodiscard]] std::int64_t affected() const noexcept;
    /// Gives up ownership (null for a result that holds none).
    [[nodiscard]] PGresult* release() noexcept { return r_.release(); }

  private:
    struct clear {
        void operator()(PGresult* r) const noexcept { PQclear(r); }
    };
    std::unique_ptr<PGresult, clear> r_;
};

/// Parameters of one statement, in text format except `pg_bytes`. Unset optionals are NULL.
class pg_params {
  public:
    void add(std::int64_t v);
    void add(bool v) { add_text(v ? "t" : "f"); }
    void add(std::string_view v) { add_text(v); }
    void add(std::string const& v) { add_text(v); }
    void add(char const* v) { add_text(v); }
    void add(pg_bytes v);
    template <class T>
    void add(std::optional<T> const& v) {
        if (v) {
            add(*v);
        } else {
            values_.push_back(std::nullopt);
            formats_.push_back(0);
        }
    }

    /// Pointers into this object: valid while it lives and is not changed.
    [[nodiscard]] std::vector<char const*> values() const;
    [[nodiscard]] std::vector<int> lengths() const;
    [[nodiscard]] std::vector<int> const& formats() const noexcept { return formats_; }
    [[nodiscard]] int size() const noexcept { return static_cast<int>(values_.size()); }

  private:
    void add_text(std::string_view v);
    std::vector<std::optional<std::string>> values_;
    std::vector<int> formats_;
};

class pg_connection {
  public:
    /// Connects to `conninfo` (a libpq URI or key=value string). Errors: `errc::unavailable`
    /// with libpq's message in `*why` (it never contains the password).
    [[nodiscard]] static result<std::unique_ptr<pg_connection>> connect(std::string const& conninfo,
                                                                        std::string* why);
    pg_connection(pg_connection const&) = delete;
    pg_connection& operator=(pg_connection const&) = delete;
    ~pg_connection();

    /// Runs statement `q` with `params` (prepared on first use). Errors: see `error_of`.
    [[nodiscard]] result<pg_result> run(sql_pg q, pg_params const& params);
    /// Runs a statement without parameters or preparation (migrations, BEGIN/COMMIT).
    [[nodiscard]] result<pg_result> exec(char const* text);

    /// The longest wait for the server's reply to one statement (0: no limit). A server that
    /// does not answer in time (frozen, cut off) costs the connection: it is abandoned
    /// (`usable()` turns false, the pool drops it) and the call fails with `errc::unavailable`.
    /// Returns the previous value.
    std::chrono::milliseconds set_reply_timeout(std::chrono::milliseconds t) noexcept {
        return std::exchange(reply_timeout_, t);
    }

    /// On a connection that ran LISTEN: waits until a notification arrives or `timeout` passes,
    /// and consumes every notification received. True if one arrived. Errors:
    /// `errc::unavailable` (the connection is lost).
    [[nodiscard]] result<bool> await_notification(std::chrono::milliseconds timeout);

    /// False once the connection to the server is lost: the pool then drops it.
    [[nodiscard]] bool usable() const noexcept;
    /// As `usable`, after reading what the server sent meanwhile (without blocking): an idle
    /// connection that the server closed (a restart) is found dead before a statement fails on it.
    [[nodiscard]] bool alive() noexcept;
    /// The SQLSTATE and message of the last failed statement.
    [[nodiscard]] std::string_view last_state() const noexcept { return last_state_; }
    [[nodiscard]] std::string_view last_message() const noexcept { return last_message_; }

  private:
    explicit pg_connection(PGconn* c) noexcept : c_(c) {}
    result<pg_result> checked(PGresult* r);
    /// After a PQsend*: flushes the statement and collects its result(s) within the reply
    /// timeout, without blocking past it (the socket is in non-blocking mode).
    result<pg_result> await_reply(int sent);
    /// Waits for `events` on the socket until `deadline`; false when it passed.
    bool wait_for(short events, std::chrono::steady_clock::time_point deadline) const;

    PGconn* c_;
    std::chrono::milliseconds reply_timeout_{0};
    bool abandoned_ = false;
    std::bitset<sql_pg_count> prepared_;
    std::string last_state_;
    std::string last_message_;
};

/// Binds `args` in order and runs `q`.
template <class... Args>
[[nodiscard]] result<pg_result> run(pg_connection& c, sql_pg q, Args const&... args) {
    pg_params p;
    (p.add(args), ...);
    return c.run(q, p);
}

/// As `run` for a statement that must yield a row: `errc::not_found` when it yields none.
template <class... Args>
[[nodiscard]] result<pg_result> first_row(pg_connection& c, sql_pg q, Args const&... args) {
    auto r = run(c, q, args...);
    if (r && r->rows() == 0) return errc::not_found;
    return r;
}

/// BEGIN ... COMMIT; rolled back on destruction unless committed.
class pg_transaction {
  public:
    /// Read committed; row locks (`FOR UPDATE`) and conditional writes make the use cases safe.
    [[nodiscard]] static result<pg_transaction> begin(pg_connection& c);
    /// One snapshot for several reads (`list_users`).
    [[nodiscard]] static result<pg_transaction> begin_snapshot(pg_connection& c);
    pg_transaction(pg_transaction&& other) noexcept : c_(std::exchange(other.c_, nullptr)) {}
    pg_transaction& operator=(pg_transaction&&) = delete;
    ~pg_transaction();
    /// Errors: as the statement's; `errc::unavailable` when the outcome is unknown (connection
    /// lost during COMMIT): the caller acknowledges nothing.
    [[nodiscard]] result<void> commit();

  private:
    explicit pg_transaction(pg_connection* c) noexcept : c_(c) {}
    pg_connection* c_;
};

}  // namespace warden::store
