#pragma once
// The store interfaces (SPEC §4). Calls are blocking and thread-safe: callers run them on a
// work_pool, never on I/O threads. Every write is committed (durably) before the call returns.
// Every call may also fail with `errc::unavailable` (busy beyond the timeout, disk full, I/O
// error) or `errc::backend_error` (an unexpected database error); the lines below name the rest.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

class user_store {
public:
    virtual ~user_store() = default;
    /// Inserts a user (scopes stored sorted, without duplicates; a fresh id never used before);
    /// `errc::email_taken` if the email exists in any ASCII letter case; `errc::invalid_argument`
    /// for an empty email, a NUL byte in the email, or a scope that is not an RFC 6749 scope-token.
    [[nodiscard]] virtual result<user> create_user(new_user const& u, std::int64_t now) = 0;
    /// One indexed lookup; `errc::not_found` if there is no such user.
    [[nodiscard]] virtual result<user> find_user(user_id id) = 0;
    /// The guard's hot path in one round trip and one snapshot: the user's row and whether access
    /// token `jti` is on the revocation list (false for an empty jti); `errc::not_found` if there
    /// is no such user.
    [[nodiscard]] virtual result<token_subject> find_token_subject(user_id id, std::string_view jti) = 0;
    /// Case-insensitive (ASCII) lookup; `errc::not_found` if none.
    [[nodiscard]] virtual result<user> find_user_by_email(std::string_view email) = 0;
    /// Applies the set fields (an empty update only moves `updated_at`) and returns the new row;
    /// `errc::not_found`, `errc::email_taken`, `errc::invalid_argument` (as for create_user).
    [[nodiscard]] virtual result<user> update_user(user_id id, user_update const& change,
                                                   std::int64_t now) = 0;
    /// Deletes the user and everything that hangs off it (refresh families, their refresh tokens
    /// and access-token records); `errc::not_found`.
    [[nodiscard]] virtual result<void> delete_user(user_id id) = 0;
    /// Users ordered by id, at most `limit` from `offset`, with the total count (one snapshot);
    /// past the end: no items. `errc::invalid_argument` if `limit` or `offset` is negative.
    [[nodiscard]] virtual result<user_page> list_users(std::int64_t limit, std::int64_t offset) = 0;
    /// A cheap round trip proving the backend answers (readiness).
    [[nodiscard]] virtual result<void> ping() = 0;
};

/// Refresh-token families (one login = one family) and the access tokens issued from them.
/// On issue: `add_grant` (both tokens at once), or `add_refresh_token` (creates the family)
/// before `add_access_token`.
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
    /// Marks the family revoked (idempotent); returns the jtis (with expiry) of every access token
    /// recorded for it and not yet purged, so the caller can put them on the revocation list.
    /// `errc::not_found` if the family is unknown (or already purged).
    [[nodiscard]] virtual result<std::vector<std::pair<std::string, std::int64_t>>> revoke_family(
        std::string_view family_id, std::int64_t now) = 0;
    /// Revokes every family of the user except `keep_family` (empty: all); returns the recorded
    /// jtis of all those families (none for an unknown user).
    [[nodiscard]] virtual result<std::vector<std::pair<std::string, std::int64_t>>>
    revoke_user_families(user_id user, std::string_view keep_family, std::int64_t now) = 0;
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

/// Revoked access-token `jti`s, kept until the token would have expired anyway.
class revocation_store {
public:
    virtual ~revocation_store() = default;
    /// Adds `jti` (idempotent; keeps the later expiry); `errc::invalid_argument` if empty.
    [[nodiscard]] virtual result<void> revoke_jti(std::string_view jti,
                                                  std::int64_t expires_at) = 0;
    /// One primary-key lookup; true until the revocation is purged.
    [[nodiscard]] virtual result<bool> is_revoked(std::string_view jti) = 0;
    /// Deletes revocations with `expires_at <= now`; returns rows removed. Pass `now` minus the
    /// verifier's leeway, or a revoked token could be accepted again within its leeway.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_revocations(std::int64_t now) = 0;
};

/// Login-failure counters per key (`account:<email>` or `address:<ip>`), fixed windows.
class counter_store {
public:
    virtual ~counter_store() = default;
    /// Atomically adds one failure; a window that started `window_seconds` or more before `now`
    /// restarts at 1 from `now`. Returns the new count; `errc::invalid_argument` for an empty key.
    [[nodiscard]] virtual result<failure_count> add_failure(std::string_view key, std::int64_t now,
                                                            std::int64_t window_seconds) = 0;
    /// The current count and its window start ({0, 0} if none or the window has passed).
    [[nodiscard]] virtual result<failure_count> failures(std::string_view key, std::int64_t now,
                                                         std::int64_t window_seconds) = 0;
    /// Forgets the key (idempotent).
    [[nodiscard]] virtual result<void> reset_failures(std::string_view key) = 0;
    /// Deletes counters whose window has passed at `now`; returns rows removed.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_failures(
        std::int64_t now, std::int64_t window_seconds) = 0;
};

/// One backend's implementations of the interfaces (a backend may implement several).
struct backends {
    std::shared_ptr<user_store> users;
    std::shared_ptr<session_store> sessions;
    std::shared_ptr<revocation_store> revocations;
    std::shared_ptr<counter_store> counters;
};

/// Opens `sqlite:///path` (creating the file, not its directory) or `postgresql://...` and runs
/// pending migrations. Errors: `errc::bad_url` (also for `postgresql://`: no PostgreSQL backend in
/// this build), `errc::unavailable` (cannot open/connect, not writable, not a database),
/// `errc::migration_failed` (schema newer than this build, or not a warden database). On failure
/// `*why`, if given, receives a one-line explanation for the operator.
[[nodiscard]] result<backends> open(std::string_view url, std::string* why = nullptr);

}  // namespace warden::store
