#include "app/metrics/exposition.hpp"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace warden::app {
namespace {

std::string_view type_name(metric_type type) {
    switch (type) {
        case metric_type::counter:
            return "counter";
        case metric_type::gauge:
            return "gauge";
        case metric_type::histogram:
            return "histogram";
    }
    return "untyped";
}

/// HELP text: backslash and line feed escaped.
void append_help(std::string& out, std::string_view text) {
    for (char const c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

/// A label value: backslash, double quote and line feed escaped.
void append_label_value(std::string& out, std::string_view text) {
    for (char const c : text) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

void append_value(std::string& out, double value) {
    if (std::isnan(value))
        out += "NaN";
    else if (std::isinf(value))
        out += value > 0 ? "+Inf" : "-Inf";
    else
        fmt::format_to(std::back_inserter(out), "{}", value);
}

}  // namespace

void exposition::family(std::string_view name, std::string_view help, metric_type type) {
    text_ += "# HELP ";
    text_ += name;
    text_ += ' ';
    append_help(text_, help);
    text_ += "\n# TYPE ";
    text_ += name;
    text_ += ' ';
    text_ += type_name(type);
    text_ += '\n';
}

void exposition::series(std::string_view name, std::string_view suffix,
                        std::initializer_list<metric_label> labels, metric_label extra) {
    text_ += name;
    text_ += suffix;
    bool first = true;
    auto const add = [&](metric_label const& label) {
        text_ += first ? '{' : ',';
        first = false;
        text_ += label.name;
        text_ += "=\"";
        append_label_value(text_, label.value);
        text_ += '"';
    };
    for (auto const& label : labels) add(label);
    if (!extra.name.empty()) add(extra);
    if (!first) text_ += '}';
    text_ += ' ';
}

void exposition::sample(std::string_view name, std::initializer_list<metric_label> labels,
                        std::uint64_t value) {
    series(name, {}, labels);
    fmt::format_to(std::back_inserter(text_), "{}\n", value);
}

void exposition::sample(std::string_view name, std::initializer_list<metric_label> labels,
                        double value) {
    series(name, {}, labels);
    append_value(text_, value);
    text_ += '\n';
}

void exposition::histogram(std::string_view name, std::initializer_list<metric_label> labels,
                           std::span<std::string_view const> bounds,
                           std::span<std::uint64_t const> counts, double sum) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bounds.size() && i < counts.size(); ++i) {
        cumulative += counts[i];
        series(name, "_bucket", labels, {"le", bounds[i]});
        fmt::format_to(std::back_inserter(text_), "{}\n", cumulative);
    }
    for (std::size_t i = bounds.size(); i < counts.size(); ++i) cumulative += counts[i];
    series(name, "_bucket", labels, {"le", "+Inf"});
    fmt::format_to(std::back_inserter(text_), "{}\n", cumulative);
    series(name, "_sum", labels);
    append_value(text_, sum);
    text_ += '\n';
    series(name, "_count", labels);
    fmt::format_to(std::back_inserter(text_), "{}\n", cumulative);
}

}  // namespace warden::app
