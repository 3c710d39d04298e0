#pragma once
// The route table of wardend (SPEC §3), one file per resource. Handlers are thin: read the
// request into values, call one service, render the result.
#include <warden/http/router.hpp>

#include "app/metrics/registry.hpp"
#include "app/services.hpp"

namespace warden::app {

/// `/api/auth/*`: register, login (token endpoint), logout, revoke.
void add_auth_routes(http::router& routes, services& svc);
/// `/api/auth/request-verify-token`, `/verify`, `/forgot-password`, `/reset-password`.
void add_account_mail_routes(http::router& routes, services& svc);
/// `/api/users/*`: the current user, password change, and the admin API.
void add_user_routes(http::router& routes, services& svc);
/// `/api/users/me/totp`, `/api/users/me/totp/confirm`: the current user's second factor (none
/// without `svc.totp`).
void add_totp_routes(http::router& routes, services& svc);
/// `/healthz`, `/readyz`, `/.well-known/*`.
void add_service_routes(http::router& routes, services& svc);
/// `/docs` and `/docs/{file}`: the Swagger UI (`svc.swagger_ui`); none with `--docs off`.
void add_docs_routes(http::router& routes, services& svc);
/// `GET /openapi.json`: the OpenAPI document of the routes added before (cached); none with
/// `--docs off`.
void add_openapi_route(http::router& routes, services const& svc);

/// `GET /metrics`: the scrape of `metrics` (which must outlive the router), left out of the
/// OpenAPI document.
void add_metrics_route(http::router& routes, metrics_registry const& metrics);

/// Every route.
[[nodiscard]] http::router make_router(services& svc);

}  // namespace warden::app
