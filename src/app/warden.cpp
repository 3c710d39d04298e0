// warden: the admin CLI (SPEC §5) on the same configuration as wardend: users, keys, OAuth2
// clients, tokens, password hashes, imports and database backups. `warden --help` and
// `warden COMMAND --help` document everything; docs/cli.md has examples. Exit status: 0 success,
// 1 a failed check, 2 bad usage.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "app/cli/clients.hpp"
#include "app/cli/database_commands.hpp"
#include "app/cli/exit_status.hpp"
#include "app/cli/import.hpp"
#include "app/cli/keys.hpp"
#include "app/cli/parse_arguments.hpp"
#include "app/cli/passwords.hpp"
#include "app/cli/tokens.hpp"
#include "app/cli/users.hpp"
#include "app/config/parse_config.hpp"

namespace {

using namespace warden;

int run(int argc, char** argv) {
    CLI::App app{"warden: the admin CLI of the warden authentication service.", "warden"};
    app.footer(
        "Configuration: the options above, their WARDEN_* variables and --config FILE, with the\n"
        "precedence of wardend (flag > variable > file > default). They may be given before or\n"
        "after the command: warden --data-dir D user list, or warden user list --data-dir D.\n"
        "Passwords are read from standard input (--password-stdin), never from arguments.\n"
        "Exit status: 0 success, 1 a failed check (not found, taken, mismatch, invalid token,\n"
        "refused import), 2 bad usage. Run 'warden COMMAND --help' for each command.");
    app.get_formatter()->column_width(32);
    app.require_subcommand(1);
    app::add_version_flag(app);
    app::config_options const options{app};
    app::cli::user_commands const users{app};
    app::cli::token_commands const tokens{app};
    app::cli::client_commands const clients{app};
    app::cli::key_commands const keys{app};
    app::cli::password_commands const passwords{app};
    app::cli::import_command const importer{app};
    app::cli::database_commands const databases{app};

    auto parsed = app::cli::parse_arguments(app, options, argc, argv, app::process_environment);
    if (parsed.next == app::parse_outcome::action::show_help ||
        parsed.next == app::parse_outcome::action::show_version) {
        if (!parsed.message.ends_with('\n')) parsed.message += '\n';
        std::fputs(parsed.message.c_str(), stdout);
        return parsed.exit_code();
    }
    if (parsed.next == app::parse_outcome::action::fail) {
        return app::cli::fail(app::cli::exit_status::bad_usage, parsed.message);
    }
    auto& settings = parsed.settings;
    settings.cache_size = 0;  // the CLI serves no guarded request: no cache, no feed follower
    if (users.selected()) return users.run(settings);
    if (tokens.selected()) return tokens.run(settings);
    if (clients.selected()) return clients.run(settings);
    if (keys.selected()) return keys.run(settings);
    if (passwords.selected()) return passwords.run(settings);
    if (databases.selected()) return databases.run(settings);
    return importer.run(settings);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (std::exception const& e) {
        // A bug or out of memory: say so in one line, never with a password (none is in `what`).
        return app::cli::fail(app::cli::exit_status::failed,
                              std::string{"internal error: "} + e.what());
    }
}
