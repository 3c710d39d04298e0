#pragma once
// RFC 6749 §2.3 client authentication at the token endpoint. wardend registers no clients yet, so
// a token request either authenticates no client or presents credentials that match none.
#include <string_view>

#include <warden/http/form.hpp>
#include <warden/http/message.hpp>

namespace warden::app {

/// True when the request presents client credentials: an `Authorization: Basic` header other than
/// an empty client id and secret (`Og==`, what Swagger UI's password flow sends when no client id
/// is set: no client authentication), or a non-empty `client_secret` form field. A `client_id`
/// field alone identifies a public client (§3.2.1) and is no authentication, as FastAPI's
/// `OAuth2PasswordRequestForm` accepts it. Other `Authorization` schemes are not read.
[[nodiscard]] bool presents_client_credentials(std::string_view authorization,
                                               http::form const& form);

/// §5.2 for credentials that match no registered client: 401 `invalid_client` with
/// `WWW-Authenticate: Basic`, not cacheable.
[[nodiscard]] http::response invalid_client_response();

}  // namespace warden::app
