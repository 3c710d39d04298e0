#include "app/routes/user_fields.hpp"

#include <fmt/format.h>

#include <warden/auth/email.hpp>
#include <warden/auth/full_name.hpp>

namespace warden::app {

void normalize_email_field(std::optional<std::string>& email, http::validation_errors& errors) {
    if (!email) return;
    auto stored = auth::normalize_email(*email);
    if (!stored) {
        errors.add("email", "value_error", "value is not a valid email address",
                   std::string_view{*email});
        return;
    }
    *email = std::move(*stored);
}

void check_full_name_field(std::optional<std::string> const& full_name,
                           http::validation_errors& errors) {
    if (!full_name) return;
    switch (auth::check_full_name(*full_name)) {
        case auth::full_name_check::ok:
            return;
        case auth::full_name_check::too_long:
            errors.add("full_name", "string_too_long",
                       fmt::format("String should have at most {} characters",
                                   auth::max_full_name_length));
            return;
        case auth::full_name_check::invalid_text:
            errors.add("full_name", "value_error",
                       "Value error, a full name holds no control characters, bidi controls or "
                       "line breaks");
            return;
    }
}

void check_scopes_field(auth::scope_list const& scopes, http::validation_errors& errors) {
    if (auth::is_grantable(scopes)) return;
    errors.add("scopes", "value_error",
               fmt::format("Value error, at most {} scopes of at most {} characters each",
                           auth::max_granted_scopes, auth::max_scope_length));
}

}  // namespace warden::app
