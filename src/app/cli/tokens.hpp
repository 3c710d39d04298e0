#pragma once
// `warden token issue|decode|verify`: access tokens with the service's key (SPEC §5).
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace warden::app::cli {

class token_commands {
  public:
    /// Adds `token` and its subcommands to `root`. Binds its members to options: neither copied
    /// nor moved.
    explicit token_commands(CLI::App& root);
    token_commands(token_commands const&) = delete;
    token_commands& operator=(token_commands const&) = delete;
    token_commands(token_commands&&) = delete;
    token_commands& operator=(token_commands&&) = delete;
    ~token_commands() = default;

    /// Whether the command line chose `token ...`.
    [[nodiscard]] bool selected() const;

    /// Runs the chosen subcommand; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    [[nodiscard]] int issue(config const& settings) const;
    [[nodiscard]] int decode() const;
    [[nodiscard]] int verify(config const& settings) const;

    CLI::App* group_ = nullptr;
    CLI::App* issue_ = nullptr;
    CLI::App* decode_ = nullptr;
    CLI::App* verify_ = nullptr;
    CLI::Option* scope_option_ = nullptr;

    std::string user_;
    std::string scope_;
    bool json_ = false;
    std::string token_;
};

}  // namespace warden::app::cli
