#pragma once
#include <string_view>

namespace warden::auth {

/// A pragmatic email check (what registration accepts): at most 254 bytes of valid UTF-8, one
/// `@` with a non-empty local part of at most 64 bytes, a domain of dot-separated labels with at
/// least one dot, and no spaces, control characters, quotes or angle brackets anywhere.
[[nodiscard]] bool is_valid_email(std::string_view email) noexcept;

}  // namespace warden::auth
