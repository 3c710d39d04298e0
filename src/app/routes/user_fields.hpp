#pragma once
// The input rules of the user fields (e-mail, full name, password, scopes, is_active), each
// written once with what the OpenAPI document says of it, as fields of `http::json_fields`
// tables. The rules themselves live in auth and password; this maps them onto pydantic-shaped
// 422 entries.
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <warden/auth/scopes.hpp>
#include <warden/http/json_fields.hpp>
#include <warden/http/validation.hpp>
#include <warden/password/context.hpp>

namespace warden::app {

/// The stored form of an address (`auth::normalize_email`), or nullopt after adding pydantic's
/// `value_error` at `email`.
[[nodiscard]] std::optional<std::string> email_rule(std::string_view text,
                                                    http::validation_errors& errors);
/// Adds `string_too_long` or `value_error` at `full_name` for a name `auth::check_full_name`
/// refuses; returns whether it was accepted.
bool full_name_rule(std::string_view text, http::validation_errors& errors);
/// Adds the entry for a password the policy refuses at `name` (never echoing it); returns
/// whether it was accepted.
bool password_rule(password::context const& context, std::string_view name, std::string_view text,
                   http::validation_errors& errors);
/// The scopes of a JSON array of strings, or nullopt after adding `value_error` at `scopes`
/// (an item that is not one scope-token; more or longer than `auth::is_grantable` allows).
[[nodiscard]] std::optional<auth::scope_list> scopes_rule(boost::json::array const& items,
                                                          http::validation_errors& errors);

/// What the document says of each rule (merged into the member's type).
[[nodiscard]] boost::json::object email_schema();
[[nodiscard]] boost::json::object full_name_schema();
[[nodiscard]] boost::json::object password_schema(password::context const& context);
[[nodiscard]] boost::json::object scopes_schema();

/// `email`: required or not, stored normalized into `member`.
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> email_field(Member Body::*member, bool required) {
    return {"email",
            http::json_kind::string,
            required,
            false,
            email_schema(),
            [member](Body& body, boost::json::value const& v, http::validation_errors& errors) {
                if (auto stored = email_rule(v.get_string(), errors))
                    body.*member = std::move(*stored);
            }};
}

/// `full_name`: optional; `null` clears it (reads as "").
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> full_name_field(Member Body::*member) {
    return {"full_name",
            http::json_kind::string,
            false,
            true,
            full_name_schema(),
            [member](Body& body, boost::json::value const& v, http::validation_errors& errors) {
                std::string name{v.is_null() ? "" : std::string_view{v.get_string()}};
                if (full_name_rule(name, errors)) body.*member = std::move(name);
            }};
}

/// A required new password at `name`, checked against the configured policy.
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> new_password_field(std::string name, Member Body::*member,
                                                        password::context const& context) {
    auto schema = password_schema(context);
    return {name,
            http::json_kind::string,
            true,
            false,
            std::move(schema),
            [member, name, &context](Body& body, boost::json::value const& v,
                                     http::validation_errors& errors) {
                std::string_view const text = v.get_string();
                if (password_rule(context, name, text, errors)) body.*member = std::string{text};
            }};
}

/// A required password that is checked against the stored hash, not the policy.
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> current_password_field(std::string name,
                                                            Member Body::*member) {
    return {std::move(name),
            http::json_kind::string,
            true,
            false,
            boost::json::object{{"format", "password"}},
            [member](Body& body, boost::json::value const& v, http::validation_errors&) {
                body.*member = std::string{v.get_string()};
            }};
}

/// `scopes`: optional array of scope-tokens (admins only).
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> scopes_field(Member Body::*member) {
    return {"scopes",
            http::json_kind::string_list,
            false,
            false,
            scopes_schema(),
            [member](Body& body, boost::json::value const& v, http::validation_errors& errors) {
                if (auto scopes = scopes_rule(v.get_array(), errors))
                    body.*member = std::move(*scopes);
            }};
}

/// `is_active`: optional boolean (admins only).
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> is_active_field(Member Body::*member) {
    return {"is_active",
            http::json_kind::boolean,
            false,
            false,
            boost::json::object{{"description",
                                 "false deactivates the user and ends every "
                                 "session"}},
            [member](Body& body, boost::json::value const& v, http::validation_errors&) {
                body.*member = v.get_bool();
            }};
}

/// `is_verified`: optional boolean (admins only).
template <class Body, class Member>
[[nodiscard]] http::json_field<Body> is_verified_field(Member Body::*member) {
    return {"is_verified",
            http::json_kind::boolean,
            false,
            false,
            boost::json::object{{"description", "Whether the user's e-mail address is verified"}},
            [member](Body& body, boost::json::value const& v, http::validation_errors&) {
                body.*member = v.get_bool();
            }};
}

}  // namespace warden::app
