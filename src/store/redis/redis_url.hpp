#pragma once
// Redis URLs: `redis://[[user]:password@]host[:port][/N]` (N: the database index, default 0;
// port default 6379) and `unix://[[user]:password@]/path/to/socket[?db=N]`.
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::store {

/// Where a Redis server is and how to log in, as a URL says.
struct redis_endpoint {
    std::string host;         ///< TCP: a host name or an IP address (IPv6 without brackets)
    int port = 6379;          ///< TCP
    std::string socket_path;  ///< Unix socket: an absolute path; empty for TCP
    std::string user;         ///< ACL user for `AUTH user password`; empty: `AUTH password`
    std::string password;     ///< empty: no AUTH (percent-decoded, any bytes)
    int db = 0;               ///< SELECT N after connecting unless 0
    /// The URL for messages and logs, normalised, the password replaced by `***`.
    std::string display;
};

/// Parses a Redis URL. User and password are percent-decoded (`%40` for `@`; `/`, `?` and `#`
/// must be encoded); everything else is taken literally. Errors: `errc::bad_url` with `*why`
/// saying what is wrong; `*why` never holds the password.
[[nodiscard]] result<redis_endpoint> parse_redis_url(std::string_view url, std::string* why);

}  // namespace warden::store
