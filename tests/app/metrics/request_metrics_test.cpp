#include "app/metrics/request_metrics.hpp"

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace warden::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

http::access_entry entry(std::string_view method, std::string_view route, unsigned status,
                         std::chrono::microseconds latency = std::chrono::microseconds{100}) {
    http::access_entry e;
    e.method = method;
    e.path = "/raw/path/42";
    e.status = status;
    e.latency = latency;
    e.route = route;
    return e;
}

std::string scrape(request_metrics const& m) {
    exposition out;
    m.write(out);
    return out.text();
}

TEST(request_metrics, labels_requests_by_route_template_method_and_status) {
    request_metrics m{{"/api/users/{id}", "/api/users/me", "/api/users/{id}"}};
    m.record(entry("GET", "/api/users/{id}", 200));
    m.record(entry("GET", "/api/users/{id}", 200));
    m.record(entry("GET", "/api/users/{id}", 404));
    m.record(entry("PATCH", "/api/users/me", 422));
    auto const text = scrape(m);
    EXPECT_THAT(text, HasSubstr("# TYPE warden_http_requests_total counter\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_requests_total{route=\"/api/users/{id}\","
                                "method=\"GET\",status=\"200\"} 2\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_requests_total{route=\"/api/users/{id}\","
                                "method=\"GET\",status=\"404\"} 1\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_requests_total{route=\"/api/users/me\","
                                "method=\"PATCH\",status=\"422\"} 1\n"));
    EXPECT_THAT(text, Not(HasSubstr("/raw/path")));
    // Only label sets seen: no series for GET /api/users/me.
    EXPECT_THAT(text, Not(HasSubstr("route=\"/api/users/me\",method=\"GET\"")));
}

TEST(request_metrics, an_unmatched_or_unknown_route_and_odd_methods_share_bounded_labels) {
    request_metrics m{{"/healthz"}};
    m.record(entry("GET", "", 404));
    m.record(entry("GET", "/not/a/template/{x}", 404));
    m.record(entry("BREW", "", 405));
    m.record(entry("GET", "/healthz", 299));
    auto const text = scrape(m);
    EXPECT_THAT(text, HasSubstr("warden_http_requests_total{route=\"none\",method=\"GET\","
                                "status=\"404\"} 2\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_requests_total{route=\"none\",method=\"other\","
                                "status=\"405\"} 1\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_requests_total{route=\"/healthz\",method=\"GET\","
                                "status=\"other\"} 1\n"));
    EXPECT_THAT(text, Not(HasSubstr("BREW")));
    EXPECT_THAT(text, Not(HasSubstr("/not/a/template")));
}

TEST(request_metrics, latency_lands_in_cumulative_buckets_with_sum_and_count) {
    using std::chrono::microseconds;
    request_metrics m{{"/a"}};
    m.record(entry("GET", "/a", 200, microseconds{500}));         // le 0.0005 (bounds inclusive)
    m.record(entry("GET", "/a", 200, microseconds{501}));         // le 0.001
    m.record(entry("GET", "/a", 200, microseconds{2'000}));       // le 0.0025
    m.record(entry("GET", "/a", 200, microseconds{20'000'000}));  // above 10 s: +Inf only
    auto const text = scrape(m);
    std::string const series =
        "warden_http_request_duration_seconds_bucket{route=\"/a\","
        "method=\"GET\",le=";
    EXPECT_THAT(text, HasSubstr("# TYPE warden_http_request_duration_seconds histogram\n"));
    EXPECT_THAT(text, HasSubstr(series + "\"0.0005\"} 1\n"));
    EXPECT_THAT(text, HasSubstr(series + "\"0.001\"} 2\n"));
    EXPECT_THAT(text, HasSubstr(series + "\"0.0025\"} 3\n"));
    EXPECT_THAT(text, HasSubstr(series + "\"10\"} 3\n"));
    EXPECT_THAT(text, HasSubstr(series + "\"+Inf\"} 4\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_request_duration_seconds_count{route=\"/a\","
                                "method=\"GET\"} 4\n"));
    EXPECT_THAT(text, HasSubstr("warden_http_request_duration_seconds_sum{route=\"/a\","
                                "method=\"GET\"} 20.003001\n"));
}

TEST(request_metrics, counts_every_request_of_many_threads) {
    request_metrics m{{"/a"}};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&m] {
            for (int i = 0; i < 5000; ++i) m.record(entry("GET", "/a", 200));
        });
    }
    // Scrapes while they count: each a consistent text, never more than recorded.
    for (int i = 0; i < 20; ++i) EXPECT_THAT(scrape(m), HasSubstr("# TYPE"));
    for (auto& t : threads) t.join();
    EXPECT_THAT(scrape(m), HasSubstr("warden_http_requests_total{route=\"/a\",method=\"GET\","
                                     "status=\"200\"} 20000\n"));
}

TEST(request_metrics, two_objects_on_one_thread_count_apart) {
    request_metrics first{{"/a"}};
    {
        request_metrics gone{{"/a"}};
        gone.record(entry("GET", "/a", 200));
    }
    request_metrics second{{"/a"}};
    first.record(entry("GET", "/a", 200));
    second.record(entry("GET", "/a", 201));
    EXPECT_THAT(scrape(first), HasSubstr("status=\"200\"} 1\n"));
    EXPECT_THAT(scrape(first), Not(HasSubstr("status=\"201\"")));
    EXPECT_THAT(scrape(second), HasSubstr("status=\"201\"} 1\n"));
    EXPECT_THAT(scrape(second), Not(HasSubstr("status=\"200\"")));
}

TEST(request_metrics, the_counting_logger_counts_then_hands_the_entry_on) {
    request_metrics m{{"/a"}};
    std::vector<std::string> seen;
    auto const log =
        counting_requests(m, [&seen](http::access_entry const& e) { seen.emplace_back(e.path); });
    log(entry("GET", "/a", 200));
    EXPECT_EQ(seen, std::vector<std::string>{"/raw/path/42"});
    EXPECT_THAT(scrape(m), HasSubstr("status=\"200\"} 1\n"));
    auto const alone = counting_requests(m, {});  // no log line to write: counts all the same
    alone(entry("GET", "/a", 200));
    EXPECT_THAT(scrape(m), HasSubstr("status=\"200\"} 2\n"));
}

}  // namespace
}  // namespace warden::app
