#include <boost/json/serialize.hpp>
#include <warden/core/base64url.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/signer.hpp>

#include "jwt/base64url.hpp"
#include "jwt/key_impl.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

// The registered claims the signer refuses to write with the wrong type (the verifier would
// refuse the token anyway).
bool registered_types_ok(json::object const& claims) noexcept {
    for (std::string_view const name : {"exp", "nbf", "iat"}) {
        auto const* v = claims.if_contains(name);
        if (v != nullptr && !v->is_number()) return false;
    }
    for (std::string_view const name : {"iss", "sub", "jti"}) {
        auto const* v = claims.if_contains(name);
        if (v != nullptr && !v->is_string()) return false;
    }
    if (auto const* aud = claims.if_contains("aud")) {
        if (aud->is_array()) {
            for (auto const& a : aud->get_array()) {
                if (!a.is_string()) return false;
            }
        } else if (!aud->is_string()) {
            return false;
        }
    }
    return true;
}

}  // namespace

struct signer::state {
    key signing_key;
    std::string header_b64;  // with the trailing '.'
};

result<signer> signer::create(key k, signer_options const& options) {
    auto const& impl = key_access::impl(k);
    if (!impl.info.has_private) return make_error_code(errc::missing_private_key);
    if (!impl.can_sign) return make_error_code(errc::key_use_mismatch);
    // Members in sorted order, as PyJWT writes them: verifiers that memoise common headers
    // (ours does) see the same bytes from both.
    json::object header;
    header["alg"] = to_string(impl.alg);
    if (options.include_kid && !impl.kid.empty()) header["kid"] = impl.kid;
    if (!options.typ.empty()) header["typ"] = options.typ;
    std::string header_b64 = base64url_encode(json::serialize(header));
    header_b64 += '.';
    return signer{std::make_shared<state const>(state{std::move(k), std::move(header_b64)})};
}

result<std::string> signer::sign(json::object const& claims) const {
    if (!registered_types_ok(claims)) return make_error_code(errc::claim_wrong_type);
    return sign_payload(json::serialize(claims));
}

result<std::string> signer::sign_payload(std::string_view payload) const {
    auto const& impl = key_access::impl(state_->signing_key);
    std::string token;
    std::size_t const payload_size = detail::base64url_encoded_size(payload.size());
    token.reserve(state_->header_b64.size() + payload_size + 1 + 700);
    token = state_->header_b64;
    std::size_t const at = token.size();
    token.resize(at + payload_size);
    detail::base64url_encode(payload, token.data() + at);
    auto sig = impl.sign(token);
    if (!sig) return sig.error();
    std::size_t const sig_at = token.size() + 1;
    token += '.';
    token.resize(sig_at + detail::base64url_encoded_size(sig->size()));
    detail::base64url_encode(*sig, token.data() + sig_at);
    return token;
}

key const& signer::signing_key() const noexcept { return state_->signing_key; }

}  // namespace warden::jwt
