#pragma once
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/http/validation.hpp>

namespace warden::app {

/// Adds the 422 entry for a password that the policy refused (`password::errc`) at `field`.
/// Returns false when `ec` is not a policy error (the caller maps it otherwise).
bool add_password_error(http::validation_errors& errors, std::string_view field, error_code ec,
                        std::size_t min_length, std::size_t max_length);

}  // namespace warden::app
