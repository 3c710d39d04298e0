#include <warden/http/json_fields.hpp>

namespace warden::http {
namespace {

std::string_view type_name(json_kind kind) noexcept {
    switch (kind) {
        case json_kind::string:
            return "string";
        case json_kind::boolean:
            return "boolean";
        case json_kind::string_list:
            return "array";
    }
    return "string";
}

}  // namespace

boost::json::object json_kind_schema(json_kind kind, bool nullable) {
    boost::json::object schema;
    if (nullable) {
        schema["type"] = boost::json::array{type_name(kind), "null"};
    } else {
        schema["type"] = type_name(kind);
    }
    if (kind == json_kind::string_list) schema["items"] = boost::json::object{{"type", "string"}};
    return schema;
}

bool check_json_kind(std::string_view name, json_kind kind, boost::json::value const& value,
                     validation_errors& errors) {
    switch (kind) {
        case json_kind::string:
            if (value.is_string()) return true;
            errors.add(name, "string_type", "Input should be a valid string", value);
            return false;
        case json_kind::boolean:
            if (value.is_bool()) return true;
            errors.add(name, "bool_type", "Input should be a valid boolean", value);
            return false;
        case json_kind::string_list:
            if (!value.is_array()) {
                errors.add(name, "list_type", "Input should be a valid list", value);
                return false;
            }
            for (auto const& item : value.get_array()) {
                if (!item.is_string()) {
                    errors.add(name, "string_type", "Input should be a valid string", item);
                    return false;
                }
            }
            return true;
    }
    return false;
}

}  // namespace warden::http
