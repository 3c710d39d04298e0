#pragma once
// Errors raised by the HTTP layer's request readers.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::http {

enum class errc {
    expected_form = 1,   ///< Content-Type is not a form (urlencoded or multipart) (415)
    expected_json,       ///< Content-Type is not application/json (415)
    malformed_form,      ///< not application/x-www-form-urlencoded syntax (400)
    repeated_parameter,  ///< a form field given twice (RFC 6749 §3.1) (400)
    body_not_object,     ///< the JSON body is valid but not an object (422)
    bad_host,            ///< HTTP/1.1 without `Host`, two `Host` fields, or an invalid one (400)
    unsupported_transfer_coding,  ///< Transfer-Encoding other than `chunked` alone (400, close)
    transfer_encoding_in_http10,  ///< Transfer-Encoding in an HTTP/1.0 request (400, close)
    transfer_encoding_with_content_length,  ///< both framings in one request (400, close)
    expected_form_data,   ///< Content-Type is multipart/form-data without a usable boundary (400)
    malformed_multipart,  ///< not multipart/form-data syntax, a file or nested part (400)
};

[[nodiscard]] boost::system::error_category const& http_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), http_category()};
}

}  // namespace warden::http

template <>
struct boost::system::is_error_code_enum<warden::http::errc> : std::true_type {};
