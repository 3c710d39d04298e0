#pragma once
// A small HTTP(S) GET client for documents another service publishes, such as a JWK Set: one
// request per call, `Connection: close`, certificates verified (the system's trust store or a
// given CA file; the host name checked against the certificate, SNI sent), connect and read
// timeouts, a limit on the response size, and no redirect followed (a 3xx is an error: a
// document's URL is configuration, and an answer must not send us elsewhere).
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::http {

enum class fetch_errc {
    bad_url = 1,           ///< not an absolute http:// or https:// URL with a host
    redirect,              ///< the server answered 3xx (never followed)
    response_too_large,    ///< the body (or the header) exceeds the configured limit
    timeout,               ///< connecting, the TLS handshake or reading took too long
    certificate_rejected,  ///< the server's certificate is not trusted or names another host
    connection_failed,     ///< the host name did not resolve or the connection was refused/reset
    malformed_response,    ///< not an HTTP/1.x response
};

[[nodiscard]] boost::system::error_category const& fetch_category() noexcept;

[[nodiscard]] inline error_code make_error_code(fetch_errc e) noexcept {
    return {static_cast<int>(e), fetch_category()};
}

struct fetch_options {
    /// PEM file of the CAs to trust; empty: the system's default trust store.
    std::filesystem::path ca_file;
    std::chrono::milliseconds connect_timeout{5'000};  ///< name resolution and TCP connect
    std::chrono::milliseconds read_timeout{10'000};    ///< TLS handshake, request and response
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
};

/// What the server answered (any status but 3xx).
struct fetched_document {
    unsigned status = 0;
    std::string body;
    /// `Cache-Control: max-age` in seconds; 0 for `no-cache`/`no-store`; none when absent.
    std::optional<std::chrono::seconds> max_age;
};

class fetch_client {
  public:
    /// A client with its TLS settings. A start-up step: throws `std::runtime_error` naming the
    /// file when `ca_file` cannot be read as PEM certificates.
    explicit fetch_client(fetch_options options = {});

    /// GETs `url` on the calling coroutine's executor. Errors: `fetch_errc`, each of condition
    /// `unavailable` (network failures are `connection_failed`). Safe to call from many threads.
    [[nodiscard]] boost::asio::awaitable<result<fetched_document>> get(std::string url) const;

    [[nodiscard]] fetch_options const& options() const noexcept { return options_; }

    struct native;  ///< the OpenSSL client context (src/http/fetch.cpp)

  private:
    fetch_options options_;
    std::shared_ptr<native> native_;
};

/// The `max-age` of a `Cache-Control` value: its seconds (at most a year), 0 when `no-cache` or
/// `no-store` is present, none when neither is there or the value is malformed.
[[nodiscard]] std::optional<std::chrono::seconds> cache_max_age(std::string_view cache_control);

}  // namespace warden::http

template <>
struct boost::system::is_error_code_enum<warden::http::fetch_errc> : std::true_type {};
