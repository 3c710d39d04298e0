#include "app/metrics/exposition.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "app/metrics/registry.hpp"

namespace warden::app {
namespace {

TEST(exposition, a_small_registry_scrapes_to_the_exact_text_format) {
    metrics_registry registry;
    registry.add([](exposition& out) {
        out.family("demo_requests_total", "Requests served.", metric_type::counter);
        out.sample("demo_requests_total", {{"route", "/a/{id}"}, {"method", "GET"}},
                   std::uint64_t{3});
        out.sample("demo_requests_total", {{"route", "none"}, {"method", "POST"}},
                   std::uint64_t{0});
    });
    registry.add([](exposition& out) {
        out.family("demo_temperature_celsius", "A gauge.", metric_type::gauge);
        out.sample("demo_temperature_celsius", {}, 21.5);
    });
    EXPECT_EQ(registry.scrape(),
              "# HELP demo_requests_total Requests served.\n"
              "# TYPE demo_requests_total counter\n"
              "demo_requests_total{route=\"/a/{id}\",method=\"GET\"} 3\n"
              "demo_requests_total{route=\"none\",method=\"POST\"} 0\n"
              "# HELP demo_temperature_celsius A gauge.\n"
              "# TYPE demo_temperature_celsius gauge\n"
              "demo_temperature_celsius 21.5\n");
}

TEST(exposition, an_empty_registry_scrapes_to_nothing) {
    EXPECT_EQ(metrics_registry{}.scrape(), "");
}

TEST(exposition, escapes_label_values_and_help_text) {
    exposition out;
    out.family("demo_total", "Line one\nback\\slash \"quoted\"", metric_type::counter);
    out.sample("demo_total", {{"path", "a\"b\\c\nd"}}, std::uint64_t{1});
    EXPECT_EQ(out.text(),
              "# HELP demo_total Line one\\nback\\\\slash \"quoted\"\n"
              "# TYPE demo_total counter\n"
              "demo_total{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(exposition, writes_special_and_large_values_as_prometheus_reads_them) {
    exposition out;
    out.sample("a", {}, std::numeric_limits<double>::infinity());
    out.sample("b", {}, -std::numeric_limits<double>::infinity());
    out.sample("c", {}, std::nan(""));
    out.sample("d", {}, std::uint64_t{18'446'744'073'709'551'615ULL});
    out.sample("e", {}, 0.25);
    EXPECT_EQ(out.text(), "a +Inf\nb -Inf\nc NaN\nd 18446744073709551615\ne 0.25\n");
}

TEST(exposition, histogram_buckets_are_cumulative_and_inf_is_the_count) {
    exposition out;
    std::vector<std::string_view> const bounds{"0.1", "1"};
    std::vector<std::uint64_t> const counts{2, 3, 4};  // <= 0.1, <= 1, above
    out.family("demo_seconds", "Durations.", metric_type::histogram);
    out.histogram("demo_seconds", {{"route", "/x"}}, bounds, counts, 12.5);
    EXPECT_EQ(out.text(),
              "# HELP demo_seconds Durations.\n"
              "# TYPE demo_seconds histogram\n"
              "demo_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
              "demo_seconds_bucket{route=\"/x\",le=\"1\"} 5\n"
              "demo_seconds_bucket{route=\"/x\",le=\"+Inf\"} 9\n"
              "demo_seconds_sum{route=\"/x\"} 12.5\n"
              "demo_seconds_count{route=\"/x\"} 9\n");
}

TEST(exposition, a_histogram_without_labels_has_only_le) {
    exposition out;
    std::vector<std::string_view> const bounds{"1"};
    std::vector<std::uint64_t> const counts{0, 0};
    out.histogram("h", {}, bounds, counts, 0.0);
    EXPECT_EQ(out.text(),
              "h_bucket{le=\"1\"} 0\n"
              "h_bucket{le=\"+Inf\"} 0\n"
              "h_sum 0\n"
              "h_count 0\n");
}

}  // namespace
}  // namespace warden::app
