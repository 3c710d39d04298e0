#include <warden/http/message.hpp>

namespace warden::http {

std::string_view request_context::path() const noexcept {
    std::string_view const target = req.target();
    return target.substr(0, target.find('?'));
}

std::string_view request_context::query() const noexcept {
    std::string_view const target = req.target();
    auto const q = target.find('?');
    return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

std::string_view request_context::param(std::string_view name) const noexcept {
    for (auto const& [key, value] : params) {
        if (key == name) return value;
    }
    return {};
}

std::string_view request_context::header(field f) const noexcept {
    auto const it = req.find(f);
    return it == req.end() ? std::string_view{} : std::string_view{it->value()};
}

}  // namespace warden::http
