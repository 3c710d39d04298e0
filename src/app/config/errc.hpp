#pragma once
// Errors raised while reading the configuration. Each comes with a one-line explanation (`why`)
// that names the flag, environment variable or TOML key and never contains the secret.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::app {

enum class config_errc {
    bad_usage =
        1,  ///< the command line itself is malformed (unknown flag, missing value, repeated flag)
    bad_value,        ///< a value that does not parse or is out of range
    short_secret,     ///< a secret key shorter than 32 bytes (SPEC §5)
    unreadable_file,  ///< the `--config` file cannot be read
    bad_file,         ///< the `--config` file is not valid TOML
    unknown_key,      ///< the `--config` file has a key that is not a setting
    wrong_type,       ///< a `--config` key holds a value of the wrong TOML type
};

/// The category of `config_errc`; every code maps onto `condition::invalid_configuration`.
[[nodiscard]] boost::system::error_category const& config_category() noexcept;

[[nodiscard]] inline error_code make_error_code(config_errc e) noexcept {
    return {static_cast<int>(e), config_category()};
}

}  // namespace warden::app

template <>
struct boost::system::is_error_code_enum<warden::app::config_errc> : std::true_type {};
