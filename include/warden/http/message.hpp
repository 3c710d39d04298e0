#pragma once
// The request and response types handlers see, and the per-request context.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace warden::http {

using verb = boost::beast::http::verb;
using status = boost::beast::http::status;
using field = boost::beast::http::field;
using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

/// What a handler gets: the request, the router's path parameters, and request facts.
struct request_context {
    request req;
    std::vector<std::pair<std::string, std::string>> params;  ///< `{name}` segments of the route
    std::string client_address;                               ///< the peer's IP address (no port)
    std::string request_id;                                   ///< echoed as `X-Request-Id`
    std::string user_id;  ///< set once a guard authenticated the caller (for the access log)
    /// The matched route's template (`/api/users/{id}`), for logs and metrics: a bounded label,
    /// unlike the path. Empty when no route matched (404, 405, a preflight).
    std::string_view route;

    /// The target's path, without the query.
    [[nodiscard]] std::string_view path() const noexcept;
    /// The target's query string, without `?` (empty if none).
    [[nodiscard]] std::string_view query() const noexcept;
    /// A path parameter by name (empty if the route has none of that name).
    [[nodiscard]] std::string_view param(std::string_view name) const noexcept;
    /// A header value (empty if absent).
    [[nodiscard]] std::string_view header(field f) const noexcept;
};

}  // namespace warden::http
