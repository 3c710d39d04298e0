#pragma once
// What the commands print on stdout: one JSON text per line, so scripts can read it.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <warden/password/context.hpp>
#include <warden/store/records.hpp>

namespace warden::app::cli {

/// The user as the admin API shows it (`id, email, full_name, is_active, scopes, created_at`)
/// plus `updated_at` and `password_scheme` (the scheme of the stored hash, such as `argon2id`
/// or `bcrypt`; `unknown` if `hashing` cannot read it). Never the hash itself.
[[nodiscard]] boost::json::object user_view(store::user const& u, password::context const& hashing);

/// Writes `value` as one line of compact JSON on stdout.
void print_json(boost::json::value const& value);

}  // namespace warden::app::cli
