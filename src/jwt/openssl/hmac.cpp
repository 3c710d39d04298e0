#include "jwt/openssl/hmac.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>
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

// Pool ids are never reused, so a thread's cache entry can never match a later key.
std::atomic<std::uint64_t> next_pool_id{1};

}  // namespace

struct hmac::pool {
    std::uint64_t const id = next_pool_id.fetch_add(1, std::memory_order_relaxed);
    mac_ctx_ptr keyed;  // the template: keyed once, only duplicated
    std::mutex mutex;
    std::vector<EVP_MAC_CTX*> all;   // every context made from `keyed`; freed (cleansed) with it
    std::vector<EVP_MAC_CTX*> idle;  // contexts no thread holds

    pool() = default;
    pool(pool const&) = delete;
    pool& operator=(pool const&) = delete;
    ~pool() {
        // Contexts still named by other threads' caches are freed here too; those entries carry
        // this pool's id, which no later pool has, so they are never used again.
        for (EVP_MAC_CTX* c : all) EVP_MAC_CTX_free(c);
    }

    EVP_MAC_CTX* take() noexcept {
        std::lock_guard const lock{mutex};
        if (!idle.empty()) {
            EVP_MAC_CTX* c = idle.back();
            idle.pop_back();
            return c;
        }
        EVP_MAC_CTX* c = EVP_MAC_CTX_dup(keyed.get());
        if (c == nullptr) return nullptr;
        try {
            all.reserve(all.size() + 1);
            idle.reserve(all.size() + 1);  // so give_back never allocates
        } catch (...) {
            EVP_MAC_CTX_free(c);
            return nullptr;
        }
        all.push_back(c);
        return c;
    }

    void give_back(EVP_MAC_CTX* c) noexcept {
        std::lock_guard const lock{mutex};
        idle.push_back(c);
    }
};

namespace {

// The contexts this thread holds, a few keys at a time. Entries name their pool weakly: a context
// goes back to its pool when evicted or when the thread ends, unless the pool is gone already.
struct thread_cache {
    struct entry {
        std::uint64_t id = 0;
        EVP_MAC_CTX* ctx = nullptr;
        std::weak_ptr<hmac::pool> owner;
    };
    std::array<entry, 4> entries{};
    std::size_t next_victim = 0;

    thread_cache() = default;
    thread_cache(thread_cache const&) = delete;
    thread_cache& operator=(thread_cache const&) = delete;
    ~thread_cache() {
        for (auto& e : entries) release(e);
    }
    static void release(entry& e) noexcept {
        if (e.ctx != nullptr) {
            if (auto owner = e.owner.lock()) owner->give_back(e.ctx);
        }
        e = entry{};
    }
};

// initial-exec: a plain %fs-relative access on the hot path (the library is linked into programs,
// not dlopen'ed; the object is small enough for the static TLS reserve if it ever is).
__attribute__((tls_model("initial-exec"))) thread_local thread_cache cache;

}  // namespace

hmac::hmac(std::shared_ptr<pool> p, std::size_t size) noexcept : pool_(std::move(p)), size_(size) {}
hmac::hmac(hmac&&) noexcept = default;
hmac& hmac::operator=(hmac&&) noexcept = default;
hmac::~hmac() = default;

result<hmac> hmac::create(hash h, std::string_view key) {
    mac_ptr const mac{EVP_MAC_fetch(nullptr, "HMAC", nullptr)};
    if (!mac) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    auto p = std::make_shared<pool>();
    p->keyed.reset(EVP_MAC_CTX_new(mac.get()));
    std::array<OSSL_PARAM, 2> const params{
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest_name(h)),
                                         0),
        OSSL_PARAM_construct_end()};
    // EVP_MAC_init refuses a NULL key pointer even for length 0; any valid address will do.
    static unsigned char const empty = 0;
    auto const* bytes = key.empty() ? &empty : reinterpret_cast<unsigned char const*>(key.data());
    if (!p->keyed || EVP_MAC_init(p->keyed.get(), bytes, key.size(), params.data()) != 1) {
        clear_errors();
        return make_error_code(errc::crypto_failure);
    }
    return hmac{std::move(p), hash_bytes(h)};
}

bool hmac::compute(std::string_view data, unsigned char* out) const noexcept {
    auto& tc = cache;
    EVP_MAC_CTX* ctx = nullptr;
    for (auto const& e : tc.entries) {
        if (e.id == pool_->id) {
            ctx = e.ctx;
            break;
        }
    }
    if (ctx == nullptr) {
        ctx = pool_->take();
        if (ctx == nullptr) {
            clear_errors();
            return false;
        }
        auto& victim = tc.entries[tc.next_victim++ % tc.entries.size()];
        thread_cache::release(victim);
        victim.id = pool_->id;
        victim.ctx = ctx;
        victim.owner = pool_;
    }
    std::size_t written = 0;
    // init with a NULL key re-uses the key already set: no re-keying per call.
    bool const ok = EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 &&
                    EVP_MAC_update(ctx, reinterpret_cast<unsigned char const*>(data.data()),
                                   data.size()) == 1 &&
                    EVP_MAC_final(ctx, out, &written, max_size) == 1 && written == size_;
    if (!ok) clear_errors();  // the context stays usable: every call starts with EVP_MAC_init
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
