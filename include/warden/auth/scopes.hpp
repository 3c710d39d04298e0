#pragma once
// OAuth2 scopes (RFC 6749 §3.3): space-separated scope-tokens, kept as sorted unique lists.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>

namespace warden::auth {

using scope_list = std::vector<std::string>;

/// The most scopes a user may be granted, and the longest one (bytes): with them the `scope`
/// claim stays under 4.2 KB, so every token of the user stays under the 8 KiB token limit.
inline constexpr std::size_t max_granted_scopes = 64;
inline constexpr std::size_t max_scope_length = 64;

/// True when a user may be granted `scopes`: at most `max_granted_scopes`, none longer than
/// `max_scope_length` bytes.
[[nodiscard]] bool is_grantable(scope_list const& scopes) noexcept;

/// Parses a space-separated scope string into a sorted unique list. Runs of spaces are
/// tolerated; each token must be %x21 / %x23-5B / %x5D-7E. `errc::invalid_scope_syntax` otherwise.
[[nodiscard]] result<scope_list> parse_scopes(std::string_view text);

/// The scopes joined by single spaces (the `scope` claim and response field).
[[nodiscard]] std::string join_scopes(scope_list const& scopes);

/// True when every scope of `wanted` is in `held` (both sorted).
[[nodiscard]] bool includes_all(scope_list const& held, scope_list const& wanted);

/// The scopes in both sorted lists.
[[nodiscard]] scope_list intersect(scope_list const& a, scope_list const& b);

}  // namespace warden::auth
