#pragma once
// HTTP requests for /metrics: `warden_http_requests_total{route,method,status}` and the
// histogram `warden_http_request_duration_seconds{route,method}`, counted from the access-log
// callback the server already calls once per response.
//
// Off the hot path's locks (SPEC §6: metrics cost at most 2%): each recording thread (an event
// loop) has a shard of its own, which only it writes, with relaxed atomic loads and stores (no
// read-modify-write, no shared cache line); a scrape sums the shards. The labels are bounded
// and known up front: the routes' templates (never the raw path), a fixed list of methods and
// of status codes. A mutex is taken once per thread, on its first request, to make its shard,
// and by each scrape to walk the shards.
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <warden/http/server.hpp>

#include "app/metrics/exposition.hpp"

namespace warden::app {

class request_metrics {
  public:
    /// `routes`: every route template the servers may report (repeats are ignored). A request
    /// with no route (404, 405, a preflight) or another one is counted under route "none".
    explicit request_metrics(std::vector<std::string> const& routes);
    ~request_metrics();
    request_metrics(request_metrics const&) = delete;
    request_metrics& operator=(request_metrics const&) = delete;

    /// Counts one finished request. Thread-safe; without a lock after the thread's first call.
    void record(http::access_entry const& entry);

    /// Writes both families, with a series for every label set seen so far. Thread-safe.
    void write(exposition& out) const;

  private:
    struct series;
    struct shard;
    [[nodiscard]] shard& this_threads_shard();
    [[nodiscard]] std::size_t route_index(std::string_view route) const;

    std::uint64_t const id_;  // tells this object's shards from a destroyed one's in a thread
    std::vector<std::string> routes_;                                  // the labels; "none" last
    std::unordered_map<std::string_view, std::size_t> route_indexes_;  // views into routes_
    mutable std::mutex shards_mutex_;
    std::vector<std::unique_ptr<shard>> shards_;  // under shards_mutex_
};

/// An access logger that counts each request in `requests`, then hands it to `next` (if set).
[[nodiscard]] http::access_logger counting_requests(request_metrics& requests,
                                                    http::access_logger next);

}  // namespace warden::app
