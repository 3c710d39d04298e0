#pragma once
// FastAPI-shaped 422 errors: {"detail": [{"type", "loc", "msg", "input"}]}, bounded: a body
// with thousands of unknown keys must not get an answer ten times its own size.
#include <cstddef>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>

namespace warden::http {

class validation_errors {
  public:
    /// Errors kept: later ones are dropped (the client fixes the first ones and tries again).
    static constexpr std::size_t max_errors = 32;
    /// A longer field name or string `input` is cut to this many bytes (at a UTF-8 boundary); a
    /// larger array or object `input` is echoed as `null`.
    static constexpr std::size_t max_echo_bytes = 256;

    /// Adds `{"type": "missing", "loc": ["body", name], "msg": "Field required", "input": null}`.
    void missing(std::string_view name);
    /// Adds one error at `["body", name]`.
    void add(std::string_view name, std::string_view type, std::string_view msg,
             boost::json::value input = nullptr);
    /// As above with a string input.
    void add(std::string_view name, std::string_view type, std::string_view msg,
             std::string_view input);
    [[nodiscard]] bool empty() const noexcept { return errors_.empty(); }
    /// 422 with the errors added, in order (at most `max_errors`).
    [[nodiscard]] response to_response() const;

  private:
    boost::json::array errors_;
};

/// The response for a body that could not be read: 415 for the wrong content type, 422 for
/// malformed JSON or a non-object (FastAPI's `json_invalid` / `model_attributes_type`), 400 for
/// a malformed or repeated form field.
[[nodiscard]] response body_error_response(error_code ec);

}  // namespace warden::http
