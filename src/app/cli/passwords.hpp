#pragma once
// `warden hash` and `warden verify`: the configured password context from the command line,
// passwords read from standard input only (SPEC §5).
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace warden::app::cli {

class password_commands {
  public:
    /// Adds `hash` and `verify` to `root`. Binds its members to options: neither copied nor moved.
    explicit password_commands(CLI::App& root);
    password_commands(password_commands const&) = delete;
    password_commands& operator=(password_commands const&) = delete;
    password_commands(password_commands&&) = delete;
    password_commands& operator=(password_commands&&) = delete;
    ~password_commands() = default;

    /// Whether the command line chose `hash` or `verify`.
    [[nodiscard]] bool selected() const;

    /// Runs the chosen command; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    [[nodiscard]] int hash(config const& settings) const;
    [[nodiscard]] int verify(config const& settings) const;

    CLI::App* hash_ = nullptr;
    CLI::App* verify_ = nullptr;
    bool password_stdin_ = false;
    std::string stored_hash_;
};

}  // namespace warden::app::cli
