#pragma once
// FastAPI-shaped 422 errors: {"detail": [{"type", "loc", "msg", "input"}]}.
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>

namespace warden::http {

class validation_errors {
public:
    /// Adds `{"type": "missing", "loc": ["body", name], "msg": "Field required", "input": null}`.
    void missing(std::string_view name);
    /// Adds one error at `["body", name]`.
    void add(std::string_view name, std::string_view type, std::string_view msg,
             boost::json::value input = nullptr);
    /// As above with a string input.
    void add(std::string_view name, std::string_view type, std::string_view msg, std::string_view input);
    [[nodiscard]] bool empty() const noexcept { return errors_.empty(); }
    /// 422 with every error added, in order.
    [[nodiscard]] response to_response() const;

private:
    boost::json::array errors_;
};

/// The response for a body that could not be read: 415 for the wrong content type, 422 for
/// malformed JSON or a non-object (FastAPI's `json_invalid` / `model_attributes_type`), 400 for
/// a malformed or repeated form field.
[[nodiscard]] response body_error_response(error_code ec);

}  // namespace warden::http
