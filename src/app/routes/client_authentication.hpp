#pragma once
// RFC 6749 §2.3 client authentication at the token and introspection endpoints: what a request
// presents (client_secret_basic or client_secret_post, §2.3.1), and the answers to bad or
// ambiguous client credentials (§5.2).
#include <string>
#include <string_view>

#include <warden/core/secret.hpp>
#include <warden/http/form.hpp>
#include <warden/http/message.hpp>

namespace warden::app {

/// The client credentials of a request.
struct presented_client {
    enum class kind {
        /// No client authentication: no credentials, Swagger UI's empty Basic credentials
        /// (`Og==`), or a `client_id` field alone (a public client naming itself, §3.2.1, as
        /// FastAPI's `OAuth2PasswordRequestForm` accepts it).
        none,
        /// A client id and secret (`client_id`, `secret`), from Basic or from the form.
        credentials,
        /// Basic credentials that do not decode (RFC 7617, with the §2.3.1 form-encoding), or a
        /// `client_secret` field without a `client_id`: bad client credentials.
        malformed,
        /// Basic credentials and a form `client_secret` (or a form `client_id` naming another
        /// client): one method per request (§2.3), 400 `invalid_request`.
        ambiguous,
    };
    kind presented = kind::none;
    std::string client_id;
    secret_bytes secret;
};

/// What the request's `Authorization` value and form present. Other `Authorization` schemes
/// are not read.
[[nodiscard]] presented_client read_client_authentication(std::string_view authorization,
                                                          http::form const& form);

/// §5.2 for client credentials that are missing (where they are required), malformed or match
/// no registered client: 401 `invalid_client` with `WWW-Authenticate: Basic`, not cacheable.
[[nodiscard]] http::response invalid_client_response();

/// §5.2 for client credentials presented by two methods at once: 400 `invalid_request`, not
/// cacheable.
[[nodiscard]] http::response ambiguous_client_response();

}  // namespace warden::app
