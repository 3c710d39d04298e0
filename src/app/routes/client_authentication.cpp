#include "app/routes/client_authentication.hpp"

#include <optional>

#include <warden/core/base64url.hpp>
#include <warden/http/problem.hpp>
#include <warden/http/responses.hpp>

namespace warden::app {
namespace {

/// The credentials of an `Authorization: Basic ...` value (RFC 7617), without the spaces around
/// them; none for another scheme. The scheme is case-insensitive (RFC 9110 §11.1).
std::optional<std::string_view> basic_credentials(std::string_view authorization) {
    constexpr std::string_view scheme = "basic";
    if (authorization.size() < scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = authorization[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return std::nullopt;
    }
    auto credentials = authorization.substr(scheme.size());
    if (!credentials.empty() && credentials.front() != ' ') return std::nullopt;  // "Basicx"
    while (!credentials.empty() && credentials.front() == ' ') credentials.remove_prefix(1);
    while (!credentials.empty() && credentials.back() == ' ') credentials.remove_suffix(1);
    return credentials;
}

/// Padded standard base64 (RFC 4648 §4), decoded exactly: the same alphabet as base64url but
/// for two characters, and padding only at the end.
std::optional<std::string> decode_base64(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0) return std::nullopt;
    std::size_t padding = 0;
    while (padding < 2 && text.size() > padding && text[text.size() - 1 - padding] == '=')
        ++padding;
    std::string url{text.substr(0, text.size() - padding)};
    for (auto& c : url) {
        if (c == '+') {
            c = '-';
        } else if (c == '/') {
            c = '_';
        } else if (c == '-' || c == '_' || c == '=') {
            return std::nullopt;  // base64url's characters, or padding inside
        }
    }
    auto decoded = base64url_decode(url);
    if (!decoded) return std::nullopt;
    return std::move(*decoded);
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/// RFC 6749 §2.3.1: the id and the secret are form-encoded before Basic encodes them (`+` is a
/// space, `%XX` a byte). Ours are unreserved characters, which encode as themselves.
std::optional<std::string> form_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] != '%') {
            out += text[i];
        } else {
            if (i + 2 >= text.size()) return std::nullopt;
            auto const high = hex_value(text[i + 1]);
            auto const low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out += static_cast<char>(high * 16 + low);
            i += 2;
        }
    }
    return out;
}

/// The id and secret of Basic credentials; none when they do not decode.
std::optional<presented_client> decode_basic(std::string_view credentials) {
    auto decoded = decode_base64(credentials);
    if (!decoded) return std::nullopt;
    secret_bytes const plain{std::move(*decoded)};
    auto const colon = plain.view().find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    auto id = form_decode(plain.view().substr(0, colon));
    auto secret = form_decode(plain.view().substr(colon + 1));
    if (!id || !secret || id->empty()) return std::nullopt;
    presented_client out;
    out.presented = presented_client::kind::credentials;
    out.client_id = std::move(*id);
    out.secret = secret_bytes{std::move(*secret)};
    return out;
}

presented_client of_kind(presented_client::kind k) {
    presented_client out;
    out.presented = k;
    return out;
}

}  // namespace

presented_client read_client_authentication(std::string_view authorization,
                                            http::form const& form) {
    using kind = presented_client::kind;
    auto const form_id = form.get("client_id").value_or("");
    auto const form_secret = form.get("client_secret").value_or("");
    auto const basic = basic_credentials(authorization);
    // base64(":") is "Og==", an empty id and secret: the one Basic value that names no client.
    if (basic && *basic != "Og==") {
        if (!form_secret.empty()) return of_kind(kind::ambiguous);
        auto decoded = decode_basic(*basic);
        if (!decoded) return of_kind(kind::malformed);
        if (!form_id.empty() && form_id != decoded->client_id) return of_kind(kind::ambiguous);
        return std::move(*decoded);
    }
    if (form_secret.empty()) return of_kind(kind::none);
    if (form_id.empty()) return of_kind(kind::malformed);
    presented_client out;
    out.presented = kind::credentials;
    out.client_id = std::string{form_id};
    out.secret = secret_bytes{form_secret};
    return out;
}

http::response invalid_client_response() {
    http::problem p;
    p.code = http::status::unauthorized;
    p.detail = "Client authentication failed";
    p.oauth_error = "invalid_client";
    p.error_description = "Unknown client, wrong client secret, or no client authentication";
    p.www_authenticate = "Basic realm=\"warden\"";
    auto res = http::render(p);
    http::set_no_store(res);
    return res;
}

http::response ambiguous_client_response() {
    http::problem p;
    p.code = http::status::bad_request;
    p.detail = "Client credentials given twice";
    p.oauth_error = "invalid_request";
    p.error_description = "Authenticate the client by one method: Basic or the form";
    auto res = http::render(p);
    http::set_no_store(res);
    return res;
}

}  // namespace warden::app
