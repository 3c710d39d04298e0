#pragma once
// The store interfaces (SPEC §4). Calls are blocking and thread-safe: callers run them on a
// work_pool, never on I/O threads. Every write is committed before the call returns.
#include <memory>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

class user_store {
public:
    virtual ~user_store() = default;
    /// Inserts a user; `errc::email_taken` if the email exists in any letter case.
    [[nodiscard]] virtual result<user> create_user(new_user const& u, std::int64_t now) = 0;
    /// `errc::not_found` if there is no such user.
    [[nodiscard]] virtual result<user> find_user(user_id id) = 0;
    /// Case-insensitive (ASCII) lookup; `errc::not_found` if none.
    [[nodiscard]] virtual result<user> find_user_by_email(std::string_view email) = 0;
    /// Applies the set fields; `errc::not_found`, `errc::email_taken`.
    [[nodiscard]] virtual result<user> update_user(user_id id, user_update const& change, std::int64_t now) = 0;
    /// Deletes the user and everything that hangs off it (refresh tokens); `errc::not_found`.
    [[nodiscard]] virtual result<void> delete_user(user_id id) = 0;
    /// Users ordered by id, `limit` from `offset`, with the total count.
    [[nodiscard]] virtual result<user_page> list_users(std::int64_t limit, std::int64_t offset) = 0;
    /// A cheap round trip proving the backend answers (readiness).
    [[nodiscard]] virtual result<void> ping() = 0;
};

/// Refresh-token families (one login = one family) and the access tokens issued from them.
class session_store {
public:
    virtual ~session_store() = default;
    /// Records a new refresh token (and creates its family if new).
    [[nodiscard]] virtual result<void> add_refresh_token(refresh_token const& t) = 0;
    /// Atomically spends the token with this hash: exactly one concurrent caller sees `fresh`.
    [[nodiscard]] virtual result<consumed_refresh> consume_refresh_token(std::string_view token_hash,
                                                                         std::int64_t now) = 0;
    /// Remembers that access token `jti` (valid until `expires_at`) was issued from `family_id`.
    [[nodiscard]] virtual result<void> add_access_token(std::string_view family_id, std::string_view jti,
                                                        std::int64_t expires_at) = 0;
    /// Marks the family revoked; returns the jtis (with expiry) of its unexpired access tokens
    /// so the caller can put them on the revocation list.
    [[nodiscard]] virtual result<std::vector<std::pair<std::string, std::int64_t>>> revoke_family(
        std::string_view family_id, std::int64_t now) = 0;
    /// Revokes every family of the user except `keep_family` (empty: all); returns their live jtis.
    [[nodiscard]] virtual result<std::vector<std::pair<std::string, std::int64_t>>> revoke_user_families(
        user_id user, std::string_view keep_family, std::int64_t now) = 0;
    /// The family of a refresh token by its hash, if known (RFC 7009 revoke).
    [[nodiscard]] virtual result<std::string> family_of_refresh_token(std::string_view token_hash) = 0;
    /// Deletes refresh tokens and families that expired before `now`; returns rows removed.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_sessions(std::int64_t now) = 0;
};

/// Revoked access-token `jti`s, kept until the token would have expired anyway.
class revocation_store {
public:
    virtual ~revocation_store() = default;
    [[nodiscard]] virtual result<void> revoke_jti(std::string_view jti, std::int64_t expires_at) = 0;
    [[nodiscard]] virtual result<bool> is_revoked(std::string_view jti) = 0;
    /// Deletes revocations whose token has expired by `now`; returns rows removed.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_revocations(std::int64_t now) = 0;
};

/// Login-failure counters per key (`account:<email>` or `address:<ip>`), fixed windows.
class counter_store {
public:
    virtual ~counter_store() = default;
    /// Adds one failure; a window older than `window_seconds` restarts at 1. Returns the new count.
    [[nodiscard]] virtual result<failure_count> add_failure(std::string_view key, std::int64_t now,
                                                            std::int64_t window_seconds) = 0;
    /// The current count (zero if none or the window has passed).
    [[nodiscard]] virtual result<failure_count> failures(std::string_view key, std::int64_t now,
                                                         std::int64_t window_seconds) = 0;
    [[nodiscard]] virtual result<void> reset_failures(std::string_view key) = 0;
};

/// One backend's implementations of the interfaces (a backend may implement several).
struct backends {
    std::shared_ptr<user_store> users;
    std::shared_ptr<session_store> sessions;
    std::shared_ptr<revocation_store> revocations;
    std::shared_ptr<counter_store> counters;
};

/// Opens `sqlite:///path` (creating the file) or `postgresql://...` and runs pending migrations.
/// Errors: `errc::bad_url`, `errc::unavailable` (cannot open/connect), `errc::migration_failed`.
[[nodiscard]] result<backends> open(std::string_view url);

}  // namespace warden::store
