#pragma once
// What /metrics shows: a list of collectors, each writing its families into the exposition at
// scrape time from counters that live where they are counted (no copy kept here).
#include <functional>
#include <string>
#include <vector>

#include "app/metrics/exposition.hpp"

namespace warden::app {

class metrics_registry {
  public:
    /// Writes one or more whole families (HELP, TYPE and samples). Called on the scraping
    /// thread while requests are served: it must read what it shows in a thread-safe way.
    using collector = std::function<void(exposition&)>;

    /// Adds a collector; its families follow those of the collectors added before. Before the
    /// first scrape (not thread-safe).
    void add(collector c) { collectors_.push_back(std::move(c)); }

    /// The exposition of every collector, in the order added. Thread-safe.
    [[nodiscard]] std::string scrape() const {
        exposition out;
        for (auto const& c : collectors_) c(out);
        return out.text();
    }

  private:
    std::vector<collector> collectors_;
};

}  // namespace warden::app
