#pragma once
// Errors raised by `warden::jwt`: one value per check, so a failed verification says which rule
// refused the token (never the token itself).
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::jwt {

enum class errc {
    // Token checks: condition::invalid_token.
    token_too_large = 1,  ///< longer than `token_limits::max_token_size` (checked before decoding)
    malformed,            ///< not three non-empty-header `.`-separated segments (compact JWS)
    bad_base64,           ///< a segment is not exact unpadded base64url
    bad_json,             ///< header or payload is not one well-formed UTF-8 JSON text
    duplicate_member,     ///< a JSON object names the same member twice
    too_deep,             ///< JSON nesting beyond `token_limits::max_json_depth`
    not_an_object,        ///< header or payload is JSON but not an object
    bad_header,           ///< a registered header parameter is missing or has the wrong type
    alg_none,             ///< `"alg":"none"` (unsecured JWS) is never accepted
    alg_not_allowed,      ///< unknown `alg`, or no configured key is bound to it
    unknown_crit,         ///< `crit` names an extension this library does not implement
    key_not_found,        ///< the `kid` matches no configured key
    bad_signature,        ///< the signature or MAC does not verify
    claim_wrong_type,     ///< a registered claim has the wrong JSON type (e.g. `exp` as a string)
    missing_claim,        ///< a required claim is absent
    expired,              ///< `exp` is in the past (beyond the leeway)
    not_yet_valid,        ///< `nbf` is in the future (beyond the leeway)
    issued_in_future,     ///< `iat` is in the future (beyond the leeway)
    wrong_issuer,         ///< `iss` differs from the expected issuer
    wrong_audience,       ///< `aud` names none of the accepted audiences
    wrong_typ,            ///< the `typ` header differs from the expected type

    // Key and configuration checks: condition::invalid_configuration.
    invalid_key,          ///< malformed or inconsistent key material (bad PEM/JWK, point off curve)
    unsupported_key,      ///< key type, curve or algorithm this library does not implement
    weak_key,             ///< HS secret shorter than the hash, RSA < 2048 bits, e = 1, ROCA modulus
    key_alg_mismatch,     ///< key type does not fit the algorithm, or JWK `alg` differs from the
                          ///< request
    missing_algorithm,    ///< a JWK without `alg` whose key type allows several algorithms
    key_use_mismatch,     ///< JWK `use`/`key_ops` forbid signing or verifying with this key
    duplicate_kid,        ///< two keys of a set share a `kid`
    mixed_key_set,        ///< a set mixes symmetric (HS) and asymmetric keys
    empty_key_set,        ///< a verifier needs at least one key
    missing_private_key,  ///< signing or private export with a public key
    not_exportable,       ///< an HS secret has no public form (JWK/PEM export)
    invalid_options,      ///< verifier/signer options out of range (negative leeway, zero limits)

    // OpenSSL failed where it should not: condition::internal.
    crypto_failure,
};

[[nodiscard]] boost::system::error_category const& jwt_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), jwt_category()};
}

}  // namespace warden::jwt

template <>
struct boost::system::is_error_code_enum<warden::jwt::errc> : std::true_type {};
