#pragma once
// `warden client add|list|delete|rotate-secret`: the OAuth2 clients in the configured store
// (client_credentials grant and token introspection, issue 12). A secret is printed once, when
// made; the store keeps only its SHA-256.
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace warden::app::cli {

class client_commands {
  public:
    /// Adds `client` and its subcommands to `root`. Binds its members to options: neither copied
    /// nor moved.
    explicit client_commands(CLI::App& root);
    client_commands(client_commands const&) = delete;
    client_commands& operator=(client_commands const&) = delete;
    client_commands(client_commands&&) = delete;
    client_commands& operator=(client_commands&&) = delete;
    ~client_commands() = default;

    /// Whether the command line chose `client ...`.
    [[nodiscard]] bool selected() const;

    /// Runs the chosen subcommand; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    CLI::App* group_ = nullptr;
    CLI::App* add_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* delete_ = nullptr;
    CLI::App* rotate_ = nullptr;

    std::string client_id_;
    std::string scopes_;
    bool json_ = false;
};

}  // namespace warden::app::cli
