#pragma once
// Open-file limit: every connection is a descriptor, and services are often started with a soft
// limit (commonly 1024) far below the hard one. wardend raises its soft limit to what its
// connection limit needs, as nginx's worker_rlimit_nofile or Go's runtime do.
#include <cstddef>
#include <optional>
#include <string>

namespace warden::app {

/// Descriptors beyond the connections: listener, database files, log, epoll, timers.
inline constexpr std::size_t descriptor_reserve = 64;

/// Raises RLIMIT_NOFILE's soft limit to `max_connections + descriptor_reserve` (capped at the
/// hard limit). Returns a notice for the operator when the limit stays below that.
[[nodiscard]] std::optional<std::string> raise_descriptor_limit(std::size_t max_connections);

}  // namespace warden::app
