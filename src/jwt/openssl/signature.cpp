#include "jwt/openssl/signature.hpp"

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <warden/jwt/errc.hpp>

#include "jwt/openssl/ecdsa_signature.hpp"
#include "jwt/openssl/handles.hpp"

namespace warden::jwt::openssl {
namespace {

EVP_MD const* digest_of(algorithm alg) noexcept {
    switch (alg) {
        case algorithm::rs256:
        case algorithm::ps256:
        case algorithm::es256:
            return EVP_sha256();
        case algorithm::rs384:
        case algorithm::ps384:
        case algorithm::es384:
            return EVP_sha384();
        case algorithm::rs512:
        case algorithm::ps512:
        case algorithm::es512:
            return EVP_sha512();
        default:
            return nullptr;  // EdDSA hashes internally; HS* never gets here
    }
}

bool is_pss(algorithm alg) noexcept {
    return alg == algorithm::ps256 || alg == algorithm::ps384 || alg == algorithm::ps512;
}

bool is_rsa(algorithm alg) noexcept {
    return is_pss(alg) || alg == algorithm::rs256 || alg == algorithm::rs384 ||
           alg == algorithm::rs512;
}

// RFC 7518 §3.5: PSS with MGF1 over the same hash and a salt as long as the hash.
bool configure_padding(EVP_PKEY_CTX* pctx, algorithm alg) noexcept {
    if (is_pss(alg)) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
               EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digest_of(alg)) == 1 &&
               EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, static_cast<int>(hash_size(alg))) == 1;
    }
    if (is_rsa(alg)) return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    return true;
}

std::size_t signature_size(EVP_PKEY* key, algorithm alg) noexcept {
    if (alg == algorithm::eddsa) return 64;
    if (std::size_t const field = ecdsa_field_size(alg); field != 0) return 2 * field;
    int const size = EVP_PKEY_get_size(key);  // RSA: the modulus size
    return size > 0 ? static_cast<std::size_t>(size) : 0;
}

}  // namespace

std::size_t ecdsa_field_size(algorithm alg) noexcept {
    switch (alg) {
        case algorithm::es256:
            return 32;
        case algorithm::es384:
            return 48;
        case algorithm::es512:
            return 66;
        default:
            return 0;
    }
}

bool verify_signature(EVP_PKEY* key, algorithm alg, std::string_view data,
                      std::string_view sig) noexcept {
    if (key == nullptr || is_symmetric(alg)) return false;
    if (sig.size() != signature_size(key, alg)) return false;
    std::string der;
    if (ecdsa_field_size(alg) != 0) {
        try {
            auto converted = ecdsa_raw_to_der(sig);
            if (!converted) return false;
            der = std::move(*converted);
        } catch (...) {  // allocation failure: refuse rather than throw through noexcept
            return false;
        }
        sig = der;
    }
    md_ctx_ptr const ctx{EVP_MD_CTX_new()};
    EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
    bool const ok =
        ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, digest_of(alg), nullptr, key) == 1 &&
        configure_padding(pctx, alg) &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<unsigned char const*>(sig.data()), sig.size(),
                         reinterpret_cast<unsigned char const*>(data.data()), data.size()) == 1;
    if (!ok) clear_errors();
    return ok;
}

result<std::string> sign(EVP_PKEY* key, algorithm alg, std::string_view data) {
    if (key == nullptr || is_symmetric(alg)) return make_error_code(errc::crypto_failure);
    md_ctx_ptr const ctx{EVP_MD_CTX_new()};
    EVP_PKEY_CTX* pctx = nullptr;
    auto const* tbs = reinterpret_cast<unsigned char const*>(data.data());
    std::size_t size = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digest_of(alg), nullptr, key) != 1 ||
        !configure_padding(pctx, alg) ||
        EVP_DigestSign(ctx.get(), nullptr, &size, tbs, data.size()) != 1) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    std::string sig(size, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size, tbs,
                       data.size()) != 1) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    sig.resize(size);
    if (std::size_t const field = ecdsa_field_size(alg); field != 0) {
        return ecdsa_der_to_raw(sig, field);
    }
    return sig;
}

}  // namespace warden::jwt::openssl
