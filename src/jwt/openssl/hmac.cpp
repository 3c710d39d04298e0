#include "jwt/openssl/hmac.hpp"

#include <functional>
#include <thread>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <warden/core/constant_time.hpp>
#include <warden/jwt/errc.hpp>

namespace warden::jwt::openssl {
namespace {

constexpr std::size_t pool_slots = 16;

char const* digest_name(hash h) noexcept {
    switch (h) {
        case hash::sha256: return "SHA256";
        case hash::sha384: return "SHA384";
        case hash::sha512: return "SHA512";
    }
    return "SHA256";
}

// Each thread starts its search at its own slot, so threads mostly find "their" context.
std::size_t home_slot() noexcept {
    thread_local std::size_t const slot = std::hash<std::thread::id>{}(std::this_thread::get_id());
    return slot;
}

}  // namespace

struct hmac::pool {
    mac_ctx_ptr keyed;  // the template: keyed once, never used directly
    struct alignas(64) slot {
        std::atomic<EVP_MAC_CTX*> ctx{nullptr};
    };
    mutable std::array<slot, pool_slots> slots{};

    ~pool() {
        for (auto& s : slots) EVP_MAC_CTX_free(s.ctx.load());
    }

    EVP_MAC_CTX* acquire() const noexcept {
        std::size_t const start = home_slot();
        for (std::size_t i = 0; i < pool_slots; ++i) {
            auto& s = slots[(start + i) % pool_slots];
            if (s.ctx.load(std::memory_order_relaxed) == nullptr) continue;
            if (EVP_MAC_CTX* c = s.ctx.exchange(nullptr, std::memory_order_acquire)) return c;
        }
        return EVP_MAC_CTX_dup(keyed.get());
    }

    void release(EVP_MAC_CTX* c) const noexcept {
        std::size_t const start = home_slot();
        for (std::size_t i = 0; i < pool_slots; ++i) {
            auto& s = slots[(start + i) % pool_slots];
            EVP_MAC_CTX* expected = nullptr;
            if (s.ctx.compare_exchange_strong(expected, c, std::memory_order_release,
                                              std::memory_order_relaxed)) {
                return;
            }
        }
        EVP_MAC_CTX_free(c);  // more concurrent callers than slots: drop the spare
    }
};

hmac::hmac(std::unique_ptr<pool> p, std::size_t size) noexcept : pool_(std::move(p)), size_(size) {}
hmac::hmac(hmac&&) noexcept = default;
hmac& hmac::operator=(hmac&&) noexcept = default;
hmac::~hmac() = default;

result<hmac> hmac::create(hash h, std::string_view key) {
    mac_ptr const mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
    if (!mac) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    auto p = std::make_unique<pool>();
    p->keyed.reset(EVP_MAC_CTX_new(mac.get()));
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name(h)), 0),
        OSSL_PARAM_construct_end()};
    // EVP_MAC_init refuses a NULL key pointer even for length 0; any valid address will do.
    static unsigned char const empty = 0;
    auto const* bytes = key.empty() ? &empty : reinterpret_cast<unsigned char const*>(key.data());
    if (!p->keyed || EVP_MAC_init(p->keyed.get(), bytes, key.size(), params) != 1) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    return hmac{std::move(p), hash_bytes(h)};
}

bool hmac::compute(std::string_view data, unsigned char* out) const noexcept {
    EVP_MAC_CTX* const ctx = pool_->acquire();
    if (ctx == nullptr) {
        clear_errors();
        return false;
    }
    std::size_t written = 0;
    // init with a NULL key re-uses the key already set: no re-keying per call.
    bool const ok = EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
                    EVP_MAC_update(ctx, reinterpret_cast<unsigned char const*>(data.data()),
                                   data.size()) == 1 &&
                    EVP_MAC_final(ctx, out, &written, max_size) == 1 && written == size_;
    if (!ok) {
        clear_errors();
        EVP_MAC_CTX_free(ctx);
        return false;
    }
    pool_->release(ctx);
    return true;
}

bool hmac::verify(std::string_view data, std::string_view tag) const noexcept {
    // JWS HS* never truncates (RFC 7518 §3.2): the tag must be the full MAC.
    if (tag.size() != size_) return false;
    unsigned char mac[max_size];
    if (!compute(data, mac)) return false;
    bool const equal =
        constant_time_equal(std::string_view{reinterpret_cast<char const*>(mac), size_}, tag);
    // The MAC of attacker-chosen input is a valid tag for it: leave no copy on the stack.
    OPENSSL_cleanse(mac, sizeof mac);
    return equal;
}

}  // namespace warden::jwt::openssl
