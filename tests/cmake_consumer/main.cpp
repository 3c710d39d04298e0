// Uses each installed module once; exits 0 only if all of them work.
#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

#include <unistd.h>

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

    // A real round trip on a SQLite file, and a URL no backend takes (no server needed).
    auto const file = std::filesystem::temp_directory_path() /
                      ("warden-consumer-" + std::to_string(::getpid()) + ".db");
    bool store_ok = store::open("mysql://nowhere").error() == condition::invalid_configuration;
    if (auto db = store::open("sqlite:///" + file.string())) {
        auto const added = db->users->create_user({"c@x.io", "h", "C", true, {}}, 1);
        store_ok = store_ok && added && db->users->find_user_by_email("C@X.IO").has_value();
    } else {
        store_ok = false;
    }
    for (auto const* suffix : {"", "-wal", "-shm"}) {
        std::error_code ignored;
        std::filesystem::remove(file.string() + suffix, ignored);
    }
    std::printf("jwt=%d password=%d store=%d\n", jwt_ok, password_ok, store_ok);
    return jwt_ok && password_ok && store_ok ? 0 : 1;
}
