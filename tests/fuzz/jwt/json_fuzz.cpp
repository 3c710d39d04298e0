// Header and payload JSON: the claims parser (no DOM) against core's strict DOM parser, and the
// header rules on arbitrary header text.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <warden/core/base64url.hpp>
#include <warden/core/json.hpp>
#include <warden/jwt/claims.hpp>

#include "jwt/claims_parser.hpp"
#include "jwt/header.hpp"

namespace json = boost::json;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    std::string_view const text{reinterpret_cast<char const*>(data), size};
    constexpr std::size_t depth = 16;

    warden::jwt::claims c;
    auto const flat = warden::jwt::parse_claims_json(text, depth, c);
    auto const dom = warden::parse_json_strict(text, {.max_depth = depth});
    bool const dom_object = dom && dom->is_object();
    // Same verdict: a payload is accepted exactly when it is a strict JSON object.
    if (!flat.error != dom_object) __builtin_trap();
    if (dom_object) {
        auto const& o = dom->get_object();
        if (c.size() != o.size()) __builtin_trap();
        if (json::value(c.payload()) != *dom) __builtin_trap();
        if (c.payload_json() != text) __builtin_trap();
        for (auto const& [name, value] : o) {
            auto const kind = c.kind_of(name);
            if (!kind || *kind != value.kind()) __builtin_trap();
            if (value.is_string() && c.get_string(name) != std::string_view{value.get_string()}) {
                __builtin_trap();
            }
            if (value.is_int64() && c.get_int64(name) != value.get_int64()) __builtin_trap();
            if (value.is_bool() && c.get_bool(name) != value.get_bool()) __builtin_trap();
        }
        if (auto const* aud = o.if_contains("aud"); aud != nullptr && aud->is_string()) {
            if (!c.has_audience(aud->get_string())) __builtin_trap();
        }
    }

    // The same text as a protected header: refused or accepted, never a crash, and an accepted
    // header always names a real algorithm.
    auto const header = warden::jwt::parse_header(warden::base64url_encode(text), depth);
    if (header && !dom_object) __builtin_trap();
    return 0;
}
