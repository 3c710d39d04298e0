// Hash and verify passwords with libwarden, passlib-compatible.
#include <cstdio>

#include <warden/password.hpp>

int main() {
    using namespace warden;
    auto ctx = password::context::create({}).value();  // argon2id m=19456,t=2,p=1; bcrypt accepted
    auto const hash = ctx.hash("correct horse battery").value();
    std::printf("%s\n", hash.c_str());
    // The FastAPI tutorial's bcrypt hash of "secret" verifies, and is marked for replacement.
    auto const outcome =
        ctx.verify_and_update("secret",
                              "$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW")
            .value();
    std::printf("matched=%d rehashed=%s\n", outcome.matched,
                outcome.new_hash ? outcome.new_hash->substr(0, 10).c_str() : "no");
    return outcome.matched ? 0 : 1;
}
