#include "app/routes/client_authentication.hpp"

#include <optional>

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

}  // namespace

bool presents_client_credentials(std::string_view authorization, http::form const& form) {
    if (auto const secret = form.get("client_secret"); secret && !secret->empty()) return true;
    auto const basic = basic_credentials(authorization);
    // base64(":") is "Og==", an empty id and secret: the one Basic value that names no client.
    // Anything else, an empty or malformed value included, is a client that is not registered.
    return basic && *basic != "Og==";
}

http::response invalid_client_response() {
    http::problem p;
    p.code = http::status::unauthorized;
    p.detail = "Client authentication failed";
    p.oauth_error = "invalid_client";
    p.error_description = "No client with these credentials is registered";
    p.www_authenticate = "Basic realm=\"warden\"";
    auto res = http::render(p);
    http::set_no_store(res);
    return res;
}

}  // namespace warden::app
