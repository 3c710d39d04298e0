// GET /healthz, /readyz, /.well-known/jwks.json, /.well-known/oauth-authorization-server.
#include <algorithm>
#include <string>

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

/// How long a verifier may keep the JWK Set: no longer than a retired key stays in it (the
/// access-token TTL plus the leeway), so a cached set never lacks a key whose tokens are still
/// valid for longer than that; at most 5 minutes.
std::string jwks_cache_control(config const& settings) {
    auto const overlap = settings.access_token_ttl + settings.token_leeway;
    auto const seconds = std::min<std::int64_t>(300, overlap.count());
    std::string value{"public, max-age="};
    value += std::to_string(seconds);
    return value;
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
        {"introspection_endpoint", base + "/api/auth/introspect"},
        {"grant_types_supported",
         boost::json::array{"password", "refresh_token", "client_credentials"}},
        {"response_types_supported", boost::json::array{}},
        // "none": the password and refresh grants need no client; client_credentials and
        // introspection need a registered one.
        {"token_endpoint_auth_methods_supported",
         boost::json::array{"none", "client_secret_basic", "client_secret_post"}},
        {"revocation_endpoint_auth_methods_supported", boost::json::array{"none"}},
        {"introspection_endpoint_auth_methods_supported",
         boost::json::array{"client_secret_basic", "client_secret_post"}},
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
                .summary = "The public signing keys (current, pending, retired until their "
                           "tokens expire) as a JWK Set (empty with HS*)",
                .tag = "service",
                .responses = {json_answer(200, "The JWK Set", {"JWKSet", std::move(jwk_set)})}},
               [&svc, cache_control = jwks_cache_control(svc.settings)](
                   request_context&) -> asio::awaitable<response> {
                   // The current, pending and retired-but-unexpired public keys, as the
                   // verifier holds them; `{"keys": []}` with HS* (a secret is never published).
                   response res = http::json_response(status::ok, svc.tokens->public_jwks());
                   // Public keys: verifiers may keep them a while (the server's default is
                   // no-store); one that meets an unknown kid fetches the set again.
                   res.set(http::field::cache_control, cache_control);
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
    add_account_mail_routes(routes, svc);
    add_user_routes(routes, svc);
    add_totp_routes(routes, svc);
    add_service_routes(routes, svc);
    add_docs_routes(routes, svc);
    add_openapi_route(routes, svc);  // last: the document describes every route added before
    return routes;
}

}  // namespace warden::app
