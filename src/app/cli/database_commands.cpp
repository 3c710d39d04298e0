#include "app/cli/database_commands.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/system/errc.hpp>
#include <string_view>
#include <warden/store/backup.hpp>
#include <warden/store/errc.hpp>

#include "app/cli/exit_status.hpp"

namespace warden::app::cli {
namespace {

constexpr std::string_view config_footer =
    "Configuration options (--data-dir, --database, ...) and WARDEN_* variables apply as for\n"
    "wardend; they may come before or after the command. See 'warden --help'.";

}  // namespace

database_commands::database_commands(CLI::App& root) {
    group_ = root.add_subcommand("db", "The database as a whole: backup.");
    group_->require_subcommand(1)->fallthrough()->footer(std::string{config_footer});

    backup_ = group_->add_subcommand(
        "backup",
        "Copy the SQLite database (--database) to FILE, consistently, while wardend runs.");
    backup_->fallthrough()->footer(
        "SQLite's online backup API reads one snapshot of the database in small steps;\n"
        "wardend keeps serving and writing meanwhile (WAL). The copy is written to a temporary\n"
        "file beside FILE (mode 0600), checked, synced, and renamed to FILE only when complete.\n"
        "It is a warden database: restore it by stopping wardend and putting it in place of\n"
        "warden.db, or use it directly with --database sqlite:///FILE.\n"
        "Exit status: 0 copied; 1 FILE exists (without --force), FILE is the database itself,\n"
        "the database is PostgreSQL or cannot be read, or FILE cannot be written; 2 bad usage.\n" +
        std::string{config_footer});
    backup_->add_option("file", file_, "Where the copy goes (a new file unless --force).")
        ->required()
        ->type_name("FILE");
    backup_->add_flag("--force", force_, "Replace FILE if it exists.")->disable_flag_override();
}

bool database_commands::selected() const { return group_->parsed(); }

int database_commands::run(config const& settings) const {
    std::string why;
    store::backup_options options;
    options.overwrite = force_;
    auto const copied = store::backup_sqlite(settings.database, file_, &why, options);
    if (!copied) {
        if (copied.error() == boost::system::errc::file_exists) {
            return fail(exit_status::failed, why + " (--force replaces it)");
        }
        // `why` never holds the URL: a PostgreSQL URL may carry a password.
        return fail(exit_status::failed, "backup failed: " + why);
    }
    // Only a sqlite:/// URL gets here: it holds no password.
    note(fmt::format("copied {} to {}", settings.database, file_));
    return code(exit_status::ok);
}

}  // namespace warden::app::cli
