#pragma once
// Builds test tokens with any header and payload text, signed (or not) with a given key.
#include <chrono>
#include <string>
#include <string_view>
#include <warden/core/base64url.hpp>
#include <warden/core/clock.hpp>
#include <warden/jwt.hpp>

#include "jwt/key_impl.hpp"

namespace warden::jwt::test {

inline constexpr std::int64_t now_s = 1'700'000'000;

inline key hs256_key(std::string kid = {}) {
    return *key::from_utf8_secret(algorithm::hs256, "0123456789abcdef0123456789abcdef-test",
                                  {.kid = std::move(kid)});
}

/// header.payload.signature with the exact header and payload text given.
inline std::string make_token(key const& k, std::string_view header_json,
                              std::string_view payload_json) {
    std::string input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
    auto const sig = key_access::impl(k).sign(input);
    return input + "." + base64url_encode(*sig);
}

/// A token over already encoded segments (for malformed-encoding cases).
inline std::string sign_segments(key const& k, std::string_view header_b64,
                                 std::string_view payload_b64) {
    std::string input = std::string{header_b64} + "." + std::string{payload_b64};
    auto const sig = key_access::impl(k).sign(input);
    return input + "." + base64url_encode(*sig);
}

inline std::string hs256_header() { return R"({"alg":"HS256","typ":"JWT"})"; }

inline std::string claims_json(std::string_view extra = {}) {
    std::string out = R"({"sub":"42","exp":)" + std::to_string(now_s + 600);
    if (!extra.empty()) {
        out += ',';
        out.append(extra);
    }
    out += '}';
    return out;
}

inline manual_clock& fixed_clock() {
    static manual_clock clock{time_point{std::chrono::seconds{now_s}}};
    return clock;
}

inline verifier make_verifier(key const& k, verifier_options options = {}) {
    return *verifier::create(*key_set::from_keys({k}), std::move(options), fixed_clock());
}

}  // namespace warden::jwt::test
