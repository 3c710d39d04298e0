#pragma once
// A route's path pattern with typed parameters: `/api/users/{id:int}`. A literal segment matches
// itself; `{name}` any non-empty segment; `{name:int}` only a positive decimal integer that fits
// in 64 bits (ASCII digits, leading zeros allowed, value 1 to 2^63-1): `/api/users/abc`,
// `/api/users/0`, `/api/users/-1` and `/api/users/me` do not match it, so they fall through to
// another route or to 404/405 rather than reaching a handler that would have to refuse them.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <warden/http/message.hpp>

namespace warden::http {

class path_pattern {
  public:
    enum class kind : std::uint8_t { text, integer, literal };  ///< least to most specific

    struct segment {
        kind type = kind::literal;
        std::string text;  ///< the literal, or the parameter's name
    };

    /// Parses a pattern. Throws `std::invalid_argument` for a malformed one (no leading `/`, an
    /// empty or unknown-typed parameter, braces inside a literal): a route table is code.
    explicit path_pattern(std::string_view pattern);

    [[nodiscard]] std::vector<segment> const& segments() const noexcept { return segments_; }
    /// The pattern without parameter types (`/api/users/{id}`): OpenAPI's path and the route
    /// label of logs and metrics.
    [[nodiscard]] std::string const& template_path() const noexcept { return template_; }

    /// Whether the path's segments (as `split_path` gives them) match.
    [[nodiscard]] bool matches(std::span<std::string_view const> path) const noexcept;
    /// The parameters of a path that `matches`, in order: (name, segment).
    [[nodiscard]] std::vector<std::pair<std::string, std::string>> parameters(
        std::span<std::string_view const> path) const;

    /// Orders two patterns that match the same path by specificity, segment by segment from the
    /// left: a literal beats `{name:int}`, which beats `{name}`. Negative: `a` is less specific;
    /// zero: the same shape.
    [[nodiscard]] static int compare_specificity(path_pattern const& a,
                                                 path_pattern const& b) noexcept;
    /// Same segment count, kinds and literals (parameter names aside).
    [[nodiscard]] bool same_shape(path_pattern const& other) const noexcept;

  private:
    std::vector<segment> segments_;
    std::string template_;
};

/// A path's `/`-separated segments (the path must start with `/`; none otherwise). `/` is one
/// empty segment, `/a/` two (`a` and an empty one).
[[nodiscard]] std::vector<std::string_view> split_path(std::string_view path);

/// Whether a segment is a positive decimal integer that fits in 64 bits (the `int` type).
[[nodiscard]] bool is_positive_integer(std::string_view segment) noexcept;

/// The value of a route's `{name:int}` parameter. Throws `std::logic_error` when the matched
/// route has no such parameter (a programming error; the dispatcher answers 500).
[[nodiscard]] std::int64_t integer_parameter(request_context const& ctx, std::string_view name);

}  // namespace warden::http
