#include "store/postgres/connection.hpp"

#include <cerrno>
#include <charconv>
#include <limits>

#include <poll.h>

namespace warden::store {
namespace {

// What a failed statement means for the caller, by SQLSTATE class (PostgreSQL Appendix A).
error_code error_of(std::string_view state, std::string_view constraint) noexcept {
    if (state == "23505") {  // unique_violation: of the indexes a caller can hit, these three
        if (constraint == "users_email_ci") return errc::email_taken;
        if (constraint == "signing_keys_pkey" || constraint == "oauth_clients_pkey") {
            return errc::already_exists;
        }
        return errc::invalid_argument;
    }
    if (state == "23503") return errc::not_found;  // foreign key: the user or family is gone
    if (state.starts_with("22") || state.starts_with("23")) return errc::invalid_argument;
    if (state.starts_with("08") ||  // connection exception
        state.starts_with("53") ||  // insufficient resources (disk full, too many connections)
        state.starts_with("57") ||  // operator intervention (shutdown, statement timeout)
        state.starts_with("40") ||  // deadlock or serialization failure: retry later
        state == "25006" ||         // read-only transaction (a standby)
        state == "55P03") {         // lock not available
        return errc::unavailable;
    }
    return errc::backend_error;
}

std::string_view field(PGresult const* r, int code) noexcept {
    char const* v = r == nullptr ? nullptr : PQresultErrorField(r, code);
    return v == nullptr ? std::string_view{} : std::string_view{v};
}

// libpq's messages span lines (a hint on a tab-indented second line) and end with a newline:
// one line, each run of spaces, tabs and newlines one space.
std::string one_line(char const* message) {
    std::string out;
    for (char const* p = message == nullptr ? "" : message; *p != '\0'; ++p) {
        bool const space = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (!space) {
            out += *p;
        } else if (!out.empty() && out.back() != ' ') {
            out += ' ';
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

std::int64_t pg_result::int64(int row, int col) const noexcept {
    auto const t = text(row, col);
    std::int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

std::string pg_result::bytes(int row, int col) const {
    auto const t = text(row, col);
    std::string out;
    if (!t.starts_with("\\x")) return out;
    out.reserve((t.size() - 2) / 2);
    auto const digit = [](char ch) { return ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10; };
    for (std::size_t i = 2; i + 1 < t.size(); i += 2) {
        out.push_back(static_cast<char>(digit(t[i]) * 16 + digit(t[i + 1])));
    }
    return out;
}

std::int64_t pg_result::affected() const noexcept {
    char const* n = PQcmdTuples(r_.get());
    std::int64_t v = 0;
    if (n != nullptr) std::from_chars(n, n + std::char_traits<char>::length(n), v);
    return v;
}

void pg_params::add(std::int64_t v) {
    char buf[24];
    auto const end = std::to_chars(buf, buf + sizeof buf, v).ptr;
    add_text({buf, static_cast<std::size_t>(end - buf)});
}

void pg_params::add(pg_bytes v) {
    values_.emplace_back(std::string{v.bytes});
    formats_.push_back(1);
}

void pg_params::add_text(std::string_view v) {
    values_.emplace_back(std::string{v});
    formats_.push_back(0);
}

std::vector<char const*> pg_params::values() const {
    std::vector<char const*> out;
    out.reserve(values_.size());
    for (auto const& v : values_) out.push_back(v ? v->c_str() : nullptr);
    return out;
}

std::vector<int> pg_params::lengths() const {
    std::vector<int> out;
    out.reserve(values_.size());
    for (auto const& v : values_) out.push_back(v ? static_cast<int>(v->size()) : 0);
    return out;
}

result<std::unique_ptr<pg_connection>> pg_connection::connect(std::string const& conninfo,
                                                              std::string* why) {
    // Our defaults first: what the URL says overrides them (expand_dbname). A lost server is
    // noticed within seconds, not after the kernel's TCP timeouts.
    char const* const keys[] = {
        "connect_timeout",  "application_name", "keepalives_idle", "keepalives_interval",
        "keepalives_count", "tcp_user_timeout", "dbname",          nullptr};
    char const* const values[] = {"2", "warden", "5", "2", "2", "5000", conninfo.c_str(), nullptr};
    PGconn* c = PQconnectdbParams(keys, values, 1);
    if (c == nullptr) {
        if (why != nullptr) *why = "out of memory";
        return errc::unavailable;
    }
    if (PQstatus(c) != CONNECTION_OK) {
        if (why != nullptr) *why = one_line(PQerrorMessage(c));
        PQfinish(c);
        return errc::unavailable;
    }
    // Statements are sent without blocking and their replies awaited with a deadline.
    if (PQsetnonblocking(c, 1) != 0) {
        if (why != nullptr) *why = one_line(PQerrorMessage(c));
        PQfinish(c);
        return errc::unavailable;
    }
    // Notices (e.g. "relation already exists, skipping") would go to stderr.
    PQsetNoticeProcessor(
        c, [](void*, char const*) {}, nullptr);
    return std::unique_ptr<pg_connection>{new pg_connection{c}};
}

pg_connection::~pg_connection() { PQfinish(c_); }

bool pg_connection::usable() const noexcept { return !abandoned_ && PQstatus(c_) == CONNECTION_OK; }

bool pg_connection::alive() noexcept {
    // libpq's socket is non-blocking for reads: this takes what has arrived, e.g. the server's
    // "terminating connection" and the end of the stream.
    return PQconsumeInput(c_) == 1 && usable();
}

bool pg_connection::wait_for(short events, std::chrono::steady_clock::time_point deadline) const {
    pollfd p{PQsocket(c_), events, 0};
    for (;;) {
        int timeout_ms = -1;
        if (deadline != std::chrono::steady_clock::time_point::max()) {
            auto const left = std::chrono::ceil<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            timeout_ms = static_cast<int>(std::min<std::int64_t>(left.count(), 60'000));
        }
        int const n = ::poll(&p, 1, timeout_ms);
        if (n > 0) return true;
        if (n == 0 && timeout_ms != 60'000) return false;
        if (n < 0 && errno != EINTR) return true;  // libpq reports the socket's error
    }
}

result<pg_result> pg_connection::await_reply(int sent) {
    if (sent == 0) return checked(nullptr);
    auto const deadline = reply_timeout_.count() > 0
                              ? std::chrono::steady_clock::now() + reply_timeout_
                              : std::chrono::steady_clock::time_point::max();
    auto const timed_out = [this] {
        // The statement may still run: this connection cannot be used again.
        abandoned_ = true;
        last_state_.clear();
        last_message_ =
            "no reply from the server within " + std::to_string(reply_timeout_.count()) + " ms";
        return result<pg_result>{boost::system::in_place_error, errc::unavailable};
    };
    for (int flushed = PQflush(c_); flushed != 0; flushed = PQflush(c_)) {
        if (flushed < 0) return checked(nullptr);
        if (!wait_for(POLLOUT | POLLIN, deadline)) return timed_out();
        if (PQconsumeInput(c_) == 0) return checked(nullptr);
    }
    // One result per statement (several for a multi-statement text): the first error wins, else
    // the last result.
    pg_result kept{nullptr};
    bool failed = false;
    for (;;) {
        while (PQisBusy(c_) != 0) {
            if (!wait_for(POLLIN, deadline)) return timed_out();
            if (PQconsumeInput(c_) == 0) return checked(nullptr);  // the connection is gone
        }
        PGresult* r = PQgetResult(c_);
        if (r == nullptr) break;
        auto const status = PQresultStatus(r);
        bool const ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
        if (!failed) {
            kept = pg_result{r};
            failed = !ok;
        } else {
            PQclear(r);
        }
    }
    return checked(kept.release());
}

result<pg_result> pg_connection::checked(PGresult* r) {
    auto const status = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return pg_result{r};
    }
    pg_result owned{r};
    last_state_ = field(r, PG_DIAG_SQLSTATE);
    last_message_ = one_line(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(c_));
    if (!usable() || last_state_.empty()) return errc::unavailable;  // lost on the way
    return error_of(last_state_, field(r, PG_DIAG_CONSTRAINT_NAME));
}

result<pg_result> pg_connection::run(sql_pg q, pg_params const& params) {
    auto const i = static_cast<std::size_t>(q);
    // Text parameters are C strings to libpq: a NUL byte would cut the value short.
    auto const values = params.values();
    auto const lengths = params.lengths();
    for (int p = 0; p < params.size(); ++p) {
        auto const ps = static_cast<std::size_t>(p);
        if (params.formats()[ps] == 0 && values[ps] != nullptr &&
            std::char_traits<char>::length(values[ps]) != static_cast<std::size_t>(lengths[ps])) {
            return errc::invalid_argument;
        }
    }
    // Appended, not "w" + to_string(i): GCC 12 at -O3 reports a bogus -Wrestrict for the latter.
    std::string name = "w";
    name += std::to_string(i);
    if (!prepared_.test(i)) {
        std::string const text{sql_pg_text[i]};
        auto prepared = await_reply(PQsendPrepare(c_, name.c_str(), text.c_str(), 0, nullptr));
        if (!prepared) return prepared.error();
        prepared_.set(i);
    }
    return await_reply(PQsendQueryPrepared(c_, name.c_str(), params.size(), values.data(),
                                           lengths.data(), params.formats().data(), 0));
}

result<bool> pg_connection::await_notification(std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        if (PQconsumeInput(c_) == 0 || !usable()) return errc::unavailable;
        bool arrived = false;
        while (PGnotify* n = PQnotifies(c_)) {
            arrived = true;
            PQfreemem(n);
        }
        if (arrived) return true;
        // Anything else the server sends (a parameter status, a notice) wakes the poll too.
        if (!wait_for(POLLIN, deadline)) return false;
    }
}

result<pg_result> pg_connection::exec(char const* text) {
    return await_reply(PQsendQuery(c_, text));
}

result<pg_transaction> pg_transaction::begin(pg_connection& c) {
    if (auto r = c.exec("BEGIN"); !r) return r.error();
    return pg_transaction{&c};
}

result<pg_transaction> pg_transaction::begin_snapshot(pg_connection& c) {
    if (auto r = c.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !r) return r.error();
    return pg_transaction{&c};
}

pg_transaction::~pg_transaction() {
    if (c_ != nullptr && c_->usable()) (void)c_->exec("ROLLBACK");
}

result<void> pg_transaction::commit() {
    auto r = std::exchange(c_, nullptr)->exec("COMMIT");
    if (!r) return r.error();
    return {};
}

}  // namespace warden::store
