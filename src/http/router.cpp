#include <warden/http/router.hpp>

#include <algorithm>
#include <stdexcept>

#include <boost/beast/http/verb.hpp>

namespace warden::http {
namespace {

std::vector<std::string> sorted_words(std::string_view text) {
    std::vector<std::string> words;
    while (!text.empty()) {
        auto const space = text.find(' ');
        if (space != 0) words.emplace_back(text.substr(0, space));
        if (space == std::string_view::npos) break;
        text.remove_prefix(space + 1);
    }
    std::sort(words.begin(), words.end());
    return words;
}

std::logic_error route_error(route_declaration const& d, std::string_view why) {
    std::string message{boost::beast::http::to_string(d.method)};
    message += ' ';
    message += d.pattern;
    message += ": ";
    message += why;
    return std::logic_error{message};
}

}  // namespace

std::vector<std::string> router::checked_scopes(route_declaration const& declaration,
                                                std::string_view required) {
    auto const from_check = sorted_words(required);
    if (!declaration.scopes) return from_check;
    auto declared = *declaration.scopes;
    std::sort(declared.begin(), declared.end());
    if (declared != from_check)
        throw route_error(declaration, "its check requires other scopes than declared");
    return *declaration.scopes;
}

void router::add(route_declaration declaration, handler h) {
    if (declaration.scopes) throw route_error(declaration, "declared scopes need a check");
    add_route(std::move(declaration), std::move(h));
}

void router::add(verb method, std::string_view pattern, handler h) {
    add(route_declaration{.method = method, .pattern = std::string{pattern}}, std::move(h));
}

void router::add_route(route_declaration declaration, handler h) {
    path_pattern pattern{declaration.pattern};
    for (auto const& r : routes_) {
        if (r.method == declaration.method && r.pattern.same_shape(pattern))
            throw route_error(declaration, "a route of this method and shape exists");
    }
    routes_.push_back({declaration.method, std::move(pattern), std::move(h)});
    declarations_.push_back(std::move(declaration));
}

router::match router::find(verb method, std::string_view path) const {
    auto const segments = split_path(path);
    match found;
    route const* best = nullptr;  // a route of the most specific matching shape
    for (auto const& r : routes_) {
        if (!r.pattern.matches(segments)) continue;
        if (best != nullptr) {
            auto const order = path_pattern::compare_specificity(r.pattern, best->pattern);
            if (order < 0) continue;
            if (order > 0) {
                found = match{};
                best = nullptr;
            }
        }
        if (best == nullptr || found.target == nullptr) best = &r;
        if (r.method == method) {
            best = &r;
            found.target = &r.target;
        } else {
            if (!found.allow.empty()) found.allow += ", ";
            found.allow += boost::beast::http::to_string(r.method);
        }
    }
    if (found.target != nullptr) {
        found.pattern = best->pattern.template_path();
        found.params = best->pattern.parameters(segments);
        found.allow.clear();
    }
    return found;
}

}  // namespace warden::http
