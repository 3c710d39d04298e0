#include "app/cli/import.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/system/errc.hpp>

#include "app/cli/csv_source.hpp"
#include "app/cli/exit_status.hpp"
#include "app/cli/import_rows.hpp"
#include "app/cli/output.hpp"
#include "app/cli/run_sync.hpp"
#include "app/cli/service_access.hpp"
#include "app/cli/sqlite_source.hpp"

namespace warden::app::cli {

import_command::import_command(CLI::App& root) {
    command_ = root.add_subcommand(
        "import", "Import users with their existing password hashes (CSV or SQLite).");
    command_->fallthrough()->footer(
        "Hashes (argon2id/argon2i, bcrypt, passlib bcrypt_sha256 and pbkdf2_sha256) are kept as\n"
        "they are and upgraded at each user's next login. All or nothing: every row is checked\n"
        "first (email, duplicates in the file and in the store, hash, scopes, full_name,\n"
        "is_active); if any is refused, each problem is printed with its line and nothing is\n"
        "imported (exit 1). Prints each imported user as one JSON line.\n"
        "CSV: RFC 4180 (quoted fields may hold commas, line breaks and doubled quotes; CRLF or\n"
        "LF). The header row names the columns, in any order: email and hash, optionally\n"
        "scopes (space- or comma-separated), full_name, is_active (true/false, 1/0, yes/no;\n"
        "empty: true). Configuration options apply as for wardend; see 'warden --help'.");
    csv_option_ = command_->add_option("--csv", csv_,
                                       "Read the users from a CSV file (- for standard input).");
    csv_option_->type_name("FILE");
    sqlite_option_ = command_->add_option(
        "--sqlite", sqlite_,
        "Read the users from a table of a SQLite database (opened read-only).");
    sqlite_option_->type_name("FILE");
    csv_option_->excludes(sqlite_option_);
    sqlite_option_->excludes(csv_option_);
    auto const column = [&](char const* name, std::string& target, char const* help) {
        command_->add_option(name, target, help)->type_name("NAME")->needs(sqlite_option_);
    };
    column("--table", table_, "With --sqlite: the table of users.");
    column("--email-column", email_column_, "With --sqlite: the column holding the email.");
    column("--hash-column", hash_column_, "With --sqlite: the column holding the password hash.");
    column("--full-name-column", full_name_column_,
           "With --sqlite: optional column of full names.");
    column("--scopes-column", scopes_column_, "With --sqlite: optional column of scopes.");
    column("--is-active-column", is_active_column_, "With --sqlite: optional column of is_active.");
    command_
        ->add_option("--max-rows", max_rows_,
                     "Refuse the import (nothing imported) when the source has more rows.")
        ->capture_default_str()
        ->type_name("N")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
    command_->add_flag("--dry-run", dry_run_, "Check every row, import nothing.")
        ->disable_flag_override();
}

bool import_command::selected() const { return command_->parsed(); }

int import_command::run(config const& settings) const {
    std::string why;
    result<std::vector<import_row>> rows = std::vector<import_row>{};
    if (csv_option_->count() > 0) {
        rows = read_csv_rows(csv_, max_rows_, &why);
    } else if (sqlite_option_->count() > 0) {
        if (table_.empty() || email_column_.empty() || hash_column_.empty()) {
            return fail(exit_status::bad_usage,
                        "--sqlite needs --table, --email-column and --hash-column");
        }
        for (auto const* name : {&table_, &email_column_, &hash_column_, &full_name_column_,
                                 &scopes_column_, &is_active_column_}) {
            if (!name->empty() && !is_plain_identifier(*name)) {
                return fail(exit_status::bad_usage,
                            "--table and the --*-column names must be plain SQL identifiers "
                            "(letters, digits and _, not starting with a digit)");
            }
        }
        rows = read_sqlite_rows(sqlite_,
                                {table_, email_column_, hash_column_, full_name_column_,
                                 scopes_column_, is_active_column_},
                                max_rows_, &why);
    } else {
        return fail(exit_status::bad_usage,
                    "import needs --csv FILE or --sqlite FILE; see 'warden import --help'");
    }
    if (!rows) {
        return fail(rows.error() == boost::system::errc::io_error ? exit_status::bad_usage
                                                                  : exit_status::failed,
                    why + "; nothing imported");
    }
    if (rows->empty()) {
        note("no users to import");
        return code(exit_status::ok);
    }

    auto const svc = open_services(settings);
    if (!svc) return code(exit_status::failed);
    auto const& hashing = svc->hashes->hashing_context();
    import_problems problems;
    auto const checked = run_sync(
        svc->db->run([&]() { return check_rows(*rows, hashing, svc->db->users(), problems); }));
    if (!checked) {
        for (auto const& problem : problems) fail(exit_status::failed, problem);
        if (problems.empty())
            return fail(exit_status::failed, "cannot check the rows: " + checked.error().message());
        return fail(exit_status::failed,
                    fmt::format("nothing imported: fix the rows above ({} read)", rows->size()));
    }
    if (dry_run_) {
        note(fmt::format("dry run: all {} users can be imported; nothing was written",
                         checked->size()));
        return code(exit_status::ok);
    }
    auto const now = svc->tokens->now();
    auto const created = run_sync(
        svc->db->run([&]() { return insert_all(*checked, *rows, svc->db->users(), now, &why); }));
    if (!created) return fail(exit_status::failed, why);
    for (auto const& user : *created) print_json(user_view(user, hashing));
    note(fmt::format("imported {} users", created->size()));
    return code(exit_status::ok);
}

}  // namespace warden::app::cli
