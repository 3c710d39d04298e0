#pragma once
// CORS (Fetch standard) for browser clients on other origins: configured origins get
// `Access-Control-Allow-Origin` on every response and answered preflights. Bearer tokens travel
// in headers, not cookies, so credentials mode is never allowed.
#include <string>
#include <string_view>
#include <vector>

#include <warden/http/message.hpp>

namespace warden::http {

struct cors_policy {
    /// Exact origins (`https://app.example.com`) or `*` for any; empty: CORS off.
    std::vector<std::string> origins;

    /// True if a request from `origin` may read responses.
    [[nodiscard]] bool allows(std::string_view origin) const noexcept;

    /// Adds the CORS headers for `origin` (which `allows`) to a response.
    void decorate(response& res, std::string_view origin) const;

    /// The 204 answer to a preflight from `origin` for a path whose methods are `allow`.
    [[nodiscard]] response preflight(std::string_view origin, std::string_view allow) const;
};

}  // namespace warden::http
