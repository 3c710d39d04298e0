// GET /metrics: Prometheus text format 0.0.4 (SPEC §3), on the main listener or alone on
// --metrics-listen.
#include "app/metrics/exposition.hpp"
#include "app/routes/routes.hpp"

namespace warden::app {

void add_metrics_route(http::router& routes, metrics_registry const& metrics) {
    routes.add({.method = http::verb::get,
                .pattern = "/metrics",
                .summary = "Prometheus metrics",
                .in_schema = false},
               [&metrics](http::request_context&) -> boost::asio::awaitable<http::response> {
                   http::response res{http::status::ok, 11};
                   res.set(http::field::content_type, exposition_content_type);
                   res.body() = metrics.scrape();
                   co_return res;
               });
}

}  // namespace warden::app
