#pragma once
// How every backend keeps a user's scopes: RFC 6749 §3.3 scope-tokens, sorted bytewise without
// duplicates, joined by single spaces (the same form as a token's `scope` claim).
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>

namespace warden::store {

/// True for a non-empty run of NQCHAR (%x21 / %x23-5B / %x5D-7E), RFC 6749 §3.3.
[[nodiscard]] bool is_scope_token(std::string_view s) noexcept;

/// The stored form of `scopes`; `errc::invalid_argument` if one is not a scope-token.
[[nodiscard]] result<std::string> encode_scopes(std::vector<std::string> const& scopes);

/// The scopes of a stored form (empty string: none).
[[nodiscard]] std::vector<std::string> decode_scopes(std::string_view stored);

}  // namespace warden::store
