#include "app/cli/parse_arguments.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/config/values.hpp"

namespace warden::app::cli {
namespace {

std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

/// The deepest selected subcommand ("warden user add").
CLI::App const& selected_command(CLI::App const& app) {
    CLI::App const* at = &app;
    for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands()) {
        at = subs.front();
    }
    return *at;
}

std::string command_path(CLI::App const& app) {
    std::vector<std::string> names;
    for (CLI::App const* at = &selected_command(app); at != nullptr; at = at->get_parent()) {
        names.push_back(at->get_name());
    }
    std::reverse(names.begin(), names.end());
    std::string path;
    for (auto const& n : names) path += (path.empty() ? "" : " ") + n;
    return path;
}

/// The leftover arguments, reported by option name only (`--password=x` as `--password`); other
/// words are counted, never shown: one could be a password typed where it does not belong.
std::string leftover_message(CLI::App const& app, std::vector<std::string> const& extras) {
    auto const& at = selected_command(app);
    bool const wants_command = !at.get_subcommands(std::function<bool(CLI::App const*)>{
                                                       [](CLI::App const*) { return true; }})
                                    .empty();
    if (wants_command && !extras.front().starts_with("-")) {
        // A word where a command name belongs: a command name is not a secret.
        return fmt::format("unknown command {}; see '{} --help'", quote(extras.front()),
                           command_path(app));
    }
    std::vector<std::string> options;
    std::size_t words = 0;
    for (auto const& arg : extras) {
        if (arg.size() > 1 && arg.front() == '-' && arg != "--") {
            options.push_back(arg.substr(0, arg.find('=')));
        } else if (arg != "--") {
            ++words;
        }
    }
    std::string message;
    if (!options.empty()) {
        message = fmt::format("unknown option{} {}", options.size() > 1 ? "s" : "",
                              fmt::join(options, ", "));
    }
    if (words > 0) {
        message += fmt::format("{}{} unexpected argument{} (not shown)",
                               message.empty() ? "" : "; ", words, words > 1 ? "s" : "");
    }
    return fmt::format("{}; see '{} --help'", message, command_path(app));
}

}  // namespace

parse_outcome parse_arguments(CLI::App& app, config_options const& options, int argc,
                              char const* const* argv, environment const& env) {
    parse_outcome outcome;
    try {
        app.parse(argc, argv);
    } catch (CLI::CallForAllHelp const&) {
        outcome.next = parse_outcome::action::show_help;
        outcome.message = app.help("", CLI::AppFormatMode::All);
        return outcome;
    } catch (CLI::CallForHelp const&) {
        outcome.next = parse_outcome::action::show_help;
        outcome.message = app.help();  // delegates to the selected subcommand
        return outcome;
    } catch (CLI::CallForVersion const& e) {
        outcome.next = parse_outcome::action::show_version;
        outcome.message = fmt::format("{}\n", e.what());
        return outcome;
    } catch (CLI::ParseError const& e) {
        outcome.next = parse_outcome::action::fail;
        outcome.error = config_errc::bad_usage;
        auto const extras = app.remaining(true);
        if (!extras.empty()) {
            outcome.message = leftover_message(app, extras);
        } else if (selected_command(app).get_subcommands().empty() &&
                   std::string_view{e.what()} == "A subcommand is required") {
            outcome.message =
                fmt::format("a command is required; see '{} --help'", command_path(app));
        } else {
            outcome.message = one_line(e.what());
        }
        return outcome;
    }
    auto resolved = options.resolve(env, &outcome.message);
    if (!resolved) {
        outcome.next = parse_outcome::action::fail;
        outcome.error = resolved.error();
        return outcome;
    }
    outcome.next = parse_outcome::action::run;
    outcome.settings = std::move(*resolved);
    return outcome;
}

}  // namespace warden::app::cli
