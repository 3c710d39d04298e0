#include "app/metrics/process_metrics.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace warden::app {
namespace {

using ::testing::HasSubstr;

std::string scrape(process_metrics const& m) {
    exposition out;
    m.write(out);
    return out.text();
}

/// The value of the sample line `name value`.
std::optional<double> value_of(std::string const& text, std::string const& name) {
    auto const at = text.find("\n" + name + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::strtod(text.c_str() + at + name.size() + 2, nullptr);
}

TEST(process_metrics, exports_the_standard_process_metrics_with_help_and_type) {
    auto const text = scrape(process_metrics{});
    for (auto const* name : {"process_resident_memory_bytes", "process_virtual_memory_bytes",
                             "process_open_fds", "process_max_fds", "process_start_time_seconds"}) {
        EXPECT_THAT(text, HasSubstr(std::string{"# HELP "} + name + " ")) << name;
        EXPECT_THAT(text, HasSubstr(std::string{"# TYPE "} + name + " gauge\n")) << name;
        EXPECT_TRUE(value_of(text, name)) << name;
    }
    EXPECT_THAT(text, HasSubstr("# TYPE process_cpu_seconds_total counter\n"));
    EXPECT_TRUE(value_of(text, "process_cpu_seconds_total"));
}

TEST(process_metrics, values_describe_this_process) {
    process_metrics const m;
    auto const before = scrape(m);
    auto const now =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto const start = value_of(before, "process_start_time_seconds").value();
    EXPECT_LE(start, now + 1);
    EXPECT_GT(start, now - 24 * 3600);  // this test binary started within the day
    EXPECT_GT(value_of(before, "process_resident_memory_bytes").value(), 1024 * 1024);
    EXPECT_GE(value_of(before, "process_virtual_memory_bytes").value(),
              value_of(before, "process_resident_memory_bytes").value());
    EXPECT_GE(value_of(before, "process_max_fds").value(),
              value_of(before, "process_open_fds").value());

    // One more descriptor open: one more counted (the listing's own is not).
    int const fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    auto const during = scrape(m);
    ::close(fd);
    EXPECT_EQ(value_of(during, "process_open_fds").value(),
              value_of(before, "process_open_fds").value() + 1);
    auto const after = scrape(m);
    EXPECT_EQ(value_of(after, "process_open_fds").value(),
              value_of(before, "process_open_fds").value());
}

TEST(process_metrics, cpu_seconds_grow_with_work) {
    process_metrics const m;
    auto const before = value_of(scrape(m), "process_cpu_seconds_total").value();
    auto const until = std::chrono::steady_clock::now() + std::chrono::milliseconds{200};
    volatile unsigned spin = 0;
    while (std::chrono::steady_clock::now() < until) spin = spin + 1;
    EXPECT_GT(value_of(scrape(m), "process_cpu_seconds_total").value(), before);
}

}  // namespace
}  // namespace warden::app
