#include "app/routes/user_fields.hpp"

#include <fmt/format.h>

#include <warden/auth/email.hpp>
#include <warden/auth/full_name.hpp>

#include "app/routes/password_errors.hpp"

namespace warden::app {
namespace {

/// The longest stored address (auth::normalize_email: 254 bytes of UTF-8).
constexpr std::size_t max_email_bytes = 254;
/// bcrypt reads at most 72 bytes of a password (password::context refuses longer ones).
constexpr std::size_t bcrypt_max_password_bytes = 72;

}  // namespace

std::optional<std::string> email_rule(std::string_view text, http::validation_errors& errors) {
    auto stored = auth::normalize_email(text);
    if (!stored) errors.add("email", "value_error", "value is not a valid email address", text);
    return stored;
}

bool full_name_rule(std::string_view text, http::validation_errors& errors) {
    switch (auth::check_full_name(text)) {
        case auth::full_name_check::ok:
            return true;
        case auth::full_name_check::too_long:
            errors.add("full_name", "string_too_long",
                       fmt::format("String should have at most {} characters",
                                   auth::max_full_name_length));
            return false;
        case auth::full_name_check::invalid_text:
            errors.add("full_name", "value_error",
                       "Value error, a full name holds no control characters, bidi controls or "
                       "line breaks");
            return false;
    }
    return false;
}

bool password_rule(password::context const& context, std::string_view name, std::string_view text,
                   http::validation_errors& errors) {
    auto const allowed = context.check_new_password(text);
    if (allowed) return true;
    auto const& policy = context.settings().policy;
    add_password_error(errors, name, allowed.error(), policy.min_length, policy.max_length);
    return false;
}

std::optional<auth::scope_list> scopes_rule(boost::json::array const& items,
                                            http::validation_errors& errors) {
    bool valid = true;
    std::string joined;
    for (auto const& item : items) {
        std::string_view const s = item.get_string();
        if (s.empty() || s.find(' ') != std::string_view::npos) {
            errors.add("scopes", "value_error", "Value error, each scope must be one scope-token",
                       s);
            valid = false;
        }
        joined += s;
        joined += ' ';
    }
    auto parsed = auth::parse_scopes(joined);
    if (!parsed) {
        errors.add("scopes", "value_error", "Value error, invalid scope-token");
        return std::nullopt;
    }
    if (!auth::is_grantable(*parsed)) {
        errors.add("scopes", "value_error",
                   fmt::format("Value error, at most {} scopes of at most {} characters each",
                               auth::max_granted_scopes, auth::max_scope_length));
        return std::nullopt;
    }
    if (!valid) return std::nullopt;
    return std::move(*parsed);
}

boost::json::object email_schema() {
    return {{"format", "email"},
            {"maxLength", max_email_bytes},
            {"description",
             "Stored case-folded and NFC-normalized: look-alike spellings are one account"}};
}

boost::json::object full_name_schema() {
    return {{"maxLength", auth::max_full_name_length},
            {"description", "No control characters, bidi controls or line breaks; null clears it"}};
}

boost::json::object password_schema(password::context const& context) {
    auto const& settings = context.settings();
    auto max_length = settings.policy.max_length;
    if (settings.default_scheme == password::scheme::bcrypt)
        max_length = std::min(max_length, bcrypt_max_password_bytes);
    return {{"format", "password"},
            {"minLength", settings.policy.min_length},
            {"maxLength", max_length},
            {"description", "UTF-8 without NUL; the lengths count bytes"}};
}

boost::json::object scopes_schema() {
    return {
        {"maxItems", auth::max_granted_scopes},
        {"items", {{"type", "string"}, {"minLength", 1}, {"maxLength", auth::max_scope_length}}},
        {"description", "Replaces the user's scopes (RFC 6749 scope-tokens)"}};
}

}  // namespace warden::app
