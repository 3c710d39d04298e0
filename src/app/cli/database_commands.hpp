#pragma once
// `warden db backup FILE [--force]` and `warden db copy --from URL --to URL [--force]`: the
// database as a whole, as opposed to its rows one by one (issue 9).
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace warden::app::cli {

class database_commands {
  public:
    /// Adds `db` and its subcommands to `root` (whose options are the configuration). Holds
    /// pointers into `root` and binds its members to options: neither copied nor moved.
    explicit database_commands(CLI::App& root);
    database_commands(database_commands const&) = delete;
    database_commands& operator=(database_commands const&) = delete;
    database_commands(database_commands&&) = delete;
    database_commands& operator=(database_commands&&) = delete;
    ~database_commands() = default;

    /// Whether the command line chose `db ...`.
    [[nodiscard]] bool selected() const;

    /// Runs the chosen subcommand; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    CLI::App* group_ = nullptr;
    CLI::App* backup_ = nullptr;
    CLI::App* copy_ = nullptr;

    [[nodiscard]] int backup(config const& settings) const;
    [[nodiscard]] int copy(config const& settings) const;

    std::string file_;  ///< FILE of backup
    std::string from_;  ///< --from of copy
    std::string to_;    ///< --to of copy
    bool force_ = false;
};

}  // namespace warden::app::cli
