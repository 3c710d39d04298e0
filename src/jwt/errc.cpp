#include <string>
#include <warden/jwt/errc.hpp>

namespace warden::jwt {
namespace {

class jwt_category_impl final : public boost::system::error_category {
  public:
    constexpr jwt_category_impl() noexcept : error_category(0x9a6e3d1c5b7f2050ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.jwt"; }
    // Messages name the failed check only; they never contain token or key content.
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<errc>(value)) {
            case errc::token_too_large:
                return "token exceeds the size limit";
            case errc::malformed:
                return "token is not a compact JWS";
            case errc::bad_base64:
                return "token segment is not base64url";
            case errc::bad_json:
                return "token header or payload is not valid JSON";
            case errc::duplicate_member:
                return "token JSON has a duplicate member";
            case errc::too_deep:
                return "token JSON is nested too deeply";
            case errc::not_an_object:
                return "token header or payload is not a JSON object";
            case errc::bad_header:
                return "token header is invalid";
            case errc::alg_none:
                return "unsecured token (alg none)";
            case errc::alg_not_allowed:
                return "token algorithm not allowed";
            case errc::unknown_crit:
                return "token requires an unsupported extension (crit)";
            case errc::key_not_found:
                return "no key matches the token kid";
            case errc::bad_signature:
                return "token signature is invalid";
            case errc::claim_wrong_type:
                return "token claim has the wrong type";
            case errc::missing_claim:
                return "token lacks a required claim";
            case errc::expired:
                return "token has expired";
            case errc::not_yet_valid:
                return "token is not yet valid";
            case errc::issued_in_future:
                return "token was issued in the future";
            case errc::wrong_issuer:
                return "token issuer is not accepted";
            case errc::wrong_audience:
                return "token audience is not accepted";
            case errc::wrong_typ:
                return "token type is not accepted";
            case errc::invalid_key:
                return "invalid key";
            case errc::unsupported_key:
                return "unsupported key type, curve or algorithm";
            case errc::weak_key:
                return "key is too weak";
            case errc::key_alg_mismatch:
                return "key does not fit the algorithm";
            case errc::missing_algorithm:
                return "key has no algorithm";
            case errc::key_use_mismatch:
                return "key use does not allow this operation";
            case errc::duplicate_kid:
                return "duplicate key id in key set";
            case errc::mixed_key_set:
                return "key set mixes symmetric and asymmetric keys";
            case errc::empty_key_set:
                return "no keys";
            case errc::missing_private_key:
                return "private key required";
            case errc::not_exportable:
                return "symmetric keys have no public form";
            case errc::invalid_options:
                return "invalid options";
            case errc::crypto_failure:
                return "cryptographic library failure";
        }
        return "unknown jwt error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        auto const e = static_cast<errc>(value);
        if (e >= errc::token_too_large && e <= errc::wrong_typ) return condition::invalid_token;
        if (e >= errc::invalid_key && e <= errc::invalid_options) {
            return condition::invalid_configuration;
        }
        if (e == errc::crypto_failure) return condition::internal;
        return {value, *this};
    }
};

}  // namespace

boost::system::error_category const& jwt_category() noexcept {
    static constexpr jwt_category_impl instance;
    return instance;
}

}  // namespace warden::jwt
