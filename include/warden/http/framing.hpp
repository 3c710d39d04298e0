#pragma once
// Where one request ends on a connection (RFC 9112 §6): the head is read whole and measured
// against the header limit before Beast parses it, and a parsed head whose body length could be
// read two ways is refused, so no body is ever served as a request of its own (smuggling).
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/http/message.hpp>

namespace warden::http {

using request_parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

/// The size of the request head (request line, header fields, empty line) at the front of
/// `buffered`. Errors: `boost::beast::http::error::need_more` while the head is incomplete and
/// could still fit in `limit` bytes; `boost::beast::http::error::header_limit` once it cannot.
[[nodiscard]] result<std::size_t> head_size(std::string_view buffered, std::size_t limit) noexcept;

/// The framing rules Beast leaves to us: exactly one `Host` in HTTP/1.1, never two, and only
/// the characters of `host[:port]` (RFC 9112 §3.2);
/// Transfer-Encoding only in HTTP/1.1, without Content-Length, and exactly `chunked` (the only
/// coding we decode; §6.1, §6.3). Errors: `errc::bad_host`, `errc::transfer_encoding_in_http10`,
/// `errc::transfer_encoding_with_content_length`, `errc::unsupported_transfer_coding`.
[[nodiscard]] error_code check_framing(boost::beast::http::request_header<> const& head);

/// Parses the request head at the front of `buffer` into `parser` (which must be fresh) and
/// consumes it, once it is complete and within `max_header_bytes`; then checks its framing.
/// Errors: as `head_size` (nothing consumed on `need_more`: read more and call again), Beast's
/// parse errors, and those of `check_framing`. The server and the fuzzer both read through this.
[[nodiscard]] error_code parse_head(request_parser& parser, boost::beast::flat_buffer& buffer,
                                    std::size_t max_header_bytes);

/// The response for a request that could not be read (431, 413, 400; framing faults always close),
/// or none when the connection should just close (timeouts, a client that went away).
[[nodiscard]] std::optional<response> read_error_response(error_code ec);

}  // namespace warden::http
