#pragma once
// What the commands need from the configuration: the services wardend runs (store, hash pool,
// account and session services, signing key), or only a password context for `hash`/`verify`.
#include <memory>
#include <string>
#include <warden/core/result.hpp>
#include <warden/password/context.hpp>

#include "app/config/config.hpp"
#include "app/services.hpp"

namespace warden::app::cli {

/// `build_services` as wardend does it (creating the data directory, the database and the
/// secret on first use, with a note on stderr). Null after printing the start-up error.
[[nodiscard]] std::unique_ptr<services> open_services(config const& settings);

/// The password options the configuration describes (scheme, bcrypt rounds, argon2 costs).
[[nodiscard]] password::options password_options(config const& settings);

/// A password context for the configuration. Errors: those of `password::context::create`.
[[nodiscard]] result<password::context> password_context(config const& settings);

}  // namespace warden::app::cli
