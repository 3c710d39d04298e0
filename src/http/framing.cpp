#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <warden/http/errc.hpp>
#include <warden/http/framing.hpp>
#include <warden/http/responses.hpp>

namespace warden::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// True if every Transfer-Encoding field together lists exactly one coding, `chunked`: any other
/// coding (identity, compress, xchunked, chunked twice, parameters) is one we cannot decode, and
/// a body we cannot delimit must not be read as the next request.
bool only_chunked(bhttp::request_header<> const& head) {
    std::size_t codings = 0;
    auto const [first, last] = head.equal_range(field::transfer_encoding);
    for (auto it = first; it != last; ++it) {
        std::string_view rest = it->value();
        while (true) {
            auto const comma = rest.find(',');
            auto const item = trim(rest.substr(0, comma));
            if (!item.empty()) {  // RFC 9110 §5.6.1: empty list elements do not count
                if (!beast::iequals(item, "chunked")) return false;
                ++codings;
            }
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return codings == 1;
}

/// RFC 9110 §7.2: Host is `uri-host [ ":" port ]` (a reg-name, IPv4 or [IP-literal]); only the
/// characters those may hold. Handlers echo it (RFC 8414 metadata), so no byte beyond them.
bool valid_host(std::string_view host) noexcept {
    for (char const c : host) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') ||
                        std::string_view{"-._~!$&'()*+,;=%:[]"}.find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

}  // namespace

result<std::size_t> head_size(std::string_view buffered, std::size_t limit) noexcept {
    auto const end = buffered.substr(0, limit).find("\r\n\r\n");
    if (end != std::string_view::npos && end + 4 <= limit) return end + 4;
    // Any completion adds at least one byte, so a full window without an end cannot fit.
    if (buffered.size() >= limit) return make_error_code(bhttp::error::header_limit);
    return make_error_code(bhttp::error::need_more);
}

error_code check_framing(bhttp::request_header<> const& head) {
    auto const hosts = head.count(field::host);
    if (hosts > 1 || (hosts == 0 && head.version() >= 11)) return errc::bad_host;
    if (hosts == 1 && !valid_host(head[field::host])) return errc::bad_host;
    if (head.find(field::transfer_encoding) == head.end()) return {};
    // §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing (a 1.0 proxy may
    // have forwarded it without decoding); never read it as chunked.
    if (head.version() < 11) return errc::transfer_encoding_in_http10;
    // Beast refuses Content-Length after `chunked`, not after other codings: refuse both orders.
    if (head.count(field::content_length) > 0) return errc::transfer_encoding_with_content_length;
    if (!only_chunked(head)) return errc::unsupported_transfer_coding;
    return {};
}

error_code parse_head(request_parser& parser, beast::flat_buffer& buffer,
                      std::size_t max_header_bytes) {
    auto const data = buffer.data();
    std::string_view const buffered{static_cast<char const*>(data.data()), data.size()};
    auto const size = head_size(buffered, max_header_bytes);
    if (!size) return size.error();
    parser.header_limit(static_cast<std::uint32_t>(max_header_bytes));
    parser.eager(false);  // the head only: the body is read under its own limit and timeout
    error_code ec;
    auto const used = parser.put(boost::asio::buffer(data.data(), *size), ec);
    buffer.consume(used);
    if (ec) return ec;
    if (!parser.is_header_done())
        return bhttp::error::bad_line_ending;  // cannot happen: head is whole
    return check_framing(parser.get());
}

std::optional<response> read_error_response(error_code ec) {
    if (ec == bhttp::error::header_limit) {
        return detail_response(status::request_header_fields_too_large,
                               "Request header fields too large");
    }
    if (ec == bhttp::error::body_limit)
        return detail_response(status::payload_too_large, "Request body too large");
    if (ec.category() == http_category()) return detail_response(status::bad_request, ec.message());
    if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
        ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset ||
        ec == boost::asio::error::operation_aborted || ec == bhttp::error::partial_message) {
        return std::nullopt;
    }
    // Every other parser error (bad method, target, version, field, chunk...) is malformed input.
    if (ec.category() == make_error_code(bhttp::error::bad_method).category()) {
        return detail_response(status::bad_request, "Malformed HTTP request");
    }
    return std::nullopt;
}

}  // namespace warden::http
