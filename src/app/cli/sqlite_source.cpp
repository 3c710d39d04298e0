#include "app/cli/sqlite_source.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <boost/system/errc.hpp>
#include <memory>

namespace warden::app::cli {
namespace {

struct close_db {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct finalize_statement {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};

error_code failure(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
    return make_error_code(boost::system::errc::invalid_argument);
}

std::optional<std::string> column_text(sqlite3_stmt* statement, int index) {
    if (sqlite3_column_type(statement, index) == SQLITE_NULL) return std::nullopt;
    auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(statement, index));
    auto const size = static_cast<std::size_t>(sqlite3_column_bytes(statement, index));
    return std::string{text == nullptr ? "" : text, size};
}

}  // namespace

bool is_plain_identifier(std::string_view name) noexcept {
    if (name.empty() || name.size() > 64) return false;
    auto const letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!letter(name.front())) return false;
    for (char const c : name) {
        if (!letter(c) && !(c >= '0' && c <= '9')) return false;
    }
    return true;
}

result<std::vector<import_row>> read_sqlite_rows(std::string const& path,
                                                 sqlite_columns const& columns,
                                                 std::size_t max_rows, std::string* why) {
    for (auto const* name : {&columns.table, &columns.email, &columns.hash}) {
        if (!is_plain_identifier(*name))
            return failure(why, "table and column names must be plain identifiers");
    }
    for (auto const* name : {&columns.full_name, &columns.scopes, &columns.is_active}) {
        if (!name->empty() && !is_plain_identifier(*name)) {
            return failure(why, "table and column names must be plain identifiers");
        }
    }
    sqlite3* raw = nullptr;
    int const opened = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, close_db> const db{raw};
    if (opened != SQLITE_OK) {
        if (why != nullptr) {
            *why = fmt::format("--sqlite {}: cannot open: {}", path,
                               raw == nullptr ? sqlite3_errstr(opened) : sqlite3_errmsg(raw));
        }
        return make_error_code(boost::system::errc::io_error);
    }
    sqlite3_busy_timeout(db.get(), 5000);
    // Without this, SQLite reads "missing_column" as a string literal when no such column exists.
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
    sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
    // Identifiers were checked above; quoting keeps keywords such as "order" usable.
    std::string sql = fmt::format("SELECT \"{}\", \"{}\"", columns.email, columns.hash);
    for (auto const* name : {&columns.full_name, &columns.scopes, &columns.is_active}) {
        sql += name->empty() ? std::string{", NULL"} : fmt::format(", \"{}\"", *name);
    }
    sql += fmt::format(" FROM \"{}\"", columns.table);
    sqlite3_stmt* raw_statement = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql.c_str(), -1, &raw_statement, nullptr) != SQLITE_OK) {
        return failure(why, fmt::format("--sqlite {}: {}", path, sqlite3_errmsg(db.get())));
    }
    std::unique_ptr<sqlite3_stmt, finalize_statement> const statement{raw_statement};
    std::vector<import_row> rows;
    for (;;) {
        int const step = sqlite3_step(statement.get());
        if (step == SQLITE_DONE) break;
        if (step != SQLITE_ROW)
            return failure(why, fmt::format("--sqlite {}: {}", path, sqlite3_errmsg(db.get())));
        if (rows.size() == max_rows) {
            return failure(
                why, fmt::format("--sqlite {}: table {} has more than {} rows (--max-rows)", path,
                                 columns.table, max_rows));
        }
        import_row row;
        row.where = fmt::format("table {}, row {}", columns.table, rows.size() + 1);
        row.email = column_text(statement.get(), 0).value_or("");
        row.hash = column_text(statement.get(), 1).value_or("");
        if (!columns.full_name.empty()) row.full_name = column_text(statement.get(), 2);
        if (!columns.scopes.empty()) row.scopes = column_text(statement.get(), 3);
        if (!columns.is_active.empty()) row.is_active = column_text(statement.get(), 4);
        rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace warden::app::cli
