#include <warden/http/fetch.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <openssl/ssl.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

#include <warden/version.hpp>

namespace warden::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

class fetch_category_impl final : public boost::system::error_category {
  public:
    constexpr fetch_category_impl() noexcept : error_category(0x51c2d7e08b3f4a61ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.http.fetch"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<fetch_errc>(value)) {
            case fetch_errc::bad_url:
                return "not an absolute http:// or https:// URL";
            case fetch_errc::redirect:
                return "the server answered with a redirect, which is not followed";
            case fetch_errc::response_too_large:
                return "the response is larger than the limit";
            case fetch_errc::timeout:
                return "the server did not answer in time";
            case fetch_errc::certificate_rejected:
                return "the server's certificate is not trusted or is not for this host";
            case fetch_errc::connection_failed:
                return "cannot connect to the server";
            case fetch_errc::malformed_response:
                return "the server's answer is not an HTTP/1.1 response";
        }
        return "unknown fetch error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        if (value >= static_cast<int>(fetch_errc::bad_url) &&
            value <= static_cast<int>(fetch_errc::malformed_response))
            return condition::unavailable;
        return {value, *this};
    }
};

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct target {
    bool tls = false;
    std::string host;  ///< name or address, without IPv6 brackets
    std::string port;
    std::string host_header;
    std::string path;  ///< path and query
};

result<target> parse_target(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed) return make_error_code(fetch_errc::bad_url);
    target t;
    auto const scheme = parsed->scheme_id();
    if (scheme != boost::urls::scheme::http && scheme != boost::urls::scheme::https)
        return make_error_code(fetch_errc::bad_url);
    t.tls = scheme == boost::urls::scheme::https;
    if (!parsed->has_authority() || parsed->host_address().empty() || parsed->has_userinfo())
        return make_error_code(fetch_errc::bad_url);
    t.host = parsed->host_address();
    t.port = parsed->has_port() ? std::string{parsed->port()} : (t.tls ? "443" : "80");
    t.host_header = parsed->encoded_host_and_port();
    t.path = parsed->encoded_target();
    if (t.path.empty()) t.path = "/";
    return t;
}

bool is_ip_address(std::string const& host) {
    error_code ec;
    (void)asio::ip::make_address(host, ec);
    return !ec;
}

/// Network and parser errors as fetch_errc, so callers see one family of causes.
error_code classified(error_code ec) {
    if (ec == beast::error::timeout) return make_error_code(fetch_errc::timeout);
    if (ec == bhttp::error::body_limit || ec == bhttp::error::header_limit ||
        ec == bhttp::error::buffer_overflow)
        return make_error_code(fetch_errc::response_too_large);
    if (ec.category() == make_error_code(bhttp::error::bad_version).category())
        return make_error_code(fetch_errc::malformed_response);
    return make_error_code(fetch_errc::connection_failed);
}

/// Resolves and connects within the connect timeout.
asio::awaitable<error_code> connect(beast::tcp_stream& stream, target const& t,
                                    std::chrono::milliseconds timeout) {
    auto const ex = co_await asio::this_coro::executor;
    // The resolver has no deadline of its own: a timer cancels it (shared, as the timer's
    // handler may run after this frame is gone).
    auto resolver = std::make_shared<tcp::resolver>(ex);
    asio::steady_timer timer{ex};
    timer.expires_after(timeout);
    timer.async_wait([resolver](error_code ec) {
        if (!ec) resolver->cancel();
    });
    auto [resolve_ec, endpoints] = co_await resolver->async_resolve(t.host, t.port, use_tuple);
    timer.cancel();
    if (resolve_ec == asio::error::operation_aborted)
        co_return make_error_code(fetch_errc::timeout);
    if (resolve_ec) co_return make_error_code(fetch_errc::connection_failed);
    stream.expires_after(timeout);
    auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, use_tuple);
    if (connect_ec) co_return classified(connect_ec);
    co_return error_code{};
}

/// Sends the GET and reads the answer within the read timeout (set by the caller).
template <class Stream>
asio::awaitable<result<fetched_document>> exchange(Stream& stream, target const& t,
                                                   fetch_options const& options) {
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, t.path, 11};
    req.set(bhttp::field::host, t.host_header);
    std::string user_agent{"warden/"};
    user_agent += warden::version;
    req.set(bhttp::field::user_agent, user_agent);
    req.set(bhttp::field::accept, "application/json");
    req.set(bhttp::field::connection, "close");
    auto [write_ec, written] = co_await bhttp::async_write(stream, req, use_tuple);
    if (write_ec) co_return classified(write_ec);

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    auto [read_ec, read] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    // A TLS server that closes without close_notify after a complete message lost nothing.
    if (read_ec && !(read_ec == ssl::error::stream_truncated && parser.is_done()))
        co_return classified(read_ec);

    auto& res = parser.get();
    auto const status = res.result_int();
    if (status >= 300 && status < 400) co_return make_error_code(fetch_errc::redirect);
    fetched_document out;
    out.status = status;
    out.max_age = cache_max_age(res[bhttp::field::cache_control]);
    out.body = std::move(res.body());
    co_return out;
}

}  // namespace

boost::system::error_category const& fetch_category() noexcept {
    static constexpr fetch_category_impl instance;
    return instance;
}

struct fetch_client::native {
    ssl::context context{ssl::context::tls_client};
};

fetch_client::fetch_client(fetch_options options)
    : options_(std::move(options)), native_(std::make_shared<native>()) {
    auto& ctx = native_->context;
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (options_.ca_file.empty()) {
        ctx.set_default_verify_paths(ec);
        if (ec) throw std::runtime_error{"cannot load the system's CA certificates"};
    } else {
        ctx.load_verify_file(options_.ca_file.string(), ec);
        if (ec) {
            std::string message{"CA file "};
            message += options_.ca_file.string();
            message += ": not readable as PEM certificates";
            throw std::runtime_error{message};
        }
    }
}

asio::awaitable<result<fetched_document>> fetch_client::get(std::string url) const {
    auto const t = parse_target(url);
    if (!t) co_return t.error();
    auto const ex = co_await asio::this_coro::executor;
    beast::tcp_stream tcp_stream{ex};
    auto const connect_ec = co_await connect(tcp_stream, *t, options_.connect_timeout);
    if (connect_ec) co_return connect_ec;
    tcp_stream.expires_after(options_.read_timeout);
    if (!t->tls) co_return co_await exchange(tcp_stream, *t, options_);

    beast::ssl_stream<beast::tcp_stream> stream{std::move(tcp_stream), native_->context};
    // SNI names the host (never an address, RFC 6066 §3); the certificate must name it too.
    if (!is_ip_address(t->host) &&
        SSL_set_tlsext_host_name(stream.native_handle(), t->host.c_str()) != 1)
        co_return make_error_code(fetch_errc::connection_failed);
    stream.set_verify_callback(ssl::host_name_verification(t->host));
    auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::client, use_tuple);
    if (handshake_ec) {
        if (handshake_ec == beast::error::timeout) co_return make_error_code(fetch_errc::timeout);
        if (SSL_get_verify_result(stream.native_handle()) != X509_V_OK)
            co_return make_error_code(fetch_errc::certificate_rejected);
        co_return make_error_code(fetch_errc::connection_failed);
    }
    co_return co_await exchange(stream, *t, options_);
}

std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control) {
    constexpr std::int64_t a_year = 365LL * 24 * 3600;
    std::optional<std::chrono::seconds> max_age;
    bool no_cache = false;
    // Comma-separated directives, names case-insensitive (RFC 9111 §5.2).
    while (!cache_control.empty()) {
        auto const comma = cache_control.find(',');
        auto directive = cache_control.substr(0, comma);
        cache_control =
            comma == std::string_view::npos ? std::string_view{} : cache_control.substr(comma + 1);
        while (!directive.empty() && (directive.front() == ' ' || directive.front() == '\t'))
            directive.remove_prefix(1);
        while (!directive.empty() && (directive.back() == ' ' || directive.back() == '\t'))
            directive.remove_suffix(1);
        auto const eq = directive.find('=');
        std::string name{directive.substr(0, eq)};
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (name == "no-cache" || name == "no-store") no_cache = true;
        if (name != "max-age" || eq == std::string_view::npos) continue;
        auto value = directive.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        std::int64_t seconds = 0;
        auto const [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
        if (ec == std::errc::result_out_of_range && end == value.data() + value.size()) {
            max_age = std::chrono::seconds{a_year};
        } else if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0) {
            return std::nullopt;
        } else {
            max_age = std::chrono::seconds{std::min(seconds, a_year)};
        }
    }
    if (no_cache) return std::chrono::seconds{0};
    return max_age;
}

}  // namespace warden::http
