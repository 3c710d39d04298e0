#include "store/postgres/connection.hpp"

#include <charconv>
#include <limits>

namespace warden::store {
namespace {

// What a failed statement means for the caller, by SQLSTATE class (PostgreSQL Appendix A).
error_code error_of(std::string_view state, std::string_view constraint) noexcept {
    if (state == "23505") {  // unique_violation: the email index is the only one a caller sees
        return constraint == "users_email_ci" ? errc::email_taken : errc::invalid_argument;
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
    // Notices (e.g. "relation already exists, skipping") would go to stderr.
    PQsetNoticeProcessor(
        c, [](void*, char const*) {}, nullptr);
    return std::unique_ptr<pg_connection>{new pg_connection{c}};
}

pg_connection::~pg_connection() { PQfinish(c_); }

bool pg_connection::usable() const noexcept { return PQstatus(c_) == CONNECTION_OK; }

bool pg_connection::alive() noexcept {
    // libpq's socket is non-blocking for reads: this takes what has arrived, e.g. the server's
    // "terminating connection" and the end of the stream.
    return PQconsumeInput(c_) == 1 && usable();
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
        auto prepared = checked(PQprepare(c_, name.c_str(), text.c_str(), 0, nullptr));
        if (!prepared) return prepared.error();
        prepared_.set(i);
    }
    return checked(PQexecPrepared(c_, name.c_str(), params.size(), values.data(), lengths.data(),
                                  params.formats().data(), 0));
}

result<pg_result> pg_connection::exec(char const* text) { return checked(PQexec(c_, text)); }

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
