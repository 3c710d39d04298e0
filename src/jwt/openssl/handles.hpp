#pragma once
// RAII owners for the OpenSSL objects the JWT module uses (unique_ptr with a deleter each).
#include <openssl/types.h>

#include <memory>

// Declared in <openssl/ec.h>; repeated here so this header stays light.
typedef struct ECDSA_SIG_st ECDSA_SIG;

namespace warden::jwt::openssl {

struct pkey_deleter {
    void operator()(EVP_PKEY* p) const noexcept;
};
struct pkey_ctx_deleter {
    void operator()(EVP_PKEY_CTX* p) const noexcept;
};
struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* p) const noexcept;
};
struct mac_deleter {
    void operator()(EVP_MAC* p) const noexcept;
};
struct mac_ctx_deleter {
    void operator()(EVP_MAC_CTX* p) const noexcept;
};
struct bio_deleter {
    void operator()(BIO* p) const noexcept;
};
/// BIGNUMs may hold private exponents and scalars: always cleared before they are freed.
struct bn_deleter {
    void operator()(BIGNUM* p) const noexcept;
};
struct ecdsa_sig_deleter {
    void operator()(ECDSA_SIG* p) const noexcept;
};
struct param_bld_deleter {
    void operator()(OSSL_PARAM_BLD* p) const noexcept;
};
struct params_deleter {
    void operator()(OSSL_PARAM* p) const noexcept;
};
struct decoder_ctx_deleter {
    void operator()(OSSL_DECODER_CTX* p) const noexcept;
};

using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, pkey_ctx_deleter>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;
using mac_ptr = std::unique_ptr<EVP_MAC, mac_deleter>;
using mac_ctx_ptr = std::unique_ptr<EVP_MAC_CTX, mac_ctx_deleter>;
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_deleter>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, ecdsa_sig_deleter>;
using param_bld_ptr = std::unique_ptr<OSSL_PARAM_BLD, param_bld_deleter>;
using params_ptr = std::unique_ptr<OSSL_PARAM, params_deleter>;
using decoder_ctx_ptr = std::unique_ptr<OSSL_DECODER_CTX, decoder_ctx_deleter>;

/// Drops whatever OpenSSL left on this thread's error queue after a failed call, so a refused
/// token or key never leaves stale errors for the next caller on the thread.
void clear_errors() noexcept;

}  // namespace warden::jwt::openssl
