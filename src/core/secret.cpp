#include <warden/core/secret.hpp>

#include <openssl/crypto.h>

namespace warden {

secret_bytes::secret_bytes(secret_bytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
    other.wipe();
}

secret_bytes& secret_bytes::operator=(secret_bytes&& other) noexcept {
    if (this != &other) {
        wipe();
        bytes_ = std::move(other.bytes_);
        other.wipe();
    }
    return *this;
}

secret_bytes::~secret_bytes() { wipe(); }

void secret_bytes::wipe() noexcept {
    // Short strings live in the object itself (SSO); cleanse the whole capacity either way.
    if (bytes_.capacity() != 0) OPENSSL_cleanse(bytes_.data(), bytes_.capacity());
    bytes_.clear();
}

}  // namespace warden
