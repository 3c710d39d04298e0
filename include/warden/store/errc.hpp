#pragma once
// Errors raised by the store and its backends.
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::store {

enum class errc {
    not_found = 1,     ///< no such user, family or token: condition::not_found
    email_taken,       ///< the email exists in another row (ASCII case-insensitively):
                       ///< condition::conflict
    bad_url,           ///< not a database URL this build can open: condition::invalid_configuration
    unavailable,       ///< cannot open/connect, not writable, disk full, busy beyond the timeout:
                       ///< condition::unavailable
    migration_failed,  ///< schema newer than this build, or a database that is not warden's:
                       ///< condition::invalid_configuration
    backend_error,     ///< an unexpected database error: condition::internal
    invalid_argument,  ///< a value the store cannot keep (empty email, NUL byte, a scope that is
                       ///< not an RFC 6749 scope-token, negative limit/offset, duplicate token hash
                       ///< or jti, a family of another user): condition::invalid_request
    family_revoked,    ///< adding a token to a revoked refresh family: condition::invalid_grant
    credentials_changed,  ///< the user's password, token version or state changed since the
                          ///< caller checked it (`credential_check`): nothing was written;
                          ///< condition::conflict
    already_exists,       ///< a signing key's kid or a client's id is taken: condition::conflict
    wrong_state,          ///< the signing key or TOTP is not in the state the call needs
                          ///< (activating a key that is not pending, retiring the current key,
                          ///< enrolling or confirming TOTP that is confirmed): condition::conflict
};

[[nodiscard]] boost::system::error_category const& store_category() noexcept;

[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), store_category()};
}

}  // namespace warden::store

template <>
struct boost::system::is_error_code_enum<warden::store::errc> : std::true_type {};
