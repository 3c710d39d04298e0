// libFuzzer target for the stored-hash parsers (PHC argon2, bcrypt modular crypt, passlib's
// bcrypt_sha256 and pbkdf2_sha256): any input is an error or a verdict, never a crash, and
// what parses has exactly one spelling.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <warden/password/context.hpp>

#include "password/argon2.hpp"
#include "password/stored_hash.hpp"

namespace pw = warden::password;

namespace {

/// A context whose limits keep every verification cheap, so the fuzzer spends its time parsing.
pw::context const& cheap_context() {
    static pw::context const ctx = [] {
        pw::options o;
        o.argon2 = {.memory_kib = 64, .iterations = 1, .parallelism = 1};
        o.minimum.argon2 = {.memory_kib = 8, .iterations = 1, .parallelism = 1};
        o.bcrypt_rounds = 4;
        o.minimum.bcrypt_rounds = 4;
        o.limits.argon2_memory_kib = 64;
        o.limits.argon2_iterations = 2;
        o.limits.argon2_parallelism = 2;
        o.limits.bcrypt_rounds = 5;
        o.limits.pbkdf2_sha256_rounds = 1000;
        auto created = pw::context::create(o);
        if (!created) __builtin_trap();
        return std::move(*created);
    }();
    return ctx;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text{reinterpret_cast<char const*>(data), size};
    auto const& ctx = cheap_context();

    auto const parsed = pw::parse_stored_hash(text);
    auto const kind = ctx.identify(text);
    // identify adds the context's checks to the parse; it never accepts what does not parse.
    if (kind && !parsed) __builtin_trap();

    // One spelling per value: a PHC string that parses formats back to itself.
    if (auto const a = pw::parse_argon2(text); a && text.find("$v=") != std::string_view::npos) {
        if (pw::format_argon2(*a) != text) __builtin_trap();
    }

    (void)ctx.needs_update(text);
    auto const verdict = ctx.verify("password", text);
    (void)verdict;
    return 0;
}
