#include <warden/core/digest.hpp>

#include <stdexcept>

#include <openssl/evp.h>

namespace warden {

std::string sha256(std::string_view data) {
    std::string out(32, '\0');
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(out.data()), &size,
                   EVP_sha256(), nullptr) != 1 ||
        size != out.size()) {
        // Only a broken OpenSSL installation gets here: a programming/environment error.
        throw std::runtime_error("SHA-256 is unavailable");
    }
    return out;
}

}  // namespace warden
