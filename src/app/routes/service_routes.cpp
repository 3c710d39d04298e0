// GET /healthz, /readyz, /.well-known/jwks.json, /.well-known/oauth-authorization-server.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <warden/http/responses.hpp>
#include <warden/jwt/algorithm.hpp>

#include "app/routes/route_table.hpp"
#include "app/routes/routes.hpp"

namespace warden::app {
namespace {

namespace asio = boost::asio;
using http::request_context;
using http::response;
using http::status;

asio::awaitable<response> readiness(services& svc) {
    // Ready means the store answers; it runs on the store pool like every store call.
    auto const ping = co_await svc.db->run([&svc]() { return svc.db->users().ping(); });
    if (!ping) {
        auto res = http::json_response(status::service_unavailable,
                                       boost::json::object{{"status", "unavailable"}});
        res.set(http::field::retry_after, "1");
        co_return res;
    }
    co_return http::json_response(status::ok, boost::json::object{{"status", "ready"}});
}

/// The public signing key as a JWK Set; empty with HS* (a shared secret is never published).
boost::json::object jwks(jwt::key const& key) {
    boost::json::array keys;
    if (!key.is_symmetric()) {
        auto jwk = key.public_jwk();
        if (jwk) keys.emplace_back(std::move(*jwk));
    }
    return {{"keys", std::move(keys)}};
}

/// RFC 8414 metadata, relative to the configured issuer (or the request's Host when none).
boost::json::object metadata(services const& svc, request_context const& ctx) {
    std::string base = svc.settings.issuer.value_or("");
    if (base.empty()) {
        base = svc.settings.tls_cert.empty() ? "http://" : "https://";
        base += ctx.header(http::field::host);
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    return {
        {"issuer", base},
        {"token_endpoint", base + "/api/auth/login"},
        {"revocation_endpoint", base + "/api/auth/revoke"},
        {"jwks_uri", base + "/.well-known/jwks.json"},
        {"grant_types_supported", boost::json::array{"password", "refresh_token"}},
        {"response_types_supported", boost::json::array{}},
        {"token_endpoint_auth_methods_supported", boost::json::array{"none"}},
        {"revocation_endpoint_auth_methods_supported", boost::json::array{"none"}},
        {"token_endpoint_auth_signing_alg_values_supported",
         boost::json::array{svc.settings.algorithm}},
    };
}

/// `{"status": "..."}`.
http::named_schema status_schema() {
    return {"Status",
            {{"type", "object"},
             {"properties", {{"status", {{"type", "string"}}}}},
             {"required", boost::json::array{"status"}}}};
}

}  // namespace

void add_service_routes(http::router& routes, services& svc) {
    using http::verb;
    routes.add({.method = verb::get,
                .pattern = "/healthz",
                .summary = "Liveness: the process serves requests",
                .tag = "service",
                .responses = {json_answer(200, "Alive", status_schema())}},
               [](request_context&) -> asio::awaitable<response> {
                   co_return http::json_response(status::ok, boost::json::object{{"status", "ok"}});
               });
    routes.add({.method = verb::get,
                .pattern = "/readyz",
                .summary = "Readiness: the store answers",
                .tag = "service",
                .responses = {json_answer(200, "Ready", status_schema()),
                              json_answer(503, "The store is unreachable (Retry-After)",
                                          status_schema())}},
               [&svc](request_context&) { return readiness(svc); });
    boost::json::object jwk_set{
        {"type", "object"},
        {"properties", {{"keys", {{"type", "array"}, {"items", {{"type", "object"}}}}}}},
        {"required", boost::json::array{"keys"}}};
    routes.add({.method = verb::get,
                .pattern = "/.well-known/jwks.json",
                .summary = "The public signing keys as a JWK Set (empty with HS*)",
                .tag = "service",
                .responses = {json_answer(200, "The JWK Set", {"JWKSet", std::move(jwk_set)})}},
               [&svc](request_context&) -> asio::awaitable<response> {
                   response res = http::json_response(status::ok, jwks(*svc.signing_key));
                   // Public keys: verifiers may keep them a while (the server's default is
                   // no-store); one that meets an unknown kid fetches the set again.
                   res.set(http::field::cache_control, "public, max-age=300");
                   co_return res;
               });
    routes.add({.method = verb::get,
                .pattern = "/.well-known/oauth-authorization-server",
                .summary = "Authorization server metadata (RFC 8414)",
                .tag = "service",
                .responses = {json_answer(
                    200, "The metadata",
                    {"AuthorizationServerMetadata",
                     {{"type", "object"},
                      {"required", boost::json::array{"issuer", "token_endpoint"}}}})}},
               [&svc](request_context& ctx) -> asio::awaitable<response> {
                   co_return http::json_response(status::ok, metadata(svc, ctx));
               });
}

http::router make_router(services& svc) {
    http::router routes;
    add_auth_routes(routes, svc);
    add_user_routes(routes, svc);
    add_service_routes(routes, svc);
    add_docs_routes(routes, svc);
    add_openapi_route(routes, svc);  // last: the document describes every route added before
    return routes;
}

}  // namespace warden::app
