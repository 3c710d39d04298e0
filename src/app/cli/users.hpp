#pragma once
// `warden user add|list|show|set-active|set-verified|set-scopes|disable-totp|delete|
// normalize-emails`: the accounts in the configured store, so the first admin can be created
// before anyone can log in (SPEC §5, issue 5).
#include <cstdint>
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace warden::app::cli {

class user_commands {
  public:
    /// Adds `user` and its subcommands to `root` (whose options are the configuration). Holds
    /// pointers into `root` and binds its members to options: neither copied nor moved.
    explicit user_commands(CLI::App& root);
    user_commands(user_commands const&) = delete;
    user_commands& operator=(user_commands const&) = delete;
    user_commands(user_commands&&) = delete;
    user_commands& operator=(user_commands&&) = delete;
    ~user_commands() = default;

    /// Whether the command line chose `user ...`.
    [[nodiscard]] bool selected() const;

    /// Runs the chosen subcommand; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    CLI::App* group_ = nullptr;
    CLI::App* add_ = nullptr;
    CLI::App* list_ = nullptr;
    CLI::App* show_ = nullptr;
    CLI::App* set_active_ = nullptr;
    CLI::App* set_verified_ = nullptr;
    CLI::App* set_scopes_ = nullptr;
    CLI::App* delete_ = nullptr;
    CLI::App* disable_totp_ = nullptr;
    CLI::App* normalize_emails_ = nullptr;
    CLI::Option* scopes_option_ = nullptr;

    std::string email_;
    std::string full_name_;
    std::string scopes_;
    bool inactive_ = false;
    bool verified_ = false;  ///< --verified of add
    bool password_stdin_ = false;
    std::int64_t limit_ = 100;
    std::int64_t offset_ = 0;
    bool table_ = false;
    std::string user_;          ///< ID|EMAIL of show, set-active, set-verified, set-scopes, delete
    std::string active_;        ///< true|false of set-active
    std::string verified_arg_;  ///< true|false of set-verified
};

}  // namespace warden::app::cli
