// Uses each installed module once; exits 0 only if all of them work.
#include <cstdio>

#include <warden/jwt.hpp>
#include <warden/password.hpp>
#include <warden/store.hpp>

int main() {
    using namespace warden;
    system_clock const clock;
    auto key =
        jwt::key::from_utf8_secret(jwt::algorithm::hs256, "consumer secret of at least 32 bytes")
            .value();
    auto token = jwt::signer::create(key).value().sign(
        {{"sub", "1"}, {"exp", to_unix_seconds(clock.now()) + 60}});
    auto verifier =
        jwt::verifier::create(jwt::key_set::from_keys({key}).value(), {}, clock).value();
    bool const jwt_ok = token && verifier.verify(*token).has_value();

    password::options cheap;
    cheap.argon2 = {.memory_kib = 7168, .iterations = 1, .parallelism = 1};
    auto ctx = password::context::create(cheap).value();
    auto hash = ctx.hash("consumer password");
    bool const password_ok =
        hash && ctx.verify("consumer password", *hash).value() == password::verdict::match;

    bool const store_ok =
        store::open("postgresql://nowhere").error() == condition::invalid_configuration;
    std::printf("jwt=%d password=%d store=%d\n", jwt_ok, password_ok, store_ok);
    return jwt_ok && password_ok && store_ok ? 0 : 1;
}
