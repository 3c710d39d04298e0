#pragma once
// Strict JSON request bodies.
#include <cstddef>

#include <boost/json/object.hpp>

#include <warden/core/result.hpp>
#include <warden/http/message.hpp>

namespace warden::http {

/// Reads the body as one JSON object. Errors: `errc::expected_json` unless the
/// Content-Type is `application/json` (or `+json`); the core JSON errors (invalid JSON or
/// UTF-8, duplicate member, too deep); `errc::body_not_object`.
[[nodiscard]] result<boost::json::object> read_json_object(request const& req,
                                                           std::size_t max_depth);

}  // namespace warden::http
