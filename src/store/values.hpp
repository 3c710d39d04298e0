#pragma once
// What every backend can keep: checked once, before any backend sees a value, so SQLite and
// PostgreSQL accept and refuse the same users.
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/core/utf8.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

/// UTF-8 without NUL bytes: PostgreSQL's text holds no NUL and refuses malformed UTF-8.
[[nodiscard]] inline bool storable_text(std::string_view text) noexcept {
    return text.find('\0') == std::string_view::npos && is_valid_utf8(text);
}

/// `errc::invalid_argument` for an empty email or a text field that is not storable.
[[nodiscard]] inline result<void> check_user(new_user const& u) noexcept {
    if (u.email.empty() || !storable_text(u.email) || !storable_text(u.password_hash) ||
        !storable_text(u.full_name)) {
        return errc::invalid_argument;
    }
    return {};
}

/// As `check_user` for the fields an update sets.
[[nodiscard]] inline result<void> check_update(user_update const& change) noexcept {
    auto const bad = [](std::optional<std::string> const& v) { return v && !storable_text(*v); };
    if ((change.email && change.email->empty()) || bad(change.email) || bad(change.password_hash) ||
        bad(change.full_name)) {
        return errc::invalid_argument;
    }
    return {};
}

}  // namespace warden::store
