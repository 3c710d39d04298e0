#pragma once
// A user's TOTP second factor (RFC 6238, issue 13) and its recovery codes. The secret is sealed
// by the caller under the key-encryption key (core/sealed_box.hpp): the store keeps the sealed
// bytes exactly and never sees the secret. Recovery codes are kept as their hashes (exact
// bytes). See store.hpp for the calling rules.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

struct totp_record {
    std::string sealed_secret;  ///< exact bytes, as the caller sealed them
    bool confirmed = false;     ///< active: logins need a code
    /// The newest time step a code was accepted for (0: none yet): a code of that step or an
    /// older one is a replay.
    std::int64_t last_accepted_step = 0;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> confirmed_at;
    std::int64_t recovery_codes_left = 0;  ///< unused recovery codes
    bool operator==(totp_record const&) const = default;
};

class totp_store {
  public:
    virtual ~totp_store() = default;
    /// Starts an enrolment: stores the sealed secret unconfirmed with these recovery-code hashes,
    /// replacing an unconfirmed enrolment and its codes, in one transaction. Errors:
    /// `errc::wrong_state` (TOTP is confirmed: disable it first), `errc::not_found` (no such
    /// user), `errc::invalid_argument` (an empty secret, an empty or repeated code hash).
    [[nodiscard]] virtual result<void> begin_totp_enrolment(
        user_id user, std::string_view sealed_secret,
        std::vector<std::string> const& recovery_code_hashes, std::int64_t now) = 0;
    /// Unconfirmed -> confirmed. Errors: `errc::not_found` (no enrolment),
    /// `errc::wrong_state` (confirmed already).
    [[nodiscard]] virtual result<void> confirm_totp(user_id user, std::int64_t now) = 0;
    /// The user's TOTP, confirmed or not. Errors: `errc::not_found` (none).
    [[nodiscard]] virtual result<totp_record> totp_of(user_id user) = 0;
    /// The lowest id of a user with a TOTP secret, confirmed or not: a process checks at start
    /// that its key-encryption key opens the stored secrets. Errors: `errc::not_found` (none).
    [[nodiscard]] virtual result<user_id> first_totp_user() = 0;
    /// Records that a code of time step `step` was accepted, only if no code of that step or a
    /// later one was (a conditional write: of concurrent callers with one step, one gets true).
    /// False: a replay, nothing written. Errors: `errc::not_found` (no TOTP, confirmed or not).
    [[nodiscard]] virtual result<bool> accept_totp_step(user_id user, std::int64_t step) = 0;
    /// Spends the recovery code with hash `code_hash` of the user's confirmed TOTP: true once,
    /// false for an unknown or spent code, or when TOTP is not confirmed (conditional, single
    /// use under races).
    [[nodiscard]] virtual result<bool> use_recovery_code(user_id user, std::string_view code_hash,
                                                         std::int64_t now) = 0;
    /// Turns TOTP off: deletes it and its recovery codes. Errors: `errc::not_found` (it was off:
    /// not idempotent, so a caller can tell).
    [[nodiscard]] virtual result<void> disable_totp(user_id user) = 0;
};

}  // namespace warden::store
