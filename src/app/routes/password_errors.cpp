#include "app/routes/password_errors.hpp"

#include <fmt/format.h>

#include <warden/password/errc.hpp>

namespace warden::app {

bool add_password_error(http::validation_errors& errors, std::string_view field, error_code ec,
                        std::size_t min_length, std::size_t max_length) {
    using password::errc;
    // The value is never echoed back: it is a password.
    if (ec == errc::password_too_short) {
        errors.add(field, "string_too_short",
                   fmt::format("String should have at least {} bytes", min_length));
    } else if (ec == errc::password_too_long) {
        errors.add(field, "string_too_long",
                   fmt::format("String should have at most {} bytes", max_length));
    } else if (ec == errc::password_too_long_for_bcrypt) {
        errors.add(field, "string_too_long", "String should have at most 72 bytes with bcrypt");
    } else if (ec == errc::password_contains_nul) {
        errors.add(field, "value_error",
                   "Value error, the password must not contain NUL characters");
    } else if (ec == errc::password_not_utf8) {
        errors.add(field, "value_error", "Value error, the password must be valid UTF-8");
    } else {
        return false;
    }
    return true;
}

}  // namespace warden::app
