#pragma once
// Cheap settings for tests where the cost is not the point (fast under sanitizers).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <warden/password/context.hpp>
#include <warden/password/options.hpp>

namespace warden::password::test {

/// argon2id m=64 KiB t=1 p=1 or bcrypt rounds 4, minimums lowered to match.
inline options cheap_options(scheme default_scheme = scheme::argon2id) {
    options o;
    o.default_scheme = default_scheme;
    o.argon2 = {.memory_kib = 64, .iterations = 1, .parallelism = 1};
    o.bcrypt_rounds = 4;
    o.minimum.argon2 = {.memory_kib = 8, .iterations = 1, .parallelism = 1};
    o.minimum.bcrypt_rounds = 4;
    o.minimum.pbkdf2_sha256_rounds = 1;
    return o;
}

/// A context from `opts`; fails the test if the options are refused.
inline context make_context(options opts) {
    auto ctx = context::create(std::move(opts));
    if (!ctx) {
        ADD_FAILURE() << "context::create: " << ctx.error().message();
        std::abort();
    }
    return std::move(*ctx);
}

inline context cheap_context(scheme default_scheme = scheme::argon2id) {
    return make_context(cheap_options(default_scheme));
}

}  // namespace warden::password::test
