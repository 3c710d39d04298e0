#pragma once
// Form bodies (the OAuth2 token endpoint): application/x-www-form-urlencoded, and
// multipart/form-data through multipart.hpp.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>

namespace warden::http {

class form {
  public:
    /// Parses a urlencoded body (`+` is a space, percent-escapes decoded). Errors:
    /// `errc::malformed_form` (bad escape), `errc::repeated_parameter` (a name given twice).
    [[nodiscard]] static result<form> parse(std::string_view body);

    /// The decoded value of `name`, if present (it may be empty).
    [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;

    [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }

    /// Adds a field. Error: `errc::repeated_parameter` if `name` is already present (RFC 6749
    /// §3.1), whichever encoding the form came in.
    [[nodiscard]] error_code add(std::string_view name, std::string_view value);

  private:
    // A map: a 64 KiB body of tiny fields is thousands of names, each checked for a repeat.
    std::map<std::string, std::string, std::less<>> fields_;
};

/// Reads the request body as a form: `application/x-www-form-urlencoded` (parameters such as
/// charset allowed) as `form::parse`, `multipart/form-data` as `parse_form_data` (its errors, and
/// `errc::expected_form_data` for a missing or bad boundary); else `errc::expected_form`. A
/// request with neither Content-Type nor body reads as an empty form.
[[nodiscard]] result<form> read_form(request const& req);

}  // namespace warden::http
