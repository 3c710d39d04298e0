#pragma once
// One-time tokens sent by e-mail (issue 13): e-mail verification and password reset. The token
// itself is never stored, only its SHA-256 (exact bytes); each is single use and expires. See
// store.hpp for the calling rules.
#include <cstdint>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

enum class one_time_token_kind {
    verify,  ///< proves the user reads mail at their address (`user::is_verified`)
    reset,   ///< lets the user set a new password without the old one
};

/// What a password reset changed.
struct password_reset {
    /// The user after the reset (new hash, bumped token version): its email names the login
    /// lockout counter the caller clears.
    user row;
    /// The access tokens of the sessions it revoked, now on the revocation list.
    jti_list revoked;
};

class one_time_token_store {
  public:
    virtual ~one_time_token_store() = default;
    /// Records a token of `kind` for `user`, valid while `now < expires_at`, and deletes that
    /// user's older tokens of that kind in the same transaction (a new request replaces the
    /// older token). Errors: `errc::not_found` (no such user), `errc::invalid_argument` (an empty
    /// hash, `expires_at <= now`, a hash already stored: nothing written).
    [[nodiscard]] virtual result<void> issue_one_time_token(one_time_token_kind kind, user_id user,
                                                            std::string_view token_hash,
                                                            std::int64_t now,
                                                            std::int64_t expires_at) = 0;
    /// In one transaction: spends the verification token with hash `token_hash` (only one of
    /// concurrent callers can) and marks its user verified; returns the user. Errors:
    /// `errc::not_found` for a token that is unknown, of the other kind, spent or expired
    /// (`expires_at <= now`), or whose user is inactive (then nothing is written).
    [[nodiscard]] virtual result<user> redeem_verification(std::string_view token_hash,
                                                           std::int64_t now) = 0;
    /// In one transaction: spends the reset token with hash `token_hash` (as
    /// `redeem_verification`), sets the user's password hash to `new_password_hash`, bumps its
    /// token version and revokes every refresh family of the user, putting their access tokens
    /// on the revocation list (the external one, with Redis, before the commit). Errors:
    /// `errc::not_found` (as `redeem_verification`: nothing written), `errc::invalid_argument`
    /// (an empty or unstorable new hash).
    [[nodiscard]] virtual result<password_reset> redeem_password_reset(
        std::string_view token_hash, std::string_view new_password_hash, std::int64_t now) = 0;
    /// Deletes the tokens that expired (`expires_at <= now`) or were spent; returns how many.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_one_time_tokens(std::int64_t now) = 0;
};

}  // namespace warden::store
