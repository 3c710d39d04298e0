#include "jwt/openssl/ecdsa_signature.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>

#include <limits>
#include <warden/jwt/errc.hpp>

#include "jwt/openssl/handles.hpp"

namespace warden::jwt::openssl {

result<std::string> ecdsa_raw_to_der(std::string_view raw) {
    if (raw.empty() || raw.size() % 2 != 0 ||
        raw.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return make_error_code(errc::bad_signature);
    }
    int const half = static_cast<int>(raw.size() / 2);
    auto const* bytes = reinterpret_cast<unsigned char const*>(raw.data());
    bn_ptr r{BN_bin2bn(bytes, half, nullptr)};
    bn_ptr s{BN_bin2bn(bytes + half, half, nullptr)};
    ecdsa_sig_ptr sig{ECDSA_SIG_new()};
    if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    (void)r.release();  // owned by sig now
    (void)s.release();
    int const size = i2d_ECDSA_SIG(sig.get(), nullptr);
    if (size <= 0) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    std::string der(static_cast<std::size_t>(size), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_ECDSA_SIG(sig.get(), &out) != size) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    return der;
}

result<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t field_size) {
    if (der.size() > static_cast<std::size_t>(std::numeric_limits<long>::max()) ||
        field_size == 0 || field_size > 128) {
        return make_error_code(errc::bad_signature);
    }
    auto const* in = reinterpret_cast<unsigned char const*>(der.data());
    auto const* p = in;
    ecdsa_sig_ptr const sig{d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()))};
    // Exactly one DER value, nothing after it.
    if (!sig || p != in + der.size()) {
        clear_errors();
        return make_error_code(errc::bad_signature);
    }
    BIGNUM const* r = ECDSA_SIG_get0_r(sig.get());
    BIGNUM const* s = ECDSA_SIG_get0_s(sig.get());
    int const width = static_cast<int>(field_size);
    std::string raw(2 * field_size, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    // BN_bn2binpad fails when the number needs more than `width` bytes.
    if (BN_is_negative(r) || BN_is_negative(s) || BN_bn2binpad(r, out, width) != width ||
        BN_bn2binpad(s, out + field_size, width) != width) {
        clear_errors();
        return make_error_code(errc::bad_signature);
    }
    return raw;
}

}  // namespace warden::jwt::openssl
