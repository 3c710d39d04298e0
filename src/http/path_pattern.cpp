#include <warden/http/path_pattern.hpp>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace warden::http {
namespace {

path_pattern::segment parse_segment(std::string_view text, std::string_view pattern) {
    auto const malformed = [&](std::string_view why) {
        std::string message{"route pattern "};
        message += pattern;
        message += ": ";
        message += why;
        return std::invalid_argument{message};
    };
    if (text.empty() || text.front() != '{') {
        if (text.find_first_of("{}") != std::string_view::npos)
            throw malformed("a literal segment holds no braces");
        return {path_pattern::kind::literal, std::string{text}};
    }
    if (text.size() < 3 || text.back() != '}') throw malformed("a parameter is `{name}`");
    auto inside = text.substr(1, text.size() - 2);
    auto const colon = inside.find(':');
    auto const name = inside.substr(0, colon);
    if (name.empty() || name.find_first_of("{}") != std::string_view::npos)
        throw malformed("a parameter needs a name");
    if (colon == std::string_view::npos) return {path_pattern::kind::text, std::string{name}};
    if (inside.substr(colon + 1) != "int") throw malformed("the only parameter type is `int`");
    return {path_pattern::kind::integer, std::string{name}};
}

bool segment_matches(path_pattern::segment const& s, std::string_view text) noexcept {
    switch (s.type) {
        case path_pattern::kind::literal:
            return s.text == text;
        case path_pattern::kind::integer:
            return is_positive_integer(text);
        case path_pattern::kind::text:
            return !text.empty();
    }
    return false;
}

}  // namespace

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    if (path.empty() || path.front() != '/') return segments;
    path.remove_prefix(1);
    while (true) {
        auto const slash = path.find('/');
        segments.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return segments;
}

bool is_positive_integer(std::string_view segment) noexcept {
    if (segment.empty()) return false;
    for (char const c : segment) {
        if (c < '0' || c > '9') return false;  // no sign, no spaces
    }
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), value);
    return ec == std::errc{} && end == segment.data() + segment.size() && value > 0;
}

path_pattern::path_pattern(std::string_view pattern) {
    if (pattern.empty() || pattern.front() != '/') {
        std::string message{"route pattern "};
        message += pattern;
        message += ": must start with /";
        throw std::invalid_argument{message};
    }
    for (auto const text : split_path(pattern)) {
        segments_.push_back(parse_segment(text, pattern));
        template_ += '/';
        if (segments_.back().type == kind::literal) {
            template_ += segments_.back().text;
        } else {
            template_ += '{';
            template_ += segments_.back().text;
            template_ += '}';
        }
    }
}

bool path_pattern::matches(std::span<std::string_view const> path) const noexcept {
    if (path.size() != segments_.size()) return false;
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (!segment_matches(segments_[i], path[i])) return false;
    }
    return true;
}

std::vector<std::pair<std::string, std::string>> path_pattern::parameters(
    std::span<std::string_view const> path) const {
    std::vector<std::pair<std::string, std::string>> found;
    for (std::size_t i = 0; i < segments_.size() && i < path.size(); ++i) {
        if (segments_[i].type != kind::literal) found.emplace_back(segments_[i].text, path[i]);
    }
    return found;
}

int path_pattern::compare_specificity(path_pattern const& a, path_pattern const& b) noexcept {
    auto const n = std::min(a.segments_.size(), b.segments_.size());
    for (std::size_t i = 0; i < n; ++i) {
        auto const x = static_cast<int>(a.segments_[i].type);
        auto const y = static_cast<int>(b.segments_[i].type);
        if (x != y) return x < y ? -1 : 1;
    }
    return 0;
}

bool path_pattern::same_shape(path_pattern const& other) const noexcept {
    if (segments_.size() != other.segments_.size()) return false;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        auto const& a = segments_[i];
        auto const& b = other.segments_[i];
        if (a.type != b.type || (a.type == kind::literal && a.text != b.text)) return false;
    }
    return true;
}

std::int64_t integer_parameter(request_context const& ctx, std::string_view name) {
    auto const text = ctx.param(name);
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || value <= 0) {
        std::string message{"the route has no integer parameter "};
        message += name;
        throw std::logic_error{message};
    }
    return value;
}

}  // namespace warden::http
