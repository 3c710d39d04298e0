#pragma once
// `warden key generate|rotate|list|retire`: the signing keys in the configured store (issue 12).
// For the asymmetric algorithms only: HS* signs with the secret file, which has no key set.
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace warden::app::cli {

class key_commands {
  public:
    /// Adds `key` and its subcommands to `root`. Binds its members to options: neither copied
    /// nor moved.
    explicit key_commands(CLI::App& root);
    key_commands(key_commands const&) = delete;
    key_commands& operator=(key_commands const&) = delete;
    key_commands(key_commands&&) = delete;
    key_commands& operator=(key_commands&&) = delete;
    ~key_commands() = default;

    /// Whether the command line chose `key ...`.
    [[nodiscard]] bool selected() const;

    /// Runs the chosen subcommand; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    CLI::App* group_ = nullptr;
    CLI::App* generate_ = nullptr;
    CLI::App* rotate_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* retire_ = nullptr;
    CLI::Option* generate_algorithm_ = nullptr;
    CLI::Option* rotate_algorithm_ = nullptr;

    std::string algorithm_;
    bool json_ = false;
    std::string kid_;
};

}  // namespace warden::app::cli
