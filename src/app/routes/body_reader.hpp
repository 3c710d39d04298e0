#pragma once
// Reads typed fields of a JSON request body, collecting FastAPI-shaped 422 errors (pydantic's
// `missing`, `string_type`, `bool_type`, `list_type`, `extra_forbidden`, ...).
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include <warden/http/validation.hpp>

namespace warden::app {

class body_reader {
  public:
    /// Flags every member not in `known` as `extra_forbidden`.
    body_reader(boost::json::object const& body, std::initializer_list<std::string_view> known,
                http::validation_errors& errors);

    /// A string member that must be present (and valid UTF-8, as the JSON parser ensures).
    [[nodiscard]] std::optional<std::string> required_string(std::string_view name);
    /// A string member that may be absent; `null` reads as absent when `null_ok`.
    [[nodiscard]] std::optional<std::string> optional_string(std::string_view name,
                                                             bool null_ok = false);
    [[nodiscard]] std::optional<bool> optional_bool(std::string_view name);
    [[nodiscard]] std::optional<std::vector<std::string>> optional_string_list(
        std::string_view name);

  private:
    boost::json::object const& body_;
    http::validation_errors& errors_;
};

}  // namespace warden::app
