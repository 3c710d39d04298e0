#include "app/metrics/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace warden::app {
namespace {

/// The fields of /proc/self/stat that the metrics need (proc(5)).
struct stat_fields {
    std::uint64_t utime_ticks = 0;      // field 14
    std::uint64_t stime_ticks = 0;      // field 15
    std::uint64_t starttime_ticks = 0;  // field 22, since boot
    std::uint64_t vsize_bytes = 0;      // field 23
    std::uint64_t rss_pages = 0;        // field 24
};

std::string read_file(char const* path) {
    std::ifstream in{path};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

std::optional<std::uint64_t> to_number(std::string_view text) {
    std::uint64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<stat_fields> read_stat() {
    auto const text = read_file("/proc/self/stat");
    // The command name (field 2) is in parentheses and may hold spaces and parentheses: the
    // fields counted here start after the last ')'.
    auto const close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::string_view rest{text};
    rest.remove_prefix(close + 1);
    std::array<std::string_view, 22> fields{};  // fields 3..24
    std::size_t n = 0;
    while (n < fields.size()) {
        while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
        if (rest.empty()) return std::nullopt;
        auto const end = std::min(rest.find(' '), rest.size());
        fields[n++] = rest.substr(0, end);
        rest.remove_prefix(end);
    }
    auto const field = [&](std::size_t number) { return to_number(fields[number - 3]); };
    auto const utime = field(14), stime = field(15), start = field(22), vsize = field(23),
               rss = field(24);
    if (!utime || !stime || !start || !vsize || !rss) return std::nullopt;
    return stat_fields{*utime, *stime, *start, *vsize, *rss};
}

/// Seconds since the epoch at boot (`btime` in /proc/stat).
std::optional<std::uint64_t> boot_time() {
    std::istringstream in{read_file("/proc/stat")};
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with("btime ")) return to_number(std::string_view{line}.substr(6));
    }
    return std::nullopt;
}

double clock_ticks_per_second() {
    auto const ticks = ::sysconf(_SC_CLK_TCK);
    return ticks > 0 ? static_cast<double>(ticks) : 100.0;
}

std::optional<std::uint64_t> open_descriptors() {
    std::error_code ec;
    std::filesystem::directory_iterator it{"/proc/self/fd", ec};
    if (ec) return std::nullopt;
    std::uint64_t count = 0;
    for (; it != std::filesystem::directory_iterator{}; it.increment(ec)) {
        if (ec) return std::nullopt;
        ++count;
    }
    // The listing shows the descriptor it is read through: not one the process holds.
    return count > 0 ? count - 1 : 0;
}

}  // namespace

process_metrics::process_metrics() {
    auto const stat = read_stat();
    auto const boot = boot_time();
    if (stat && boot) {
        start_time_seconds_ = static_cast<double>(*boot) +
                              static_cast<double>(stat->starttime_ticks) / clock_ticks_per_second();
    }
}

void process_metrics::write(exposition& out) const {
    if (auto const stat = read_stat()) {
        auto const page = ::sysconf(_SC_PAGESIZE);
        out.family("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                   metric_type::counter);
        out.sample(
            "process_cpu_seconds_total", {},
            static_cast<double>(stat->utime_ticks + stat->stime_ticks) / clock_ticks_per_second());
        out.family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                   metric_type::gauge);
        out.sample("process_virtual_memory_bytes", {}, stat->vsize_bytes);
        out.family("process_resident_memory_bytes", "Resident memory size in bytes.",
                   metric_type::gauge);
        out.sample("process_resident_memory_bytes", {},
                   stat->rss_pages * static_cast<std::uint64_t>(page > 0 ? page : 4096));
    }
    if (start_time_seconds_) {
        out.family("process_start_time_seconds",
                   "Start time of the process since unix epoch in seconds.", metric_type::gauge);
        out.sample("process_start_time_seconds", {}, *start_time_seconds_);
    }
    if (auto const fds = open_descriptors()) {
        out.family("process_open_fds", "Number of open file descriptors.", metric_type::gauge);
        out.sample("process_open_fds", {}, *fds);
    }
    if (rlimit limit{}; ::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        out.family("process_max_fds", "Maximum number of open file descriptors.",
                   metric_type::gauge);
        out.sample("process_max_fds", {}, static_cast<std::uint64_t>(limit.rlim_cur));
    }
}

}  // namespace warden::app
