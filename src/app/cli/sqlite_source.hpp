#pragma once
// Reading the users to import from another application's SQLite database (read-only).
#include <cstddef>
#include <string>
#include <vector>
#include <warden/core/result.hpp>

#include "app/cli/import_rows.hpp"

namespace warden::app::cli {

/// Which table and columns hold the users; optional columns empty when absent.
struct sqlite_columns {
    std::string table;
    std::string email;
    std::string hash;
    std::string full_name;
    std::string scopes;
    std::string is_active;
};

/// True for a plain SQL identifier: a letter or `_`, then letters, digits or `_` (at most 64).
/// Only such names are ever put into the query (and quoted there).
[[nodiscard]] bool is_plain_identifier(std::string_view name) noexcept;

/// Reads every row of the table in its natural order, opening `path` read-only (never written).
/// Names must pass `is_plain_identifier` (`errc::invalid_argument` otherwise). Errors (with
/// `*why`): `errc::io_error` when the file cannot be opened; `errc::invalid_argument` when it is
/// not a database, has no such table or column, or yields more than `max_rows` rows (rows are
/// read one at a time, so an endless view stops there). A NULL
/// email or hash is read as empty (the row is refused later), a NULL optional value as absent.
[[nodiscard]] result<std::vector<import_row>> read_sqlite_rows(std::string const& path,
                                                               sqlite_columns const& columns,
                                                               std::size_t max_rows,
                                                               std::string* why);

}  // namespace warden::app::cli
