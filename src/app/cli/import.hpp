#pragma once
// `warden import --csv FILE` or `warden import --sqlite FILE --table T --email-column C
// --hash-column C`: users with the password hashes they have (SPEC §5), all or nothing.
#include <cstddef>
#include <string>

#include "app/config/config.hpp"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace warden::app::cli {

class import_command {
  public:
    /// Adds `import` to `root`. Binds its members to options: neither copied nor moved.
    explicit import_command(CLI::App& root);
    import_command(import_command const&) = delete;
    import_command& operator=(import_command const&) = delete;
    import_command(import_command&&) = delete;
    import_command& operator=(import_command&&) = delete;
    ~import_command() = default;

    /// Whether the command line chose `import`.
    [[nodiscard]] bool selected() const;

    /// Reads, checks and imports the users; returns the exit status (`exit_status`).
    [[nodiscard]] int run(config const& settings) const;

  private:
    CLI::App* command_ = nullptr;
    CLI::Option* csv_option_ = nullptr;
    CLI::Option* sqlite_option_ = nullptr;
    std::string csv_;
    std::string sqlite_;
    std::string table_;
    std::string email_column_;
    std::string hash_column_;
    std::string full_name_column_;
    std::string scopes_column_;
    std::string is_active_column_;
    std::size_t max_rows_ = 1'000'000;
    bool dry_run_ = false;
};

}  // namespace warden::app::cli
