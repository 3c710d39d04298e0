#pragma once
// HMAC-SHA-2 through EVP_MAC with a keyed context prepared once. Each call re-initialises a
// context without re-keying (the cheapest EVP path). Contexts are duplicated from the keyed
// template, one per thread that uses the key, and kept in a small per-thread cache: concurrent
// callers never share one, and a warm call takes no lock, no atomic and no allocation.
#include <cstddef>
#include <memory>
#include <string_view>
#include <warden/core/result.hpp>

#include "jwt/openssl/handles.hpp"

namespace warden::jwt::openssl {

enum class hash { sha256, sha384, sha512 };

[[nodiscard]] constexpr std::size_t hash_bytes(hash h) noexcept {
    return h == hash::sha256 ? 32 : h == hash::sha384 ? 48 : 64;
}

class hmac {
  public:
    static constexpr std::size_t max_size = 64;

    /// A keyed HMAC. Any key length is accepted here (JOSE policy is the caller's); the key
    /// bytes live only inside OpenSSL's context, which cleanses them when freed.
    /// Errors: `errc::crypto_failure`.
    [[nodiscard]] static result<hmac> create(hash h, std::string_view key);

    hmac(hmac&&) noexcept;
    hmac& operator=(hmac&&) noexcept;
    ~hmac();

    /// Writes the full MAC of `data` to `out` (hash_bytes(h) bytes). False if OpenSSL fails.
    [[nodiscard]] bool compute(std::string_view data, unsigned char* out) const noexcept;

    /// True when `tag` is exactly the full MAC of `data` (constant-time comparison).
    [[nodiscard]] bool verify(std::string_view data, std::string_view tag) const noexcept;

    [[nodiscard]] std::size_t size() const noexcept { return size_; }

    struct pool;  // the keyed template and every context made from it (hmac.cpp)

  private:
    hmac(std::shared_ptr<pool> p, std::size_t size) noexcept;
    std::shared_ptr<pool> pool_;
    std::size_t size_;
};

}  // namespace warden::jwt::openssl
