#pragma once
// multipart/form-data bodies (RFC 7578) with text fields only: FastAPI's
// OAuth2PasswordRequestForm accepts them as well as urlencoded forms. Strict: no preamble, CRLF
// line ends, one `Content-Disposition: form-data; name="..."` per part; file parts and nested
// multipart are refused (no endpoint takes a file).
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/http/form.hpp>

namespace warden::http {

/// The `boundary` parameter of a multipart/form-data Content-Type (RFC 2046 §5.1.1: 1 to 70
/// characters of `bchars`, not ending in a space). Errors: `errc::expected_form_data` when it is
/// missing, given twice or invalid.
[[nodiscard]] result<std::string> form_data_boundary(std::string_view content_type);

/// Parses a multipart/form-data body delimited by `boundary` into a form. Errors:
/// `errc::malformed_multipart` (syntax, a part without a name, a `filename`, a multipart part),
/// `errc::repeated_parameter` (a name given twice, as for urlencoded forms).
[[nodiscard]] result<form> parse_form_data(std::string_view body, std::string_view boundary);

}  // namespace warden::http
