#pragma once
// The JOSE protected header (RFC 7515 §4): decoding, strict parsing and the header rules.
#include <boost/json/object.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/jwt/algorithm.hpp>

namespace warden::jwt {

struct header_info {
    algorithm alg = algorithm::hs256;
    bool has_kid = false;
    std::string kid;
    bool has_typ = false;
    std::string typ;
    boost::json::object object;  ///< the whole header
};

/// Decodes and checks a protected header: a JSON object whose `alg` names an implemented
/// algorithm (never "none"), whose `kid`, `typ`, `cty` are strings, and which has no `crit` (no
/// extension is implemented) and no `b64` (RFC 7797 is not implemented). `jku`, `x5u`, `jwk`,
/// `x5c`, `x5t` are ignored: a key never comes from the token. Errors: `bad_base64`, `bad_json`,
/// `duplicate_member`, `too_deep`, `not_an_object`, `bad_header`, `alg_none`, `alg_not_allowed`,
/// `unknown_crit`.
[[nodiscard]] result<header_info> parse_header(std::string_view header_b64, std::size_t max_depth);

/// True when `typ` matches `expected` case-insensitively, allowing an "application/" prefix on
/// either side (RFC 7515 §4.1.9).
[[nodiscard]] bool typ_matches(std::string_view typ, std::string_view expected) noexcept;

}  // namespace warden::jwt
