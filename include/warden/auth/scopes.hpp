#pragma once
// OAuth2 scopes (RFC 6749 §3.3): space-separated scope-tokens, kept as sorted unique lists.
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>

namespace warden::auth {

using scope_list = std::vector<std::string>;

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
