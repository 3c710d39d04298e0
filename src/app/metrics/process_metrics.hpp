#pragma once
// The standard `process_*` metrics of the Prometheus client libraries, for this Linux process:
// resident and virtual memory, CPU seconds, open and maximum file descriptors, start time. Read
// from /proc/self/stat, /proc/self/fd and getrlimit(2) at each scrape.
#include <optional>

#include "app/metrics/exposition.hpp"

namespace warden::app {

class process_metrics {
  public:
    /// Reads the start time once (it does not change).
    process_metrics();

    /// Writes each metric it could read (none it could not: no made-up zero). Thread-safe.
    void write(exposition& out) const;

  private:
    std::optional<double> start_time_seconds_;
};

}  // namespace warden::app
