#include <warden/core/constant_time.hpp>

#include <openssl/crypto.h>

namespace warden {

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    // The length is not secret (MAC and hash sizes are public); the contents are.
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace warden
