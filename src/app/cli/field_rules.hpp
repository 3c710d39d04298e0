#pragma once
// The CLI's wording of the user-field rules that live in auth (full name, granted scopes), for
// `user add`, `user set-scopes` and `import` alike.
#include <string>
#include <string_view>
#include <vector>
#include <warden/core/result.hpp>

namespace warden::app::cli {

/// Why `auth::check_full_name` refuses `name`, or empty when it is fine.
[[nodiscard]] std::string full_name_problem(std::string_view name);

/// Parses a space- or comma-separated scope list (`parse_scopes`) that a user may be granted
/// (`auth::is_grantable`: at most 64 scopes of at most 64 bytes). Errors: `bad_value` with `*why`.
[[nodiscard]] result<std::vector<std::string>> parse_grantable_scopes(std::string_view text,
                                                                      std::string* why);

}  // namespace warden::app::cli
