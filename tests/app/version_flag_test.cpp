#include <fmt/format.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>
#include <warden/version.hpp>

#include "app/config/parse_config.hpp"

namespace warden::app {
namespace {

using action = parse_outcome::action;

parse_outcome parse_wardend(std::vector<char const*> argv, environment const& env) {
    argv.insert(argv.begin(), "wardend");
    return parse_config(static_cast<int>(argv.size()), argv.data(), env);
}

std::string expected_line(std::string_view program) {
    std::string line{program};
    line += ' ';
    line += version;
    line += '\n';
    return line;
}

TEST(version_flag, wardend_prints_its_name_and_version_and_exits_0) {
    auto const outcome = parse_wardend({"--version"}, fixed_environment({}));
    EXPECT_EQ(outcome.next, action::show_version);
    EXPECT_EQ(outcome.message, expected_line("wardend"));
    EXPECT_EQ(outcome.exit_code(), 0);
}

TEST(version_flag, is_answered_before_the_configuration_is_read) {
    // A bad value, an unreadable --config file and a bad variable would each fail a run.
    auto const outcome =
        parse_wardend({"--threads", "0", "--config", "/nonexistent/wardend.toml", "--version"},
                      fixed_environment({{"WARDEN_LISTEN", "not an address"}}));
    EXPECT_EQ(outcome.next, action::show_version);
    EXPECT_EQ(outcome.message, expected_line("wardend"));
}

TEST(version_flag, a_cli_that_requires_a_command_answers_it_without_one) {
    CLI::App app{"the admin CLI", "warden"};
    app.require_subcommand(1);
    app.add_subcommand("user", "users");
    add_version_flag(app);
    config_options const options{app};
    std::vector<char const*> argv{"warden", "--version"};
    auto const outcome = parse_command_line(app, options, static_cast<int>(argv.size()),
                                            argv.data(), fixed_environment({}));
    EXPECT_EQ(outcome.next, action::show_version);
    EXPECT_EQ(outcome.message, expected_line("warden"));
    EXPECT_EQ(outcome.exit_code(), 0);
}

TEST(version_flag, is_listed_in_the_help) {
    auto const outcome = parse_wardend({"--help"}, fixed_environment({}));
    EXPECT_EQ(outcome.next, action::show_help);
    EXPECT_NE(outcome.message.find("--version"), std::string::npos) << outcome.message;
}

TEST(version_header, parts_agree_with_the_string) {
    EXPECT_EQ(fmt::format("{}.{}.{}", version_major, version_minor, version_patch), version);
}

}  // namespace
}  // namespace warden::app
