#include "app/metrics/wardend_metrics.hpp"

#include <cstdint>
#include <memory>

#include <warden/http/path_pattern.hpp>

#include "app/metrics/process_metrics.hpp"
#include "app/metrics/service_metrics.hpp"

namespace warden::app {

std::vector<std::string> route_templates(std::initializer_list<http::router const*> routers) {
    std::vector<std::string> templates;
    for (auto const* r : routers) {
        // As the router reports a match: without parameter types (`/api/users/{id}`).
        for (auto const& declaration : r->declarations())
            templates.push_back(http::path_pattern{declaration.pattern}.template_path());
    }
    return templates;
}

void add_wardend_metrics(metrics_registry& metrics, request_metrics const& requests,
                         http::server const& server, services const& svc) {
    metrics.add([&requests](exposition& out) { requests.write(out); });
    metrics.add([&server](exposition& out) {
        out.family("warden_open_connections", "HTTP connections open now.", metric_type::gauge);
        out.sample("warden_open_connections", {}, static_cast<std::uint64_t>(server.connections()));
    });
    metrics.add([&svc](exposition& out) { write_auth_metrics(out, svc.events); });
    metrics.add([&svc](exposition& out) { write_hash_pool_metrics(out, *svc.hashes); });
    // Without --smtp-url the mail families are there all the same, at zero (as every outcome of
    // the auth counters is): dashboards and alerts need no case for a deployment without mail.
    metrics.add([&svc, none = std::make_shared<mail_counters const>()](exposition& out) {
        write_mail_metrics(out, svc.mailer ? svc.mailer->counters() : *none);
    });
    metrics.add([process = process_metrics{}](exposition& out) { process.write(out); });
}

}  // namespace warden::app
