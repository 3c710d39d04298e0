#pragma once
// What wardend's /metrics shows, put together: the HTTP requests, the open connections, the
// auth services' counts, the password hash pool, the mail queue and the process.
#include <initializer_list>
#include <string>
#include <vector>

#include <warden/http/router.hpp>
#include <warden/http/server.hpp>

#include "app/metrics/registry.hpp"
#include "app/metrics/request_metrics.hpp"
#include "app/services.hpp"

namespace warden::app {

/// The route templates of `routers` (the labels `request_metrics` knows up front).
[[nodiscard]] std::vector<std::string> route_templates(
    std::initializer_list<http::router const*> routers);

/// Adds the collectors of every wardend metric to `metrics`, in this order: HTTP requests
/// (`requests`), `warden_open_connections` (`server`'s), logins, refused tokens, refreshes and
/// store errors (`svc.events`), the hash pool (`svc.hashes`), the mail queue (`svc.mailer`'s
/// counters; zeros without a mailer), then the `process_*` metrics.
/// Each argument must outlive `metrics`' scrapes.
void add_wardend_metrics(metrics_registry& metrics, request_metrics const& requests,
                         http::server const& server, services const& svc);

}  // namespace warden::app
