#pragma once
// What every backend can keep: checked once, before any backend sees a value, so SQLite and
// PostgreSQL accept and refuse the same users.
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/core/utf8.hpp>
#include <warden/store/client_store.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>
#include <warden/store/signing_key_store.hpp>

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

/// `errc::invalid_argument` for a signing key that cannot be kept (an empty kid or algorithm,
/// text that is not storable); the times are the caller's to check.
[[nodiscard]] inline result<void> check_signing_key(signing_key_record const& key) noexcept {
    if (key.kid.empty() || key.algorithm.empty() || !storable_text(key.kid) ||
        !storable_text(key.algorithm) || !storable_text(key.public_jwk)) {
        return errc::invalid_argument;
    }
    return {};
}

/// `check_signing_key` for a key to add as pending: no time but `created_at` set.
[[nodiscard]] inline result<void> check_new_signing_key(signing_key_record const& key) noexcept {
    if (key.activated_at || key.retired_at || key.expires_at) return errc::invalid_argument;
    return check_signing_key(key);
}

/// `errc::invalid_argument` for a client that cannot be kept (an empty or unstorable id, an
/// empty secret hash); its scopes are checked by `encode_scopes`.
[[nodiscard]] inline result<void> check_client(client_record const& client) noexcept {
    if (client.client_id.empty() || !storable_text(client.client_id) ||
        client.secret_hash.empty()) {
        return errc::invalid_argument;
    }
    return {};
}

/// For `transfer_store::write_all`: a kid or client id that is taken is "a key that exists
/// already", `errc::invalid_argument` there.
[[nodiscard]] inline result<void> taken_as_invalid(result<void> const& r) noexcept {
    if (!r && r.error() == errc::already_exists) return errc::invalid_argument;
    return r;
}

}  // namespace warden::store
