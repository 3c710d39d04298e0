// JWK import and export (RFC 7517, RFC 7518 §6, RFC 8037 §2) and thumbprints (RFC 7638).
#include <array>
#include <boost/json/string.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/digest.hpp>
#include <warden/core/json.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/key.hpp>

#include "jwt/key_impl.hpp"

namespace warden::jwt {
namespace {

namespace json = boost::json;

// A string member: nullopt when absent; an error when present but not a string.
result<std::optional<std::string_view>> string_member(json::object const& o,
                                                      std::string_view name) {
    auto const* v = o.if_contains(name);
    if (v == nullptr) return std::optional<std::string_view>{};
    if (!v->is_string()) return make_error_code(errc::invalid_key);
    return std::optional<std::string_view>{std::string_view{v->get_string()}};
}

// A base64url member decoded to bytes (empty when absent and not required).
result<std::string> bytes_member(json::object const& o, std::string_view name, bool required) {
    auto s = string_member(o, name);
    if (!s) return s.error();
    if (!*s) {
        if (required) return make_error_code(errc::invalid_key);
        return std::string{};
    }
    auto decoded = base64url_decode(**s);
    if (!decoded) return make_error_code(errc::invalid_key);
    return std::move(*decoded);
}

result<secret_bytes> secret_member(json::object const& o, std::string_view name) {
    auto b = bytes_member(o, name, false);
    if (!b) return b.error();
    return secret_bytes{std::move(*b)};
}

struct key_permissions {
    bool sign = true;
    bool verify = true;
};

// RFC 7517 §4.2-4.3: a signature key's `use` is "sig"; `key_ops` lists distinct operations, and
// here only "sign" and "verify" make sense.
result<key_permissions> permissions(json::object const& jwk) {
    auto use = string_member(jwk, "use");
    if (!use) return use.error();
    if (*use && **use != "sig") return make_error_code(errc::key_use_mismatch);
    key_permissions out;
    auto const* ops = jwk.if_contains("key_ops");
    if (ops == nullptr) return out;
    if (!ops->is_array()) return make_error_code(errc::invalid_key);
    out = {false, false};
    auto const& list = ops->get_array();
    if (list.empty()) return make_error_code(errc::key_use_mismatch);
    for (auto const& op : list) {
        if (!op.is_string()) return make_error_code(errc::invalid_key);
        std::string_view const name = op.get_string();
        bool* flag = name == "sign" ? &out.sign : name == "verify" ? &out.verify : nullptr;
        if (flag == nullptr) return make_error_code(errc::key_use_mismatch);
        if (*flag) return make_error_code(errc::invalid_key);  // duplicate operation
        *flag = true;
    }
    return out;
}

result<algorithm> resolve_algorithm(json::object const& jwk, std::string_view kty,
                                    std::optional<algorithm> requested) {
    auto alg_name = string_member(jwk, "alg");
    if (!alg_name) return alg_name.error();
    std::optional<algorithm> declared;
    if (*alg_name) {
        declared = algorithm_from_string(**alg_name);
        // "none", "ES521", "A256GCM", "RSA1_5"...: not a JWS algorithm this library signs with.
        if (!declared) return make_error_code(errc::unsupported_key);
    }
    if (declared && requested && *declared != *requested) {
        return make_error_code(errc::key_alg_mismatch);
    }
    if (declared) return *declared;
    if (requested) return *requested;
    // Only the curve can imply the algorithm: ES* and EdDSA each have one per curve.
    auto crv = string_member(jwk, "crv");
    if (!crv) return crv.error();
    if (kty == "EC" && *crv) {
        if (**crv == "P-256") return algorithm::es256;
        if (**crv == "P-384") return algorithm::es384;
        if (**crv == "P-521") return algorithm::es512;
        return make_error_code(errc::unsupported_key);
    }
    if (kty == "OKP" && *crv) {
        if (**crv == "Ed25519") return algorithm::eddsa;
        return make_error_code(errc::unsupported_key);
    }
    return make_error_code(errc::missing_algorithm);
}

key_type type_of_kty(std::string_view kty, bool& known) noexcept {
    known = true;
    if (kty == "oct") return key_type::oct;
    if (kty == "RSA") return key_type::rsa;
    if (kty == "EC") return key_type::ec;
    if (kty == "OKP") return key_type::okp;
    known = false;
    return key_type::oct;
}

result<openssl::pkey_ptr> rsa_from_jwk(json::object const& jwk) {
    if (jwk.contains("oth")) return make_error_code(errc::unsupported_key);  // multi-prime
    openssl::rsa_params params;
    auto n = bytes_member(jwk, "n", true);
    if (!n) return n.error();
    auto e = bytes_member(jwk, "e", true);
    if (!e) return e.error();
    params.n = std::move(*n);
    params.e = std::move(*e);
    std::array<std::pair<secret_bytes*, std::string_view>, 6> const privates{{
        {&params.d, "d"},
        {&params.p, "p"},
        {&params.q, "q"},
        {&params.dp, "dp"},
        {&params.dq, "dq"},
        {&params.qi, "qi"},
    }};
    for (auto const& [field, name] : privates) {
        auto value = secret_member(jwk, name);
        if (!value) return value.error();
        *field = std::move(*value);
    }
    return openssl::rsa_from_params(params);
}

result<openssl::pkey_ptr> ec_from_jwk(json::object const& jwk, algorithm alg) {
    auto crv = string_member(jwk, "crv");
    if (!crv) return crv.error();
    if (!*crv) return make_error_code(errc::invalid_key);
    if (**crv != curve_of(alg)) return make_error_code(errc::key_alg_mismatch);
    auto x = bytes_member(jwk, "x", true);
    if (!x) return x.error();
    auto y = bytes_member(jwk, "y", true);
    if (!y) return y.error();
    auto d = secret_member(jwk, "d");
    if (!d) return d.error();
    return openssl::ec_from_params(**crv, *x, *y, *d);
}

result<openssl::pkey_ptr> okp_from_jwk(json::object const& jwk) {
    auto crv = string_member(jwk, "crv");
    if (!crv) return crv.error();
    if (!*crv) return make_error_code(errc::invalid_key);
    if (**crv != "Ed25519") return make_error_code(errc::unsupported_key);  // X25519, Ed448
    auto x = bytes_member(jwk, "x", true);
    if (!x) return x.error();
    auto d = secret_member(jwk, "d");
    if (!d) return d.error();
    return openssl::ed25519_from_params(*x, *d);
}

}  // namespace

result<key> key::from_jwk(json::object const& jwk, std::optional<algorithm> alg) {
    auto kty = string_member(jwk, "kty");
    if (!kty) return kty.error();
    if (!*kty) return make_error_code(errc::invalid_key);
    bool known = false;
    key_type const type = type_of_kty(**kty, known);
    if (!known) return make_error_code(errc::unsupported_key);
    auto resolved = resolve_algorithm(jwk, **kty, alg);
    if (!resolved) return resolved.error();
    if (key_type_of(*resolved) != type) return make_error_code(errc::key_alg_mismatch);
    auto perms = permissions(jwk);
    if (!perms) return perms.error();
    auto kid = string_member(jwk, "kid");
    if (!kid) return kid.error();
    std::string kid_value{kid->value_or(std::string_view{})};

    if (type == key_type::oct) {
        auto k = secret_member(jwk, "k");
        if (!k) return k.error();
        if (!jwk.contains("k")) return make_error_code(errc::invalid_key);
        return make_symmetric_key(*resolved, *k, std::move(kid_value), perms->sign, perms->verify);
    }

    result<openssl::pkey_ptr> pkey = make_error_code(errc::unsupported_key);
    switch (type) {
        case key_type::rsa:
            pkey = rsa_from_jwk(jwk);
            break;
        case key_type::ec:
            pkey = ec_from_jwk(jwk, *resolved);
            break;
        case key_type::okp:
            pkey = okp_from_jwk(jwk);
            break;
        case key_type::oct:
            break;
    }
    if (!pkey) return pkey.error();
    auto made = make_asymmetric_key(*resolved, std::move(*pkey), std::move(kid_value), perms->sign,
                                    perms->verify);
    if (!made) return made.error();
    if (!made->can_sign() && !made->can_verify()) return make_error_code(errc::key_use_mismatch);
    return made;
}

result<key> key::from_jwk(std::string_view jwk_json, std::optional<algorithm> alg) {
    auto parsed = parse_json_strict(jwk_json);
    if (!parsed) return make_error_code(errc::bad_json);
    if (!parsed->is_object()) return make_error_code(errc::invalid_key);
    return from_jwk(parsed->get_object(), alg);
}

result<json::object> key::public_jwk() const {
    if (is_symmetric()) return make_error_code(errc::not_exportable);
    json::object jwk;
    EVP_PKEY* const pkey = impl_->pkey.get();
    switch (impl_->info.type) {
        case key_type::rsa: {
            auto p = openssl::rsa_public_params(pkey);
            if (!p) return p.error();
            jwk["kty"] = "RSA";
            jwk["n"] = base64url_encode(p->n);
            jwk["e"] = base64url_encode(p->e);
            break;
        }
        case key_type::ec: {
            std::size_t const field = impl_->alg == algorithm::es256   ? 32
                                      : impl_->alg == algorithm::es384 ? 48
                                                                       : 66;
            auto p = openssl::ec_public_params(pkey, field);
            if (!p) return p.error();
            jwk["kty"] = "EC";
            jwk["crv"] = curve_of(impl_->alg);
            jwk["x"] = base64url_encode(p->x);
            jwk["y"] = base64url_encode(p->y);
            break;
        }
        case key_type::okp: {
            auto x = openssl::ed25519_public_param(pkey);
            if (!x) return x.error();
            jwk["kty"] = "OKP";
            jwk["crv"] = "Ed25519";
            jwk["x"] = base64url_encode(*x);
            break;
        }
        case key_type::oct:
            return make_error_code(errc::not_exportable);
    }
    jwk["alg"] = to_string(impl_->alg);
    jwk["use"] = "sig";
    if (!impl_->kid.empty()) jwk["kid"] = impl_->kid;
    return jwk;
}

result<std::string> key::thumbprint() const {
    auto jwk = public_jwk();
    if (!jwk) return jwk.error();
    // RFC 7638 §3.2: the required members only, in lexicographic order, no whitespace. Every
    // value is a base64url string or a fixed name, so no JSON escaping is needed.
    std::string canonical = "{";
    auto member = [&](std::string_view name) {
        if (canonical.size() > 1) canonical += ',';
        canonical += '"';
        canonical.append(name);
        canonical.append("\":\"");
        canonical.append(std::string_view{jwk->at(name).get_string()});
        canonical += '"';
    };
    switch (impl_->info.type) {
        case key_type::rsa:
            for (auto const* name : {"e", "kty", "n"}) member(name);
            break;
        case key_type::ec:
            for (auto const* name : {"crv", "kty", "x", "y"}) member(name);
            break;
        case key_type::okp:
            for (auto const* name : {"crv", "kty", "x"}) member(name);
            break;
        case key_type::oct:
            return make_error_code(errc::not_exportable);
    }
    canonical += '}';
    return base64url_encode(sha256(canonical));
}

}  // namespace warden::jwt
