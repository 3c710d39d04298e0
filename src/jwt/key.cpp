#include <warden/core/random.hpp>
#include <warden/core/utf8.hpp>
#include <warden/jwt/errc.hpp>
#include <warden/jwt/key.hpp>

#include "jwt/key_impl.hpp"
#include "jwt/openssl/signature.hpp"

namespace warden::jwt {
namespace {

openssl::hash hash_of(algorithm alg) noexcept {
    switch (alg) {
        case algorithm::hs384:
            return openssl::hash::sha384;
        case algorithm::hs512:
            return openssl::hash::sha512;
        default:
            return openssl::hash::sha256;
    }
}

}  // namespace

bool key::impl::verify(std::string_view data, std::string_view sig) const noexcept {
    if (mac) return mac->verify(data, sig);
    return openssl::verify_signature(pkey.get(), alg, data, sig);
}

result<std::string> key::impl::sign(std::string_view data) const {
    if (mac) {
        std::string out(mac->size(), '\0');
        if (!mac->compute(data, reinterpret_cast<unsigned char*>(out.data()))) {
            return make_error_code(errc::crypto_failure);
        }
        return out;
    }
    return openssl::sign(pkey.get(), alg, data);
}

std::string_view curve_of(algorithm alg) noexcept {
    switch (alg) {
        case algorithm::es256:
            return "P-256";
        case algorithm::es384:
            return "P-384";
        case algorithm::es512:
            return "P-521";
        default:
            return {};
    }
}

result<key> make_asymmetric_key(algorithm alg, openssl::pkey_ptr pkey, std::string kid,
                                bool may_sign, bool may_verify) {
    if (is_symmetric(alg)) return make_error_code(errc::key_alg_mismatch);
    auto info = openssl::inspect(pkey.get());
    if (!info) return info.error();
    // RFC 8725 §3.1: the key's type (and curve) must be the one its algorithm needs.
    if (info->type != key_type_of(alg)) return make_error_code(errc::key_alg_mismatch);
    if (info->type == key_type::ec && info->curve != curve_of(alg)) {
        return make_error_code(errc::key_alg_mismatch);
    }
    if (info->type == key_type::rsa) {
        if (auto ok = openssl::check_rsa_policy(pkey.get()); !ok) return ok.error();
    }
    if (auto ok = openssl::check_consistency(pkey.get(), *info); !ok) return ok.error();
    auto p = std::make_shared<key::impl>();
    p->alg = alg;
    p->kid = std::move(kid);
    p->can_sign = info->has_private && may_sign;
    p->can_verify = may_verify;
    p->info = *info;
    p->pkey = std::move(pkey);
    return key_access::make(std::move(p));
}

result<key> make_symmetric_key(algorithm alg, secret_bytes const& secret, std::string kid,
                               bool may_sign, bool may_verify) {
    if (!is_symmetric(alg)) return make_error_code(errc::key_alg_mismatch);
    // RFC 7518 §3.2: a key of the same size as the hash output or larger.
    if (secret.size() < hash_size(alg)) return make_error_code(errc::weak_key);
    if (!may_sign && !may_verify) return make_error_code(errc::key_use_mismatch);
    auto mac = openssl::hmac::create(hash_of(alg), secret.view());
    if (!mac) return mac.error();
    auto p = std::make_shared<key::impl>();
    p->alg = alg;
    p->kid = std::move(kid);
    p->can_sign = may_sign;
    p->can_verify = may_verify;
    p->info.type = key_type::oct;
    p->info.bits = static_cast<unsigned>(secret.size() * 8);
    p->info.has_private = true;
    p->mac.emplace(std::move(*mac));
    return key_access::make(std::move(p));
}

result<key> key::from_secret(algorithm alg, secret_bytes const& secret, key_options options) {
    return make_symmetric_key(alg, secret, std::move(options.kid), true, true);
}

result<key> key::from_utf8_secret(algorithm alg, std::string_view secret, key_options options) {
    if (!is_valid_utf8(secret)) return make_error_code(errc::invalid_key);
    return from_secret(alg, secret_bytes{secret}, std::move(options));
}

result<key> key::from_pem(algorithm alg, std::string_view pem, key_options options) {
    // A PEM is never an HMAC secret: that confusion is the classic RS256 -> HS256 attack.
    if (jwt::is_symmetric(alg)) return make_error_code(errc::key_alg_mismatch);
    auto pkey = openssl::from_pem(pem);
    if (!pkey) return pkey.error();
    return make_asymmetric_key(alg, std::move(*pkey), std::move(options.kid), true, true);
}

result<key> key::generate(algorithm alg, key_options options, unsigned rsa_bits) {
    switch (key_type_of(alg)) {
        case key_type::oct: {
            auto bytes = random_bytes(hash_size(alg));
            if (!bytes) return bytes.error();
            return from_secret(alg, secret_bytes{std::move(*bytes)}, std::move(options));
        }
        case key_type::rsa: {
            if (rsa_bits < 2048) return make_error_code(errc::weak_key);
            if (rsa_bits > 16384) return make_error_code(errc::invalid_options);
            auto pkey = openssl::generate_rsa(rsa_bits);
            if (!pkey) return pkey.error();
            return make_asymmetric_key(alg, std::move(*pkey), std::move(options.kid), true, true);
        }
        case key_type::ec: {
            auto pkey = openssl::generate_ec(curve_of(alg));
            if (!pkey) return pkey.error();
            return make_asymmetric_key(alg, std::move(*pkey), std::move(options.kid), true, true);
        }
        case key_type::okp: {
            auto pkey = openssl::generate_ed25519();
            if (!pkey) return pkey.error();
            return make_asymmetric_key(alg, std::move(*pkey), std::move(options.kid), true, true);
        }
    }
    return make_error_code(errc::unsupported_key);
}

algorithm key::alg() const noexcept { return impl_->alg; }
std::string_view key::kid() const noexcept { return impl_->kid; }
bool key::is_symmetric() const noexcept { return impl_->mac.has_value(); }
bool key::can_sign() const noexcept { return impl_->can_sign; }
bool key::can_verify() const noexcept { return impl_->can_verify; }

result<std::string> key::public_pem() const {
    if (is_symmetric()) return make_error_code(errc::not_exportable);
    return openssl::to_public_pem(impl_->pkey.get());
}

result<secret_bytes> key::private_pem() const {
    if (is_symmetric()) return make_error_code(errc::not_exportable);
    if (!impl_->info.has_private) return make_error_code(errc::missing_private_key);
    return openssl::to_private_pem(impl_->pkey.get());
}

result<key> key::public_key() const {
    if (is_symmetric()) return make_error_code(errc::not_exportable);
    auto pub = openssl::public_only(impl_->pkey.get());
    if (!pub) return pub.error();
    auto info = openssl::inspect(pub->get());
    if (!info) return info.error();
    auto p = std::make_shared<impl>();
    p->alg = impl_->alg;
    p->kid = impl_->kid;
    p->can_sign = false;
    p->can_verify = impl_->can_verify;
    p->info = *info;
    p->pkey = std::move(*pub);
    return key{std::move(p)};
}

}  // namespace warden::jwt
