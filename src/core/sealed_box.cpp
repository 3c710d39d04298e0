#include <warden/core/sealed_box.hpp>

#include <limits>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <warden/core/condition.hpp>
#include <warden/core/random.hpp>

namespace warden {
namespace {

class seal_category_impl final : public boost::system::error_category {
  public:
    constexpr seal_category_impl() noexcept : error_category(0x51a7ed0b0c5e3a11ULL) {}
    [[nodiscard]] char const* name() const noexcept override { return "warden.sealed_box"; }
    [[nodiscard]] std::string message(int value) const override {
        switch (static_cast<seal_errc>(value)) {
            case seal_errc::bad_key_size:
                return "the sealing key is not 32 bytes";
            case seal_errc::too_short:
                return "the sealed value is too short";
            case seal_errc::not_authentic:
                return "the sealed value does not open with this key (altered, or sealed under "
                       "another key)";
            case seal_errc::crypto_failure:
                return "AES-256-GCM failed";
        }
        return "unknown sealing error";
    }
    [[nodiscard]] boost::system::error_condition default_error_condition(
        int value) const noexcept override {
        switch (static_cast<seal_errc>(value)) {
            case seal_errc::bad_key_size:
            case seal_errc::too_short:
            case seal_errc::not_authentic:
                return condition::invalid_configuration;
            case seal_errc::crypto_failure:
                return condition::internal;
        }
        return {value, *this};
    }
};

struct cipher_ctx_free {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, cipher_ctx_free>;

unsigned char const* bytes(std::string_view text) noexcept {
    return reinterpret_cast<unsigned char const*>(text.data());
}
unsigned char* bytes(std::string& text) noexcept {
    return reinterpret_cast<unsigned char*>(text.data());
}

bool fits_int(std::size_t n) noexcept {
    return n <= static_cast<std::size_t>(std::numeric_limits<int>::max());
}

/// A context keyed for AES-256-GCM with a 96-bit nonce and `associated_data` fed in.
cipher_ctx start(bool encrypt, secret_bytes const& key, std::string_view nonce,
                 std::string_view associated_data) {
    cipher_ctx ctx{EVP_CIPHER_CTX_new()};
    if (!ctx) return nullptr;
    int (*const init)(EVP_CIPHER_CTX*, EVP_CIPHER const*, ENGINE*, unsigned char const*,
                      unsigned char const*) = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
    int (*const update)(EVP_CIPHER_CTX*, unsigned char*, int*, unsigned char const*, int) =
        encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
    int ignored = 0;
    if (init(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                            nullptr) != 1 ||
        init(ctx.get(), nullptr, nullptr, bytes(key.view()), bytes(nonce)) != 1 ||
        (!associated_data.empty() && update(ctx.get(), nullptr, &ignored, bytes(associated_data),
                                            static_cast<int>(associated_data.size())) != 1)) {
        return nullptr;
    }
    return ctx;
}

}  // namespace

boost::system::error_category const& seal_category() noexcept {
    static constexpr seal_category_impl instance;
    return instance;
}

result<std::string> seal(secret_bytes const& key, std::string_view plaintext,
                         std::string_view associated_data) {
    if (key.size() != seal_key_size) return make_error_code(seal_errc::bad_key_size);
    if (!fits_int(plaintext.size()) || !fits_int(associated_data.size()))
        return make_error_code(seal_errc::crypto_failure);
    auto nonce = random_bytes(seal_nonce_size);
    if (!nonce) return nonce.error();
    auto ctx = start(true, key, *nonce, associated_data);
    if (!ctx) return make_error_code(seal_errc::crypto_failure);
    std::string out = std::move(*nonce);
    out.resize(seal_nonce_size + plaintext.size() + seal_tag_size);
    int written = 0;
    int final_bytes = 0;
    if ((!plaintext.empty() &&
         EVP_EncryptUpdate(ctx.get(), bytes(out) + seal_nonce_size, &written, bytes(plaintext),
                           static_cast<int>(plaintext.size())) != 1) ||
        EVP_EncryptFinal_ex(ctx.get(), bytes(out) + seal_nonce_size + written, &final_bytes) != 1 ||
        static_cast<std::size_t>(written + final_bytes) != plaintext.size() ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(seal_tag_size),
                            bytes(out) + seal_nonce_size + plaintext.size()) != 1) {
        return make_error_code(seal_errc::crypto_failure);
    }
    return out;
}

result<secret_bytes> open_sealed(secret_bytes const& key, std::string_view sealed,
                                 std::string_view associated_data) {
    if (key.size() != seal_key_size) return make_error_code(seal_errc::bad_key_size);
    if (sealed.size() < seal_overhead) return make_error_code(seal_errc::too_short);
    if (!fits_int(sealed.size()) || !fits_int(associated_data.size()))
        return make_error_code(seal_errc::crypto_failure);
    auto const nonce = sealed.substr(0, seal_nonce_size);
    auto const ciphertext = sealed.substr(seal_nonce_size, sealed.size() - seal_overhead);
    std::string tag{sealed.substr(sealed.size() - seal_tag_size)};
    auto ctx = start(false, key, nonce, associated_data);
    if (!ctx) return make_error_code(seal_errc::crypto_failure);
    std::string plain(ciphertext.size(), '\0');
    int written = 0;
    if (!ciphertext.empty() &&
        EVP_DecryptUpdate(ctx.get(), bytes(plain), &written, bytes(ciphertext),
                          static_cast<int>(ciphertext.size())) != 1) {
        OPENSSL_cleanse(plain.data(), plain.size());
        return make_error_code(seal_errc::crypto_failure);
    }
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(seal_tag_size),
                            tag.data()) != 1) {
        OPENSSL_cleanse(plain.data(), plain.size());
        return make_error_code(seal_errc::crypto_failure);
    }
    int final_bytes = 0;
    // The tag is checked here: nothing decrypted is handed out unless it matches.
    if (EVP_DecryptFinal_ex(ctx.get(), bytes(plain) + written, &final_bytes) != 1) {
        OPENSSL_cleanse(plain.data(), plain.size());
        return make_error_code(seal_errc::not_authentic);
    }
    return secret_bytes{std::move(plain)};
}

}  // namespace warden
