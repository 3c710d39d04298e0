#pragma once
// The mapping of `warden::condition` to status, `{"detail"}` body and headers (SPEC §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>

namespace warden::http {

/// An error as the client will see it. Built by `problem_for`, adjusted by handlers if needed.
struct problem {
    status code = status::internal_server_error;
    std::string detail;             ///< FastAPI's `{"detail": ...}`
    std::string oauth_error;        ///< RFC 6749 §5.2 `error` (token endpoint); empty: omitted
    std::string error_description;  ///< RFC 6749 `error_description`; empty: omitted
    std::string www_authenticate;   ///< empty: no header
    std::optional<std::int64_t> retry_after;  ///< seconds, for 429 and 503
};

/// The default problem for an error: the status, detail and challenge its condition calls for.
/// `required_scope` fills the `insufficient_scope` challenge (RFC 6750 §3.1). Codes that map to
/// no condition become 500 "Internal Server Error" (the code itself is never shown).
[[nodiscard]] problem problem_for(error_code ec, std::string_view required_scope = {});

/// Renders a problem as a JSON response with its headers.
[[nodiscard]] response render(problem const& p);

}  // namespace warden::http
