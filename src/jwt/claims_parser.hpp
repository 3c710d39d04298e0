#pragma once
// Builds `claims` from a base64url payload in one pass and without a DOM: the payload is decoded
// into the claims' own buffer, parsed with Boost.JSON's SAX parser (strict: UTF-8, no comments or
// trailing commas, depth limit), duplicate member names are refused at every level, and the
// top-level members are indexed as they are read.
#include <cstddef>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/jwt/claims.hpp>

namespace warden::jwt {

struct claims_parse_result {
    error_code error;          ///< bad_base64, bad_json, duplicate_member, too_deep, not_an_object
    bool aud_is_valid = true;  ///< false when an `aud` array holds anything but strings
};

/// Decodes `payload_b64` into the freshly constructed `out` (exact base64url), reserving room
/// for its unescaped strings and `reserve_extra` bytes of header values. Errors: `bad_base64`.
[[nodiscard]] error_code decode_claims_payload(std::string_view payload_b64,
                                               std::size_t reserve_extra, claims& out);

/// Parses the payload decoded by `decode_claims_payload` as a JSON object.
[[nodiscard]] claims_parse_result parse_claims_payload(std::size_t max_depth, claims& out);

/// Same from already decoded JSON text (tests, fuzzing).
[[nodiscard]] claims_parse_result parse_claims_json(std::string_view json, std::size_t max_depth,
                                                    claims& out);

/// Stores the verified header's alg, kid and typ in `out`.
void set_claims_header(claims& out, algorithm alg, std::string_view kid, std::string_view typ);

}  // namespace warden::jwt
