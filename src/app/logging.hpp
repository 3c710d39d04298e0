#pragma once
// The service's logs (spdlog on stderr): one access line per request and operator messages, as
// text or JSON lines. Never a password, token or secret: the access entry holds none.
#include <memory>

#include <spdlog/logger.h>

#include <warden/http/server.hpp>

#include "app/config/config.hpp"

namespace warden::app {

/// The process logger, writing to stderr at `settings.log_level` in `settings.log_format`.
/// Access lines are buffered per thread without a lock: call `flush()` periodically (wardend:
/// every second) and at exit (destroying the last logger flushes too). Every other message is
/// written at once, after the access lines buffered before it.
[[nodiscard]] std::shared_ptr<spdlog::logger> make_logger(config const& settings);
/// As above, writing to `fd` (tests).
[[nodiscard]] std::shared_ptr<spdlog::logger> make_logger(config const& settings, int fd);

/// An access logger writing one line per request at info level through a copy of `log` named
/// "access" (same sinks, level and pattern): with `make_logger`'s sink, the line goes to the
/// calling thread's buffer, with no lock and no write(2) per request.
[[nodiscard]] http::access_logger make_access_logger(std::shared_ptr<spdlog::logger> log,
                                                     log_format format);

}  // namespace warden::app
