#pragma once
// The `warden` command line: CLI11 parsing, then the configuration as wardend resolves it.
#include "app/config/parse_config.hpp"

namespace warden::app::cli {

/// As `parse_command_line`, with error texts that never repeat an argument the user did not
/// mean as an option name: arguments left over (an unknown option, a stray value that may be a
/// password typed on the command line) are named only by their option names, and a word where a
/// command was expected is reported as an unknown command. The help of the selected subcommand
/// is shown for `--help`; `--version` (`add_version_flag`) needs no command.
[[nodiscard]] parse_outcome parse_arguments(CLI::App& app, config_options const& options, int argc,
                                            char const* const* argv, environment const& env);

}  // namespace warden::app::cli
