#pragma once
// A JSON request body read into a small struct through one field table. The same table checks
// the input (FastAPI-shaped 422 entries, as pydantic names them) and describes it in the OpenAPI
// document, so an input rule and what the document says of it are written once.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <warden/http/route_declaration.hpp>
#include <warden/http/validation.hpp>

namespace warden::http {

/// The JSON type a member must have before its rule runs.
enum class json_kind { string, boolean, string_list };

/// One member of a body.
template <class Body>
struct json_field {
    std::string name{};
    json_kind kind = json_kind::string;
    bool required = false;
    bool nullable = false;  ///< `null` is accepted and handed to `accept`
    /// What the document adds to the member's type: `maxLength`, `format`, `description`, ...
    /// Written next to the rule in `accept`, from the same constants.
    boost::json::object schema{};
    /// Stores a value of the right type (or `null` when nullable) into the body, adding 422
    /// entries for values the field's rule refuses (the value echoed unless it is a secret).
    std::function<void(Body&, boost::json::value const&, validation_errors&)> accept{};
};

/// The JSON Schema of one kind, as the document shows it.
[[nodiscard]] boost::json::object json_kind_schema(json_kind kind, bool nullable);

/// Adds the 422 entry for a value of the wrong JSON type (`string_type`, `bool_type`,
/// `list_type`, or `string_type` for a non-string list item) and returns false; true when
/// the value has the kind's type.
[[nodiscard]] bool check_json_kind(std::string_view name, json_kind kind,
                                   boost::json::value const& value, validation_errors& errors);

template <class Body>
class json_fields {
  public:
    json_fields(std::string schema_name, std::vector<json_field<Body>> fields)
        : schema_name_(std::move(schema_name)), fields_(std::move(fields)) {}

    /// Reads a JSON object into a body: `extra_forbidden` for every unknown member (in the
    /// body's order), then field by field in the table's order `missing`, the type error, or
    /// the field's rule. The body when no error was added.
    [[nodiscard]] std::optional<Body> read(boost::json::object const& object,
                                           validation_errors& errors) const {
        for (auto const& member : object) {
            std::string_view const key = member.key();
            if (std::none_of(fields_.begin(), fields_.end(),
                             [&](auto const& f) { return f.name == key; })) {
                errors.add(key, "extra_forbidden", "Extra inputs are not permitted",
                           member.value());
            }
        }
        Body body{};
        for (auto const& f : fields_) {
            auto const* value = object.if_contains(f.name);
            if (value == nullptr) {
                if (f.required) errors.missing(f.name);
                continue;
            }
            if (value->is_null() && f.nullable) {
                f.accept(body, *value, errors);
            } else if (check_json_kind(f.name, f.kind, *value, errors)) {
                f.accept(body, *value, errors);
            }
        }
        if (!errors.empty()) return std::nullopt;
        return body;
    }

    /// `{"type": "object", "properties", "required", "additionalProperties": false}`.
    [[nodiscard]] named_schema schema() const {
        boost::json::object properties;
        boost::json::array required;
        for (auto const& f : fields_) {
            auto property = json_kind_schema(f.kind, f.nullable);
            for (auto const& extra : f.schema) property[extra.key()] = extra.value();
            properties[f.name] = std::move(property);
            if (f.required) required.emplace_back(f.name);
        }
        boost::json::object schema{{"type", "object"},
                                   {"properties", std::move(properties)},
                                   {"additionalProperties", false}};
        if (!required.empty()) schema["required"] = std::move(required);
        return {schema_name_, std::move(schema)};
    }

    /// The request body descriptor of a route reading this table.
    [[nodiscard]] body_descriptor body() const { return {"application/json", schema(), true}; }

  private:
    std::string schema_name_;
    std::vector<json_field<Body>> fields_;
};

}  // namespace warden::http
