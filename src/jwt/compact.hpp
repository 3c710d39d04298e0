#pragma once
// The three segments of a compact JWS (RFC 7515 §7.1).
#include <cstring>
#include <string_view>

namespace warden::jwt {

struct compact_parts {
    std::string_view header;
    std::string_view payload;
    std::string_view signature;
    std::string_view signing_input;  ///< header '.' payload: what the signature covers
};

/// Splits `token` at its two dots. False unless there are exactly two dots and a non-empty
/// header (a five-part JWE and a JSON serialization are not compact JWS).
[[nodiscard]] inline bool split_compact(std::string_view token, compact_parts& out) noexcept {
    char const* const begin = token.data();
    char const* const end = begin + token.size();
    auto const* dot1 =
        token.empty() ? nullptr : static_cast<char const*>(std::memchr(begin, '.', token.size()));
    if (dot1 == nullptr || dot1 == begin) return false;
    auto const* dot2 = static_cast<char const*>(
        std::memchr(dot1 + 1, '.', static_cast<std::size_t>(end - (dot1 + 1))));
    if (dot2 == nullptr) return false;
    if (std::memchr(dot2 + 1, '.', static_cast<std::size_t>(end - (dot2 + 1))) != nullptr) {
        return false;
    }
    out.header = {begin, static_cast<std::size_t>(dot1 - begin)};
    out.payload = {dot1 + 1, static_cast<std::size_t>(dot2 - dot1 - 1)};
    out.signature = {dot2 + 1, static_cast<std::size_t>(end - dot2 - 1)};
    out.signing_input = {begin, static_cast<std::size_t>(dot2 - begin)};
    return true;
}

}  // namespace warden::jwt
