#pragma once
// Refresh-token families and access-token records (SPEC §4); see store.hpp for the calling rules.
#include <cstdint>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

/// Refresh-token families (one login = one family) and the access tokens issued from them.
/// The use cases (`start_session`, `rotate_refresh`, `revoke_family`, `revoke_user_families`)
/// are each one transaction; the row-level calls remain for tools and tests.
class session_store {
  public:
    virtual ~session_store() = default;
    /// Records a new refresh token, creating its family for `t.user` if new. Errors:
    /// `errc::family_revoked` (the family was revoked meanwhile: do not hand the token out),
    /// `errc::not_found` (no such user), `errc::invalid_argument` (empty hash or family id, the
    /// hash is already recorded, or the family belongs to another user).
    [[nodiscard]] virtual result<void> add_refresh_token(refresh_token const& t) = 0;
    /// One token response in one durable commit (one disk sync instead of two): the refresh token
    /// as `add_refresh_token`, then access token `jti` in its family as `add_access_token`. Same
    /// errors; on any error nothing is recorded.
    [[nodiscard]] virtual result<void> add_grant(refresh_token const& t, std::string_view jti,
                                                 std::int64_t access_expires_at) = 0;
    /// A login's token response: records `g` in a new family only if the user is still as
    /// `seen` says (same token version, active, and the same password hash when one is given),
    /// and replaces that hash with `rehash` when not empty (passlib's verify_and_update), in one
    /// transaction. Errors: `errc::credentials_changed` (nothing written), `errc::not_found` (no
    /// such user), `errc::invalid_argument` (as `add_grant`).
    [[nodiscard]] virtual result<void> start_session(credential_check const& seen, grant const& g,
                                                     std::string_view rehash, std::int64_t now) = 0;
    /// A refresh: in one transaction, spends the token with hash `spent_hash` and records `next`
    /// (in the same family) when the token is fresh and its user still active at
    /// `seen.token_version`. States in the order of `consume_refresh_token`; a spent token
    /// revokes its family with its access tokens (returned in `revoked`). Errors:
    /// `errc::credentials_changed` (user deactivated or its sessions revoked since `seen`:
    /// nothing written), `errc::not_found` (user gone), `errc::invalid_argument` (`next` is not
    /// in the token's family, or for the user of `seen`).
    [[nodiscard]] virtual result<rotation> rotate_refresh(std::string_view spent_hash,
                                                          credential_check const& seen,
                                                          grant const& next, std::int64_t now) = 0;
    /// Atomically spends the token with this hash: exactly one concurrent caller sees `fresh`.
    /// States are checked in this order: unknown, family_revoked, spent (reuse), expired
    /// (`expires_at <= now`), fresh. Only `fresh` marks the token spent.
    [[nodiscard]] virtual result<consumed_refresh> consume_refresh_token(
        std::string_view token_hash, std::int64_t now) = 0;
    /// Remembers that access token `jti` (valid until `expires_at`) was issued from `family_id`.
    /// Errors: `errc::not_found` (no such family), `errc::family_revoked` (do not hand the token
    /// out), `errc::invalid_argument` (empty or already recorded jti).
    [[nodiscard]] virtual result<void> add_access_token(std::string_view family_id,
                                                        std::string_view jti,
                                                        std::int64_t expires_at) = 0;
    /// Marks the family revoked (idempotent) and puts every access token recorded for it on the
    /// revocation list, in one transaction; returns those jtis (with expiry).
    /// `errc::not_found` if the family is unknown (or already purged).
    [[nodiscard]] virtual result<jti_list> revoke_family(std::string_view family_id,
                                                         std::int64_t now) = 0;
    /// As `revoke_family` for every family of the user except `keep_family` (empty: all); none
    /// for an unknown user.
    [[nodiscard]] virtual result<jti_list> revoke_user_families(user_id user,
                                                                std::string_view keep_family,
                                                                std::int64_t now) = 0;
    /// The state `consume_refresh_token` would find, with the record (filled for every state but
    /// `unknown`), without spending anything (RFC 7662 introspection).
    [[nodiscard]] virtual result<consumed_refresh> refresh_token_state(std::string_view token_hash,
                                                                       std::int64_t now) = 0;
    /// The record of a refresh token by its hash, whatever its state (a read: nothing is spent),
    /// e.g. to check a requested scope before rotating; `errc::not_found`.
    [[nodiscard]] virtual result<refresh_token> find_refresh_token(std::string_view token_hash) = 0;
    /// The family of a refresh token by its hash (RFC 7009 revoke); `errc::not_found`.
    [[nodiscard]] virtual result<std::string> family_of_refresh_token(
        std::string_view token_hash) = 0;
    /// The family an access token was issued from (logout, "every other session");
    /// `errc::not_found`.
    [[nodiscard]] virtual result<std::string> family_of_access_token(std::string_view jti) = 0;
    /// Deletes refresh tokens, access-token records and families whose `expires_at <= now`; returns
    /// rows removed. Pass `now` minus the verifier's leeway so no acceptable token loses its
    /// record.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_sessions(std::int64_t now) = 0;
};

}  // namespace warden::store
