#pragma once
#include <cstdint>
#include <string>

#include <boost/json/object.hpp>

#include <warden/auth/subject.hpp>
#include <warden/http/route_declaration.hpp>
#include <warden/store/records.hpp>

namespace warden::app {

/// `{id, email, full_name, is_active, scopes, created_at}` (SPEC §3); never the password hash.
[[nodiscard]] boost::json::object user_json(auth::subject const& u);
[[nodiscard]] boost::json::object user_json(store::user const& u);

/// The schema of `user_json`'s object (`User`), for the OpenAPI document.
[[nodiscard]] http::named_schema user_schema();

/// RFC 3339 UTC, e.g. `2026-11-28T15:42:38Z`.
[[nodiscard]] std::string rfc3339(std::int64_t unix_seconds);

}  // namespace warden::app
