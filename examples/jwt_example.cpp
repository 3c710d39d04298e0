// Sign and verify an access token with libwarden (the snippet in README.md).
#include <cstdio>

#include <warden/jwt.hpp>

int main() {
    using namespace warden;
    system_clock const clock;
    // A key is bound to one algorithm; the verifier takes the algorithm from its keys, never the
    // token.
    auto key =
        jwt::key::from_utf8_secret(jwt::algorithm::hs256, "a 32-byte or longer shared secret!")
            .value();
    auto signer = jwt::signer::create(key).value();
    auto verifier =
        jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, clock).value();

    auto const now = to_unix_seconds(clock.now());
    auto token = signer.sign({{"sub", "42"}, {"exp", now + 1800}, {"scope", "read"}}).value();
    auto claims = verifier.verify(token);
    if (!claims) {
        std::fprintf(stderr, "rejected: %s\n", claims.error().message().c_str());
        return 1;
    }
    std::printf("sub=%s scope=%s\n", std::string{*claims->sub()}.c_str(),
                std::string{*claims->scope()}.c_str());
    // Tampering, expiry, alg:none, unknown keys... are each one error code.
    token.back() = token.back() == 'A' ? 'B' : 'A';
    std::printf("tampered: %s\n", verifier.verify(token).error().message().c_str());
    return 0;
}
