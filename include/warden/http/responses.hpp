#pragma once
// Response builders. The server sets version, keep-alive and request id afterwards.
#include <string_view>

#include <boost/json/value.hpp>

#include <warden/http/message.hpp>

namespace warden::http {

/// A JSON response (`application/json`). String bytes that are not UTF-8 (echoed request
/// bytes) are sent as U+FFFD, so the body is always valid JSON.
[[nodiscard]] response json_response(status code, boost::json::value const& body);

/// `{"detail": "<detail>"}` with the given status.
[[nodiscard]] response detail_response(status code, std::string_view detail);

/// An empty response (e.g. 204).
[[nodiscard]] response empty_response(status code);

/// Marks a response as not cacheable (RFC 6749 §5.1: `Cache-Control: no-store`, `Pragma:
/// no-cache`).
void set_no_store(response& res);

}  // namespace warden::http
