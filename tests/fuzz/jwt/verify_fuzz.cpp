// Full token verification. Input is either a token as such (HS256/ES256/EdDSA verifiers), or,
// after a leading 0x01 byte, "header\npayload" JSON that is signed with the HS256 key first so the
// claim rules are reached too.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <warden/core/base64url.hpp>
#include <warden/core/clock.hpp>
#include <warden/jwt.hpp>

#include "jwt/key_impl.hpp"

namespace {

namespace jwt = warden::jwt;

warden::manual_clock const clock_now{warden::time_point{std::chrono::seconds{1'700'000'000}}};

struct fixture {
    jwt::key hs = *jwt::key::from_utf8_secret(jwt::algorithm::hs256,
                                              "fuzzing-secret-fuzzing-secret-32b", {.kid = "h"});
    jwt::key es = *jwt::key::generate(jwt::algorithm::es256, {.kid = "e"});
    jwt::key ed = *jwt::key::generate(jwt::algorithm::eddsa, {.kid = "d"});
    jwt::verifier hs_verifier = make(hs, {});
    jwt::verifier strict = make(hs, [] {
        jwt::verifier_options o;
        o.issuer = "iss";
        o.audiences = {"aud"};
        o.typ = "JWT";
        o.required_claims = {"exp", "sub", "ver"};
        o.limits.max_json_depth = 4;
        return o;
    }());
    jwt::verifier asym = *jwt::verifier::create(
        *jwt::key_set::from_keys({*es.public_key(), *ed.public_key()}), {}, clock_now);

    static jwt::verifier make(jwt::key const& k, jwt::verifier_options o) {
        return *jwt::verifier::create(*jwt::key_set::from_keys({k}), std::move(o), clock_now);
    }
};

void check(jwt::verifier const& v, std::string_view token) {
    auto const c = v.verify(token);
    if (c) {
        // Accepted JWTs satisfy the default rules: exp present, not past (30 s leeway; exp() rounds
        // fractions down).
        auto const exp = c->exp();
        if (!exp || *exp <= 1'700'000'000 - 31) __builtin_trap();
        (void)c->payload();
    }
    auto const j = v.verify_jws(token);
    if (c && !j) __builtin_trap();  // a valid JWT is a valid JWS
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    static fixture const f;
    std::string_view const in{reinterpret_cast<char const*>(data), size};
    if (!in.empty() && in.front() == '\x01') {
        std::string_view const rest = in.substr(1);
        auto const nl = rest.find('\n');
        std::string_view const header = rest.substr(0, nl);
        std::string_view const payload =
            nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        std::string token =
            warden::base64url_encode(header) + "." + warden::base64url_encode(payload);
        auto const sig = jwt::key_access::impl(f.hs).sign(token);
        if (!sig) __builtin_trap();
        token += "." + warden::base64url_encode(*sig);
        check(f.hs_verifier, token);
        check(f.strict, token);
        return 0;
    }
    check(f.hs_verifier, in);
    check(f.strict, in);
    check(f.asym, in);
    return 0;
}
