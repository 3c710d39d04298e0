#pragma once
// The service's logs (spdlog on stderr): one access line per request and operator messages, as
// text or JSON lines. Never a password, token or secret: the access entry holds none.
#include <memory>

#include <spdlog/logger.h>

#include <warden/http/server.hpp>

#include "app/config/config.hpp"

namespace warden::app {

/// The process logger, writing to stderr at `settings.log_level` in `settings.log_format`.
/// Output is buffered: warnings flush at once; call `flush()` periodically and at exit.
[[nodiscard]] std::shared_ptr<spdlog::logger> make_logger(config const& settings);

/// An access logger writing one line per request to `log` at info level.
[[nodiscard]] http::access_logger make_access_logger(std::shared_ptr<spdlog::logger> log,
                                                     log_format format);

}  // namespace warden::app
