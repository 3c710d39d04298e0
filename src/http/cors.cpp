#include <warden/http/cors.hpp>

#include <algorithm>

namespace warden::http {

bool cors_policy::allows(std::string_view origin) const noexcept {
    if (origin.empty()) return false;
    return std::any_of(origins.begin(), origins.end(),
                       [&](std::string const& o) { return o == "*" || o == origin; });
}

void cors_policy::decorate(response& res, std::string_view origin) const {
    res.set(field::access_control_allow_origin, origin);
    res.set(field::vary, "Origin");
    // Let scripts read what a client needs to react to errors and throttling.
    res.set(field::access_control_expose_headers, "WWW-Authenticate, Retry-After, X-Request-Id");
}

response cors_policy::preflight(std::string_view origin, std::string_view allow) const {
    response res{status::no_content, 11};
    decorate(res, origin);
    res.set(field::access_control_allow_methods, allow);
    res.set(field::access_control_allow_headers, "Authorization, Content-Type, X-Request-Id");
    res.set(field::access_control_max_age, "600");
    return res;
}

}  // namespace warden::http
