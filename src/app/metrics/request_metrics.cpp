#include "app/metrics/request_metrics.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace warden::app {
namespace {

using counter = std::atomic<std::uint64_t>;

/// Adds to a counter only the calling thread writes: a relaxed load and store, no lock prefix.
void bump(counter& c, std::uint64_t by = 1) noexcept {
    c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

constexpr std::string_view no_route = "none";

/// The methods counted by name; any other is "other" (the method is the client's bytes).
constexpr std::array<std::string_view, 8> methods{"GET",   "HEAD",   "POST",    "PUT",
                                                  "PATCH", "DELETE", "OPTIONS", "other"};

std::size_t method_index(std::string_view method) noexcept {
    for (std::size_t i = 0; i + 1 < methods.size(); ++i)
        if (methods[i] == method) return i;
    return methods.size() - 1;
}

/// The status codes counted by value (those of RFC 9110 a server sends, and 428, 429, 431,
/// 451, 511); any other is "other".
constexpr std::array<unsigned, 46> statuses{
    100, 101, 200, 201, 202, 203, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401,
    402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417,
    421, 422, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 511};
constexpr std::size_t status_slots = statuses.size() + 1;  // + "other"
constexpr std::size_t other_status = statuses.size();

constexpr auto status_indexes = [] {
    std::array<std::uint8_t, 600> table{};
    table.fill(static_cast<std::uint8_t>(other_status));
    for (std::size_t i = 0; i < statuses.size(); ++i)
        table[statuses[i]] = static_cast<std::uint8_t>(i);
    return table;
}();

std::size_t status_index(unsigned status) noexcept {
    return status < status_indexes.size() ? status_indexes[status] : other_status;
}

std::string status_label(std::size_t index) {
    return index < statuses.size() ? std::to_string(statuses[index]) : std::string{"other"};
}

/// Upper bounds for a service answering in well under a millisecond, up to a 10 s timeout.
constexpr std::array<std::uint64_t, 14> bucket_bounds_us{
    500,     1'000,   2'500,   5'000,     10'000,    25'000,    50'000,
    100'000, 250'000, 500'000, 1'000'000, 2'500'000, 5'000'000, 10'000'000};
constexpr std::array<std::string_view, 14> bucket_labels{
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
    "0.1",    "0.25",  "0.5",    "1",     "2.5",  "5",     "10"};

std::size_t bucket_index(std::uint64_t us) noexcept {
    std::size_t i = 0;
    while (i < bucket_bounds_us.size() && us > bucket_bounds_us[i]) ++i;
    return i;  // bucket_bounds_us.size(): above every bound (+Inf)
}

/// Tells the objects apart in the threads' lookup tables: an address may be reused, an id not.
std::atomic<std::uint64_t> next_id{1};

}  // namespace

/// One label set's counts in one shard.
struct request_metrics::series {
    std::array<counter, status_slots> by_status{};
    std::array<counter, bucket_bounds_us.size() + 1> by_bucket{};
    counter latency_us{0};
};

/// One thread's counts: a series per (route, method), made by that thread on first use.
struct request_metrics::shard {
    explicit shard(std::size_t count)
        : size(count), slots(std::make_unique<std::atomic<request_metrics::series*>[]>(count)) {}
    ~shard() {
        for (std::size_t i = 0; i < size; ++i) delete slots[i].load(std::memory_order_relaxed);
    }
    shard(shard const&) = delete;
    shard& operator=(shard const&) = delete;

    std::size_t size;
    std::unique_ptr<std::atomic<request_metrics::series*>[]> slots;  // [route][method]
};

request_metrics::request_metrics(std::vector<std::string> const& routes)
    : id_(next_id.fetch_add(1, std::memory_order_relaxed)) {
    for (auto const& route : routes) {
        if (route == no_route || std::find(routes_.begin(), routes_.end(), route) != routes_.end())
            continue;
        routes_.push_back(route);
    }
    routes_.emplace_back(no_route);
    // Views into routes_, which no longer changes.
    for (std::size_t i = 0; i + 1 < routes_.size(); ++i) route_indexes_.emplace(routes_[i], i);
}

request_metrics::~request_metrics() = default;

std::size_t request_metrics::route_index(std::string_view route) const {
    auto const found = route_indexes_.find(route);
    return found == route_indexes_.end() ? routes_.size() - 1 : found->second;
}

request_metrics::shard& request_metrics::this_threads_shard() {
    thread_local std::vector<std::pair<std::uint64_t, shard*>> known;
    for (auto const& [id, mine] : known)
        if (id == id_) return *mine;
    std::lock_guard const lock{shards_mutex_};
    auto& made = *shards_.emplace_back(std::make_unique<shard>(routes_.size() * methods.size()));
    known.emplace_back(id_, &made);
    return made;
}

void request_metrics::record(http::access_entry const& entry) {
    auto& mine = this_threads_shard();
    auto const slot = route_index(entry.route) * methods.size() + method_index(entry.method);
    auto* s = mine.slots[slot].load(std::memory_order_relaxed);
    if (s == nullptr) {
        s = new series{};
        // Release: a scrape that sees the pointer sees the zeroed counts behind it.
        mine.slots[slot].store(s, std::memory_order_release);
    }
    auto const us = static_cast<std::uint64_t>(std::max<std::int64_t>(entry.latency.count(), 0));
    bump(s->by_status[status_index(entry.status)]);
    bump(s->by_bucket[bucket_index(us)]);
    bump(s->latency_us, us);
}

void request_metrics::write(exposition& out) const {
    struct totals {
        bool seen = false;
        std::array<std::uint64_t, status_slots> by_status{};
        std::array<std::uint64_t, bucket_bounds_us.size() + 1> by_bucket{};
        std::uint64_t latency_us = 0;
    };
    std::vector<totals> sums(routes_.size() * methods.size());
    {
        std::lock_guard const lock{shards_mutex_};
        for (auto const& sh : shards_) {
            for (std::size_t slot = 0; slot < sums.size(); ++slot) {
                auto const* s = sh->slots[slot].load(std::memory_order_acquire);
                if (s == nullptr) continue;
                auto& sum = sums[slot];
                sum.seen = true;
                for (std::size_t i = 0; i < status_slots; ++i)
                    sum.by_status[i] += s->by_status[i].load(std::memory_order_relaxed);
                for (std::size_t i = 0; i < sum.by_bucket.size(); ++i)
                    sum.by_bucket[i] += s->by_bucket[i].load(std::memory_order_relaxed);
                sum.latency_us += s->latency_us.load(std::memory_order_relaxed);
            }
        }
    }

    constexpr std::string_view requests = "warden_http_requests_total";
    out.family(requests, "HTTP requests answered, by route template, method and status.",
               metric_type::counter);
    for (std::size_t slot = 0; slot < sums.size(); ++slot) {
        if (!sums[slot].seen) continue;
        std::string_view const route = routes_[slot / methods.size()];
        std::string_view const method = methods[slot % methods.size()];
        for (std::size_t i = 0; i < status_slots; ++i) {
            if (sums[slot].by_status[i] == 0) continue;
            std::string const status = status_label(i);
            out.sample(requests, {{"route", route}, {"method", method}, {"status", status}},
                       sums[slot].by_status[i]);
        }
    }

    constexpr std::string_view duration = "warden_http_request_duration_seconds";
    out.family(duration,
               "Time to answer HTTP requests (first byte read to response written), by route "
               "template and method.",
               metric_type::histogram);
    for (std::size_t slot = 0; slot < sums.size(); ++slot) {
        if (!sums[slot].seen) continue;
        std::string_view const route = routes_[slot / methods.size()];
        std::string_view const method = methods[slot % methods.size()];
        out.histogram(duration, {{"route", route}, {"method", method}}, bucket_labels,
                      sums[slot].by_bucket, static_cast<double>(sums[slot].latency_us) / 1e6);
    }
}

http::access_logger counting_requests(request_metrics& requests, http::access_logger next) {
    return [&requests, next = std::move(next)](http::access_entry const& entry) {
        requests.record(entry);
        if (next) next(entry);
    };
}

}  // namespace warden::app
