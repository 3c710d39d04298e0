#include "app/cli/database_commands.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/system/errc.hpp>
#include <cctype>
#include <filesystem>
#include <optional>
#include <string_view>
#include <warden/core/redact_url.hpp>
#include <warden/store/backup.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/store.hpp>

#include "app/cli/exit_status.hpp"
#include "app/data_files.hpp"

namespace warden::app::cli {
namespace {

// The file of a sqlite:/// URL (SQLAlchemy's form: the path is everything after the scheme).
std::optional<std::filesystem::path> sqlite_path(std::string_view url) {
    constexpr std::string_view scheme = "sqlite:///";
    if (url.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(url[i])) != scheme[i]) return std::nullopt;
    }
    return std::filesystem::path{std::string{url.substr(scheme.size())}};
}

constexpr std::string_view config_footer =
    "Configuration options (--data-dir, --database, ...) and WARDEN_* variables apply as for\n"
    "wardend; they may come before or after the command. See 'warden --help'.";

}  // namespace

database_commands::database_commands(CLI::App& root) {
    group_ = root.add_subcommand("db", "The database as a whole: backup, copy.");
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

    copy_ = group_->add_subcommand(
        "copy", "Move a deployment to another database, e.g. from SQLite to PostgreSQL.");
    copy_->fallthrough()->footer(
        "Copies the users (ids, password hashes, scopes, state), the refresh-token families with\n"
        "their tokens, the access-token records, the database's revocation list, the signing\n"
        "keys (still sealed: keep the same --kek-file) and the OAuth2 clients, read from\n"
        "one snapshot of --from and written to --to in one transaction (all or nothing). Both\n"
        "are database URLs (sqlite:///PATH, postgresql://...); --to gets warden's schema if it\n"
        "has none. Login-failure counters are not copied, nor revocations kept in Redis (point\n"
        "the new deployment at the same Redis). Stop wardend first: what it writes after the\n"
        "snapshot is not copied. Users keep their passwords; tokens signed with the same secret\n"
        "or key stay valid.\n"
        "Exit status: 0 copied; 1 --from missing or unreadable, --to not empty (without --force)\n"
        "or not writable; 2 bad usage.\n" +
        std::string{config_footer});
    copy_->add_option("--from", from_, "The database to copy (URL).")->required()->type_name("URL");
    copy_->add_option("--to", to_, "The database to fill (URL).")->required()->type_name("URL");
    copy_->add_flag("--force", force_, "Replace whatever --to holds.")->disable_flag_override();
}

bool database_commands::selected() const { return group_->parsed(); }

int database_commands::run(config const& settings) const {
    return copy_->parsed() ? copy(settings) : backup(settings);
}

int database_commands::copy(config const& settings) const {
    // A SQLite file that does not exist would be created empty: a typo would copy nothing.
    if (auto const path = sqlite_path(from_); path && !std::filesystem::exists(*path)) {
        return fail(exit_status::failed, fmt::format("no database at {}", path->string()));
    }
    std::string why;
    // The database's rows only: revocations kept in Redis stay there.
    store::open_options options;
    options.connect_timeout = settings.connect_timeout;
    auto source = store::open(from_, options, &why);
    if (!source) {
        return fail(exit_status::failed,
                    fmt::format("cannot open --from {}: {}", redact_url(from_), why));
    }
    // A new SQLite --to is created 0600 first, as wardend creates its database: SQLite would
    // create it (and its -wal and -shm) readable by everyone under the usual umask.
    prepare_database_file(to_, note);
    auto target = store::open(to_, options, &why);
    if (!target) {
        return fail(exit_status::failed,
                    fmt::format("cannot open --to {}: {}", redact_url(to_), why));
    }
    auto const empty = target->transfer->empty();
    if (!empty) return fail(exit_status::failed, "cannot read --to: " + empty.error().message());
    if (!*empty && !force_) {
        return fail(
            exit_status::failed,
            fmt::format("{} is not empty; --force replaces what it holds", redact_url(to_)));
    }
    auto const rows = source->transfer->read_all();
    if (!rows) return fail(exit_status::failed, "cannot read --from: " + rows.error().message());
    if (auto const written = target->transfer->write_all(*rows, force_); !written) {
        return fail(exit_status::failed,
                    "cannot write --to (nothing was written): " + written.error().message());
    }
    note(fmt::format(
        "copied {} users, {} sessions, {} revocations, {} signing keys and {} "
        "clients from {} to {}",
        rows->users.size(), rows->families.size(), rows->revoked.size(), rows->signing_keys.size(),
        rows->clients.size(), redact_url(from_), redact_url(to_)));
    return code(exit_status::ok);
}

int database_commands::backup(config const& settings) const {
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
