#pragma once
// Errors raised by `warden::password`, one value per check. Each maps onto a `warden::condition`:
// a bad password is `invalid_request`, a stored hash that cannot be checked is `internal` (it
// comes from the server's own store, so a client must not learn about it), a bad setting is
// `invalid_configuration`. A full hash pool is `core_errc::pool_full` (`unavailable`).
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>

namespace warden::password {

enum class errc {
    password_too_short = 1,  ///< fewer bytes than `input_policy::min_length` (new passwords only)
    password_too_long,       ///< more bytes than `input_policy::max_length`
    password_not_utf8,       ///< not well-formed UTF-8
    password_contains_nul,   ///< a NUL byte (bcrypt would stop there)
    password_too_long_for_bcrypt,  ///< over 72 bytes: bcrypt would ignore the rest, so we refuse
    malformed_hash,                ///< a stored hash of a known scheme that does not parse exactly
    unknown_scheme,                ///< a stored hash of no scheme warden knows
    scheme_not_accepted,           ///< a stored hash of a scheme the context does not accept
    cost_exceeds_limit,            ///< a stored hash whose cost is above `hash_limits`
    hash_failed,                   ///< libargon2, libxcrypt or OpenSSL failed (out of memory)
    unknown_scheme_name,           ///< `parse_scheme` got a name it does not know
    invalid_scheme_settings,       ///< default scheme not hashable, not accepted or deprecated
    invalid_costs,                 ///< a cost out of range, below its minimum or above the limits
    invalid_policy,                ///< `input_policy` or `hash_limits` that contradict themselves
};

/// The category of `password::errc` ("warden.password").
[[nodiscard]] boost::system::error_category const& password_category() noexcept;

/// The error_code of `e` in `password_category()`.
[[nodiscard]] inline error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), password_category()};
}

}  // namespace warden::password

template <>
struct boost::system::is_error_code_enum<warden::password::errc> : std::true_type {};
