#pragma once
// The Prometheus text exposition format 0.0.4: metric families (a HELP and a TYPE line, then
// their samples), label values escaped, histograms as cumulative `_bucket` lines with `le`,
// `+Inf` equal to `_count`, and `_sum`.
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace warden::app {

/// The Content-Type of the text it writes.
inline constexpr std::string_view exposition_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

enum class metric_type { counter, gauge, histogram };

struct metric_label {
    std::string_view name;
    std::string_view value;  ///< any bytes; escaped on output
};

class exposition {
  public:
    /// Starts a family: its `# HELP` and `# TYPE` lines. Its samples follow before the next
    /// family; each name once per exposition.
    void family(std::string_view name, std::string_view help, metric_type type);

    /// One sample line `name{labels} value`.
    void sample(std::string_view name, std::initializer_list<metric_label> labels,
                std::uint64_t value);
    void sample(std::string_view name, std::initializer_list<metric_label> labels, double value);

    /// One histogram series of the family `name`: `bounds` are the buckets' upper bounds as
    /// written in `le` (ascending, without +Inf), `counts` the observations in each bucket alone
    /// (`bounds.size() + 1` of them, the last above every bound); written cumulatively, then
    /// `_sum` and `_count`.
    void histogram(std::string_view name, std::initializer_list<metric_label> labels,
                   std::span<std::string_view const> bounds, std::span<std::uint64_t const> counts,
                   double sum);

    /// Everything written so far.
    [[nodiscard]] std::string const& text() const noexcept { return text_; }

  private:
    void series(std::string_view name, std::string_view suffix,
                std::initializer_list<metric_label> labels, metric_label extra = {});

    std::string text_;
};

}  // namespace warden::app
