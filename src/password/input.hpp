#pragma once
// The input rules for passwords (SPEC §2): which apply on verify, which only to new passwords.
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/options.hpp>

namespace warden::password {

/// The rules every password meets, on verify too: at most `max_length` bytes, no NUL, UTF-8.
/// Errors: `password_too_long`, `password_contains_nul`, `password_not_utf8`.
[[nodiscard]] result<void> check_candidate(std::string_view password, input_policy const& policy);

/// `check_candidate` plus at least `min_length` bytes (`password_too_short`), and at most 72
/// bytes when the password is for bcrypt (`password_too_long_for_bcrypt`).
[[nodiscard]] result<void> check_new(std::string_view password, input_policy const& policy,
                                     scheme target);

}  // namespace warden::password
