#pragma once
// Looking into access tokens from the command line: unverified decoding, and verification
// with the configured key, issuer and audience (no database involved).
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <warden/core/clock.hpp>
#include <warden/core/result.hpp>
#include <warden/jwt/verifier.hpp>

#include "app/config/config.hpp"

namespace warden::app::cli {

/// `TOKEN`, or with `-` the whole of standard input; surrounding whitespace is trimmed.
/// Fails (with `*why`) when the result is empty.
[[nodiscard]] result<std::string> token_argument(std::string_view argument, std::string* why);

/// `{"verified": false, "header": {...}, "payload": {...}}` of a compact JWS, with NO check of
/// the signature or claims. A payload that is not JSON is shown as a string. Fails (with `*why`,
/// never quoting the token) when it is not three base64url segments with a JSON object header.
[[nodiscard]] result<boost::json::object> decode_unverified(std::string_view token,
                                                            std::string* why);

/// A verifier for the configured keys (HS*: the secret; otherwise the public keys in the store
/// that have not expired), `--issuer`, `--audience` and `--token-leeway`, as wardend checks its
/// access tokens. Never creates a key: fails (with `*why`) when the secret file does not exist,
/// the store holds no key, or they cannot be used.
[[nodiscard]] result<jwt::verifier> configured_verifier(config const& settings,
                                                        warden::clock const& clock,
                                                        std::string* why);

/// `{"verified": true, "header": {"alg", "kid"?, "typ"?}, "payload": {...}}` of verified claims.
[[nodiscard]] boost::json::object verified_view(jwt::claims const& claims);

}  // namespace warden::app::cli
