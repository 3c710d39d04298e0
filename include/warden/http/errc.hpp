#pragma once
// Errors raised by the HTTP layer's request readers.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::http {

enum class errc {
    expected_form = 1,           ///< Content-Type is not application/x-www-form-urlencoded (415)
    expected_json,               ///< Content-Type is not application/json (415)
    malformed_form,              ///< not application/x-www-form-urlencoded syntax (400)
    repeated_parameter,          ///< a form field given twice (RFC 6749 §3.1) (400)
    body_not_object,             ///< the JSON body is valid but not an object (422)
};

[[nodiscard]] boost::system::error_category const& http_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), http_category()};
}

}  // namespace warden::http

template <>
struct boost::system::is_error_code_enum<warden::http::errc> : std::true_type {};
