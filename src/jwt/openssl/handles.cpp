#include "jwt/openssl/handles.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

namespace warden::jwt::openssl {

void pkey_deleter::operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
void pkey_ctx_deleter::operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
void md_ctx_deleter::operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
void mac_deleter::operator()(EVP_MAC* p) const noexcept { EVP_MAC_free(p); }
void mac_ctx_deleter::operator()(EVP_MAC_CTX* p) const noexcept { EVP_MAC_CTX_free(p); }
void bio_deleter::operator()(BIO* p) const noexcept { BIO_free_all(p); }
void bn_deleter::operator()(BIGNUM* p) const noexcept { BN_clear_free(p); }
void ecdsa_sig_deleter::operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
void param_bld_deleter::operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
void params_deleter::operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
void decoder_ctx_deleter::operator()(OSSL_DECODER_CTX* p) const noexcept {
    OSSL_DECODER_CTX_free(p);
}

void clear_errors() noexcept { ERR_clear_error(); }

}  // namespace warden::jwt::openssl
