// Key import from untrusted text: JWK, JWK Set and PEM. Never a crash; an imported key exports
// a public JWK that imports again to the same thumbprint.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <warden/jwt.hpp>

namespace jwt = warden::jwt;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text{reinterpret_cast<char const*>(data), size};
    if (auto const k = jwt::key::from_jwk(text); k && !k->is_symmetric()) {
        auto const jwk = k->public_jwk();
        if (!jwk) __builtin_trap();
        auto const again = jwt::key::from_jwk(*jwk);
        if (!again || again->thumbprint() != k->thumbprint()) __builtin_trap();
    }
    (void)jwt::key_set::from_jwks(text);
    for (auto const alg : {jwt::algorithm::rs256, jwt::algorithm::es256, jwt::algorithm::eddsa}) {
        (void)jwt::key::from_pem(alg, text);
    }
    return 0;
}
