#pragma once
// Verifies compact JWS/JWT tokens against configured keys and claim rules (RFC 7515, RFC 7519,
// RFC 8725). The allowed algorithms are those the keys are bound to, never the token's choice:
// `alg:none`, an `alg` no key is bound to, and unknown `crit` extensions are refused; `jku`,
// `x5u`, `jwk` and `x5c` headers are ignored, never followed; `kid` selects among configured
// keys only. Immutable after creation and safe to call from many threads at once.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <warden/core/clock.hpp>
#include <warden/core/result.hpp>
#include <warden/jwt/claims.hpp>
#include <warden/jwt/jws.hpp>
#include <warden/jwt/key_set.hpp>
#include <warden/jwt/limits.hpp>

namespace warden::jwt {

struct verifier_options {
    /// Expected `iss`; empty: `iss` is not compared (it must still be a string when present).
    std::string issuer;
    /// Accepted audiences: the token's `aud` must name one of them. Empty: a token carrying `aud`
    /// is refused (RFC 7519 §4.1.3: a recipient not named must reject).
    std::vector<std::string> audiences;
    /// Expected `typ` header, compared case-insensitively with an optional "application/" prefix
    /// (RFC 7515 §4.1.9), e.g. "JWT" or "at+jwt"; empty: any or none.
    std::string typ;
    /// Claims that must be present. Access tokens need `exp` (the default).
    std::vector<std::string> required_claims{"exp"};
    /// Clock skew tolerated for `exp`, `nbf` and `iat`.
    std::chrono::seconds leeway{30};
    token_limits limits{};
};

class verifier {
  public:
    /// A verifier trusting `keys` (each bound to its algorithm). `clock` must outlive it.
    /// Errors: `empty_key_set`, `key_use_mismatch` (a key whose `key_ops` exclude "verify"),
    /// `invalid_options` (negative leeway, a zero limit), `crypto_failure`.
    [[nodiscard]] static result<verifier> create(key_set keys, verifier_options options,
                                                 warden::clock const& clock);

    /// Verifies a JWT. Errors, in check order: `token_too_large`; `malformed`; for the header
    /// `bad_base64`, `bad_json`, `duplicate_member`, `too_deep`, `not_an_object`, `bad_header`,
    /// `alg_none`, `alg_not_allowed`, `unknown_crit`; `wrong_typ`; `key_not_found`,
    /// `alg_not_allowed` (no key bound to the alg); `bad_base64` (payload, signature);
    /// `bad_signature`; for the payload, only once the signature holds, `bad_json`,
    /// `duplicate_member`, `too_deep`, `not_an_object`; then `claim_wrong_type`, `missing_claim`,
    /// `expired`, `not_yet_valid`, `issued_in_future`, `wrong_issuer`, `wrong_audience`.
    [[nodiscard]] result<claims> verify(std::string_view token) const;

    /// Verifies a compact JWS whose payload may be anything (no claim or `typ` rules). The same
    /// header, key and signature errors as `verify`.
    [[nodiscard]] result<verified_jws> verify_jws(std::string_view token) const;

    /// Verifies a compact JWS with detached content (RFC 7515 Appendix F): the token's payload
    /// segment is empty and `payload` is the content. Errors as `verify_jws`; `malformed` when the
    /// payload segment is not empty.
    [[nodiscard]] result<verified_jws> verify_detached(std::string_view token,
                                                       std::string_view payload) const;

    /// The keys this verifier trusts.
    [[nodiscard]] key_set const& keys() const noexcept;
    /// The options it was created with.
    [[nodiscard]] verifier_options const& options() const noexcept;

    struct state;

  private:
    explicit verifier(std::shared_ptr<state const> s) noexcept : state_(std::move(s)) {}
    std::shared_ptr<state const> state_;
};

}  // namespace warden::jwt
