#pragma once
// The 422 entries for the user fields whose rules live in auth: email, full_name, scopes.
#include <optional>
#include <string>
#include <warden/auth/scopes.hpp>
#include <warden/http/validation.hpp>

namespace warden::app {

/// Replaces a present `email` by its stored form (`auth::normalize_email`), or adds pydantic's
/// `value_error` for it.
void normalize_email_field(std::optional<std::string>& email, http::validation_errors& errors);

/// Adds `string_too_long` or `value_error` for a present full name that `auth::check_full_name`
/// refuses.
void check_full_name_field(std::optional<std::string> const& full_name,
                           http::validation_errors& errors);

/// Adds `value_error` when `scopes` are more or longer than a user may be granted
/// (`auth::is_grantable`).
void check_scopes_field(auth::scope_list const& scopes, http::validation_errors& errors);

}  // namespace warden::app
