#include <warden/core/random.hpp>

#include <limits>

#include <openssl/rand.h>

#include <warden/core/errc.hpp>

namespace warden {

result<std::string> random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        return make_error_code(core_errc::random_failed);
    }
    if (n != 0 &&
        RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
        return make_error_code(core_errc::random_failed);
    }
    return out;
}

}  // namespace warden
