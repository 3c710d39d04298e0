#include "jwt/openssl/hmac.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <warden/core/constant_time.hpp>
#include <warden/jwt/errc.hpp>

namespace warden::jwt::openssl {
namespace {

char const* digest_name(hash h) noexcept {
    switch (h) {
        case hash::sha256:
            return "SHA256";
        case hash::sha384:
            return "SHA384";
        case hash::sha512:
            return "SHA512";
    }
    return "SHA256";
}

constexpr std::size_t max_block = 128;  // SHA-384 and SHA-512; SHA-256's is 64

// Each thread's scratch context: EVP_MD_CTX_copy_ex replaces whatever it held, so one serves
// every key and hash. Freed (and cleansed by OpenSSL) when the thread ends.
struct work_context {
    EVP_MD_CTX* ctx = nullptr;
    work_context() = default;
    work_context(work_context const&) = delete;
    work_context& operator=(work_context const&) = delete;
    ~work_context() { EVP_MD_CTX_free(ctx); }
};

// initial-exec: a plain %fs-relative access on the hot path (the library is linked into programs,
// not dlopen'ed).
__attribute__((tls_model("initial-exec"))) thread_local work_context work;

EVP_MD_CTX* work_ctx() noexcept {
    auto& w = work;
    if (w.ctx == nullptr) w.ctx = EVP_MD_CTX_new();
    return w.ctx;
}

// A digest context that has absorbed one block: the key XORed with `pad` (RFC 2104).
md_ctx_ptr pad_state(EVP_MD* md, unsigned char const* key, std::size_t key_size, std::size_t block,
                     unsigned char pad) {
    std::array<unsigned char, max_block> padded;
    for (std::size_t i = 0; i < block; ++i) {
        padded[i] = static_cast<unsigned char>((i < key_size ? key[i] : 0) ^ pad);
    }
    md_ctx_ptr ctx{EVP_MD_CTX_new()};
    bool const ok = ctx && EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1 &&
                    EVP_DigestUpdate(ctx.get(), padded.data(), block) == 1;
    OPENSSL_cleanse(padded.data(), padded.size());
    if (!ok) ctx.reset();
    return ctx;
}

}  // namespace

hmac::hmac(md_ctx_ptr inner, md_ctx_ptr outer, std::size_t size) noexcept
    : inner_(std::move(inner)), outer_(std::move(outer)), size_(size) {}
hmac::hmac(hmac&&) noexcept = default;
hmac& hmac::operator=(hmac&&) noexcept = default;
hmac::~hmac() = default;

result<hmac> hmac::create(hash h, std::string_view key) {
    std::unique_ptr<EVP_MD, decltype(&EVP_MD_free)> const md{
        EVP_MD_fetch(nullptr, digest_name(h), nullptr), &EVP_MD_free};
    auto const fail = [] {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    };
    if (!md) return fail();
    auto const block = static_cast<std::size_t>(EVP_MD_get_block_size(md.get()));
    if (block == 0 || block > max_block) return fail();
    // RFC 2104 §2: a key longer than the block is replaced by its hash.
    std::array<unsigned char, max_size> hashed;
    auto const* bytes = reinterpret_cast<unsigned char const*>(key.data());
    std::size_t size = key.size();
    if (size > block) {
        unsigned int n = 0;
        if (EVP_Digest(key.data(), key.size(), hashed.data(), &n, md.get(), nullptr) != 1) {
            return fail();
        }
        bytes = hashed.data();
        size = n;
    }
    auto inner = pad_state(md.get(), bytes, size, block, 0x36);
    auto outer = pad_state(md.get(), bytes, size, block, 0x5c);
    OPENSSL_cleanse(hashed.data(), hashed.size());
    if (!inner || !outer) return fail();
    return hmac{std::move(inner), std::move(outer), hash_bytes(h)};
}

bool hmac::compute(std::string_view data, unsigned char* out) const noexcept {
    EVP_MD_CTX* const ctx = work_ctx();
    std::array<unsigned char, max_size> inner;
    unsigned int inner_size = 0;
    unsigned int written = 0;
    bool const ok = ctx != nullptr && EVP_MD_CTX_copy_ex(ctx, inner_.get()) == 1 &&
                    EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
                    EVP_DigestFinal_ex(ctx, inner.data(), &inner_size) == 1 &&
                    EVP_MD_CTX_copy_ex(ctx, outer_.get()) == 1 &&
                    EVP_DigestUpdate(ctx, inner.data(), inner_size) == 1 &&
                    EVP_DigestFinal_ex(ctx, out, &written) == 1 && written == size_;
    if (!ok) clear_errors();  // every call starts from a copy: the work context stays usable
    return ok;
}

bool hmac::verify(std::string_view data, std::string_view tag) const noexcept {
    // JWS HS* never truncates (RFC 7518 §3.2): the tag must be the full MAC.
    if (tag.size() != size_) return false;
    std::array<unsigned char, max_size> mac;
    if (!compute(data, mac.data())) return false;
    bool const equal = constant_time_equal(
        std::string_view{reinterpret_cast<char const*>(mac.data()), size_}, tag);
    // The MAC of attacker-chosen input is a valid tag for it: leave no copy on the stack.
    OPENSSL_cleanse(mac.data(), mac.size());
    return equal;
}

}  // namespace warden::jwt::openssl
