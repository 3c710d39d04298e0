#pragma once
// Importing users with their existing password hashes (passlib/pwdlib tables migrate as they
// are, SPEC §5). All or nothing: every row is checked first; rows are inserted only when all
// pass, and if an insert still fails, the users this run created are deleted again.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>
#include <warden/auth/database.hpp>
#include <warden/core/result.hpp>
#include <warden/password/context.hpp>
#include <warden/store/records.hpp>

namespace warden::app::cli {

/// One user to import, as text from a CSV file or a table. Optional columns absent: nullopt.
struct import_row {
    std::string where;  ///< for messages: "users.csv:3" or "table users, row 3"
    std::string email;
    std::string hash;
    std::optional<std::string> scopes;     ///< space- or comma-separated; empty: none
    std::optional<std::string> full_name;  ///< as `auth::check_full_name` allows
    std::optional<std::string> is_active;  ///< true/false, 1/0, yes/no; empty: true
};

/// The problems found, one line each ("users.csv:3: invalid email ..."), never quoting a hash.
using import_problems = std::vector<std::string>;

/// Checks every row (email syntax, no duplicates in the rows or in the store, the hash is one
/// `hashing` accepts and can verify, scopes, full name, is_active) and converts them. Blocking
/// (runs store lookups): call it on the store's pool. Returns the users, or the problems (at
/// most `max_problems`, then one line saying how many more).
[[nodiscard]] result<std::vector<store::new_user>> check_rows(std::vector<import_row> const& rows,
                                                              password::context const& hashing,
                                                              store::user_store& users,
                                                              import_problems& problems,
                                                              std::size_t max_problems = 20);

/// Inserts the users in order in one store transaction (`user_store::create_users`): on a
/// failure nothing is inserted, and `*why` names the row. Blocking: call it on the store's pool.
[[nodiscard]] result<std::vector<store::user>> insert_all(std::vector<store::new_user> const& users,
                                                          std::vector<import_row> const& rows,
                                                          store::user_store& store,
                                                          std::int64_t now, std::string* why);

}  // namespace warden::app::cli
