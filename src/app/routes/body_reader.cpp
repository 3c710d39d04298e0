#include "app/routes/body_reader.hpp"

#include <algorithm>

namespace warden::app {

body_reader::body_reader(boost::json::object const& body,
                         std::initializer_list<std::string_view> known,
                         http::validation_errors& errors)
    : body_(body), errors_(errors) {
    for (auto const& member : body_) {
        std::string_view const key = member.key();
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            errors_.add(key, "extra_forbidden", "Extra inputs are not permitted", member.value());
        }
    }
}

std::optional<std::string> body_reader::required_string(std::string_view name) {
    if (!body_.contains(name)) {
        errors_.missing(name);
        return std::nullopt;
    }
    return optional_string(name);
}

std::optional<std::string> body_reader::optional_string(std::string_view name, bool null_ok) {
    auto const* value = body_.if_contains(name);
    if (value == nullptr || (null_ok && value->is_null())) return std::nullopt;
    if (!value->is_string()) {
        errors_.add(name, "string_type", "Input should be a valid string", *value);
        return std::nullopt;
    }
    return std::string{value->get_string()};
}

std::optional<bool> body_reader::optional_bool(std::string_view name) {
    auto const* value = body_.if_contains(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool()) {
        errors_.add(name, "bool_type", "Input should be a valid boolean", *value);
        return std::nullopt;
    }
    return value->get_bool();
}

std::optional<std::vector<std::string>> body_reader::optional_string_list(std::string_view name) {
    auto const* value = body_.if_contains(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_array()) {
        errors_.add(name, "list_type", "Input should be a valid list", *value);
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (auto const& item : value->get_array()) {
        if (!item.is_string()) {
            errors_.add(name, "string_type", "Input should be a valid string", item);
            return std::nullopt;
        }
        out.emplace_back(item.get_string());
    }
    return out;
}

}  // namespace warden::app
