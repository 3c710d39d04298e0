// GET /openapi.json: the OpenAPI 3.1 document of wardend's routes, generated from their
// declarations at start-up and served as the same bytes to every request.
#include <map>
#include <memory>
#include <string>

#include <boost/json/serialize.hpp>

#include <warden/http/openapi.hpp>
#include <warden/version.hpp>

#include "app/routes/routes.hpp"

namespace warden::app {
namespace {

namespace asio = boost::asio;
using http::request_context;
using http::response;

/// The name per-operation `security` uses, as FastAPI's `OAuth2PasswordBearer`.
constexpr std::string_view bearer_scheme = "OAuth2PasswordBearer";

/// The scopes in use: every scope a route requires, and those granted at registration.
boost::json::object scopes_in_use(http::router const& routes, app::config const& settings) {
    std::map<std::string, std::string> scopes;
    for (auto const& d : routes.declarations()) {
        if (!d.in_schema || !d.scopes) continue;
        for (auto const& s : *d.scopes) scopes.emplace(s, "");
    }
    if (auto it = scopes.find("admin"); it != scopes.end())
        it->second = "Manage users: the /api/users admin API";
    for (auto const& s : settings.default_scopes) {
        auto& description = scopes[s];
        if (!description.empty()) description += "; ";
        description += "granted to every newly registered user";
    }
    boost::json::object out;
    for (auto& [scope, description] : scopes) {
        out[scope] = description.empty() ? std::string{"Required by a route"} : description;
    }
    return out;
}

/// OAuth2's password flow at the token endpoint (relative URLs, as FastAPI writes them, so the
/// document works behind any host name and prefix-less proxy).
boost::json::object security_schemes(http::router const& routes, app::config const& settings) {
    boost::json::object password_flow{{"tokenUrl", "api/auth/login"},
                                      {"refreshUrl", "api/auth/login"},
                                      {"scopes", scopes_in_use(routes, settings)}};
    return {{bearer_scheme,
             {{"type", "oauth2"},
              {"description",
               "Log in with an e-mail address and password; send the access token as "
               "`Authorization: Bearer <token>`"},
              {"flows", {{"password", std::move(password_flow)}}}}}};
}

}  // namespace

void add_openapi_route(http::router& routes, services const& svc) {
    if (!svc.settings.docs) return;  // --docs off: 404, as FastAPI's openapi_url=None
    http::openapi_info info;
    info.title = "warden";
    info.version = std::string{warden::version};
    info.description =
        "Authentication for REST APIs: the OAuth2 password flow, JWT bearer tokens and user "
        "management. Errors are `{\"detail\": \"...\"}`; invalid input is 422 with FastAPI's "
        "validation error list.";
    info.security_schemes = security_schemes(routes, svc.settings);
    info.bearer_scheme = bearer_scheme;
    auto const document = std::make_shared<std::string const>(
        boost::json::serialize(http::openapi_document(routes, info)));
    routes.add({.method = http::verb::get, .pattern = "/openapi.json", .in_schema = false},
               [document](request_context&) -> asio::awaitable<response> {
                   response res{http::status::ok, 11};
                   res.set(http::field::content_type, "application/json");
                   res.body() = *document;
                   co_return res;
               });
}

}  // namespace warden::app
