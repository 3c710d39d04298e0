#pragma once
// Reading the configuration: flag > `WARDEN_*` environment variable > TOML file (`--config FILE`)
// > default (SPEC §5). `wardend` calls `parse_config`; the `warden` CLI binds the same options to
// its own CLI11 app with `config_options` and parses with `parse_command_line`.
//
//     int main(int argc, char** argv) {
//         auto parsed = warden::app::parse_config(argc, argv, warden::app::process_environment);
//         if (parsed.next == warden::app::parse_outcome::action::show_help ||
//             parsed.next == warden::app::parse_outcome::action::show_version) {
//             std::fputs(parsed.message.c_str(), stdout);
//             return parsed.exit_code();                               // 0
//         }
//         if (parsed.next == warden::app::parse_outcome::action::fail) {
//             std::fprintf(stderr, "wardend: %s\n", parsed.message.c_str());
//             return parsed.exit_code();                               // 2
//         }
//         warden::app::config settings = std::move(parsed.settings);
//         ...
//     }
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <warden/core/result.hpp>

#include "app/config/config.hpp"
#include "app/config/errc.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace warden::app {

/// Looks up an environment variable by name; nullopt when it is not set. Injected so that tests
/// never touch the process environment.
using environment = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment (`std::getenv`), for main().
[[nodiscard]] std::optional<std::string> process_environment(std::string_view name);

/// An environment holding exactly `variables`, for tests and embedders.
[[nodiscard]] environment fixed_environment(
    std::map<std::string, std::string, std::less<>> variables);

/// The SPEC §5 options and `--config FILE`, added to a CLI11 app. The help of each option names
/// its environment variable and default (never a secret). Holds pointers into `app`: the app must
/// outlive this object, which can be neither copied nor moved. For a CLI with subcommands, add the
/// options to the root app and let the subcommands `fallthrough()`.
class config_options {
  public:
    /// Adds the options to `app`. Throws `CLI::OptionAlreadyAdded` if `app` already has one of
    /// them (a programming error).
    explicit config_options(CLI::App& app);
    config_options(config_options const&) = delete;
    config_options& operator=(config_options const&) = delete;
    config_options(config_options&&) = delete;
    config_options& operator=(config_options&&) = delete;
    ~config_options() = default;

    /// After the app has parsed the command line: takes each setting from its flag, else its
    /// environment variable (an empty variable counts as unset), else the `--config` file, else
    /// the default; validates it; derives `database`, `secret_file` and `signing_key_file` from
    /// the final `data_dir` unless they were set. Errors (`config_errc`): `bad_value`,
    /// `short_secret`, `unreadable_file`, `bad_file`, `unknown_key`, `wrong_type`; `*why` is one
    /// line naming the flag, variable or file:line and key, without the secret.
    [[nodiscard]] result<config> resolve(environment const& env, std::string* why) const;

  private:
    std::vector<CLI::Option*> options_;  // one per setting, in SPEC §5 order
    CLI::Option* config_file_ = nullptr;
};

/// Adds `--version` to `app`: it prints "NAME VERSION" (the app's name, `warden::version`) and
/// exits 0 before the configuration is read, so it needs no other setting and creates nothing.
void add_version_flag(CLI::App& app);

/// What parsing decided for main().
struct parse_outcome {
    enum class action { run, show_help, show_version, fail };
    action next = action::fail;
    config settings;  ///< the configuration to run with, when `next == run`
    /// The help text (`show_help`), "NAME VERSION\n" (`show_version`) or a one-line error (`fail`).
    std::string message;
    error_code error;  ///< why it failed (a `config_errc`), when `next == fail`

    /// The exit status for `show_help` and `show_version` (0) and `fail` (2, bad usage).
    [[nodiscard]] int exit_code() const noexcept { return next == action::fail ? 2 : 0; }
};

/// Parses `argv` (program name first) with `app`, whose options include `options`, then
/// resolves the configuration: `--help` gives `show_help` with the app's help text, the flag of
/// `add_version_flag` gives `show_version` (neither reads the configuration); a CLI11 error
/// (unknown flag, missing or repeated value) gives `fail` with `config_errc::bad_usage`; a bad
/// value gives `fail` with the `resolve` error. Never throws for bad input.
[[nodiscard]] parse_outcome parse_command_line(CLI::App& app, config_options const& options,
                                               int argc, char const* const* argv,
                                               environment const& env);

/// `wardend`'s command line: the options of `config_options` and `--version`, no positional
/// arguments.
[[nodiscard]] parse_outcome parse_config(int argc, char const* const* argv, environment const& env);

}  // namespace warden::app
