#include <warden/http/router.hpp>

#include <boost/beast/http/verb.hpp>

namespace warden::http {
namespace {

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

bool is_parameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void router::add(verb method, std::string_view pattern, handler h) {
    route r{method, std::string{pattern}, {}, std::move(h)};
    for (auto const segment : split_path(pattern)) r.segments.emplace_back(segment);
    routes_.push_back(std::move(r));
}

router::match router::find(verb method, std::string_view path) const {
    auto const segments = split_path(path);
    match found;
    for (auto const& r : routes_) {
        if (r.segments.size() != segments.size()) continue;
        std::vector<std::pair<std::string, std::string>> params;
        bool matches = true;
        for (std::size_t i = 0; i < segments.size() && matches; ++i) {
            if (is_parameter(r.segments[i])) {
                if (segments[i].empty())
                    matches = false;
                else
                    params.emplace_back(r.segments[i].substr(1, r.segments[i].size() - 2),
                                        segments[i]);
            } else {
                matches = r.segments[i] == segments[i];
            }
        }
        if (!matches) continue;
        if (r.method == method) {
            found.target = &r.target;
            found.pattern = r.pattern;
            found.params = std::move(params);
            found.allow.clear();
            return found;
        }
        if (!found.allow.empty()) found.allow += ", ";
        found.allow += boost::beast::http::to_string(r.method);
    }
    return found;
}

}  // namespace warden::http
