#pragma once
// Every statement the SQLite backend runs, by name. All are parameterized; each connection
// prepares each one once (SQLITE_PREPARE_PERSISTENT) and reuses it.
#include <array>
#include <cstddef>
#include <string_view>

namespace warden::store {

enum class sql : std::size_t {
    begin_write,
    begin_read,
    commit,
    rollback,
    ping,
    probe_write,
    probe_erase,
    // users
    user_insert,
    user_by_id,
    user_for_token,
    user_by_email,
    user_update,
    user_credentials,
    user_replace_hash,
    user_delete,
    user_count,
    user_page,
    // sessions
    family_get,
    family_insert,
    family_extend,
    family_revoke,
    family_jtis,
    refresh_insert,
    refresh_get,
    refresh_spend,
    refresh_family,
    access_insert,
    access_family,
    user_families_jtis,
    user_families_revoke,
    family_revoke_jtis,
    user_families_revoke_jtis,
    purge_access,
    purge_refresh,
    purge_families,
    // revocations
    revoked_insert,
    revoked_get,
    revoked_purge,
    // login-failure counters
    failure_add,
    failure_get,
    failure_delete,
    failure_purge,
    failure_release,
    // signing keys
    key_list,
    key_revision,
    key_insert,
    key_current,
    key_state,
    key_retire_current,
    key_activate,
    key_retire,
    key_purge,
    // OAuth2 clients
    client_insert,
    client_get,
    client_list,
    client_set_secret,
    client_delete,
    // one-time tokens (verification, reset)
    ott_delete_older,
    ott_insert,
    ott_spend,
    ott_purge,
    user_verify,
    user_reset_password,
    // TOTP
    totp_lock_state,
    totp_delete,
    totp_insert,
    recovery_insert,
    totp_confirm,
    totp_get,
    totp_first_user,
    totp_accept,
    recovery_use,
    // a whole deployment (transfer_store)
    export_users,
    export_last_user_id,
    export_families,
    export_refresh,
    export_access,
    export_revoked,
    count_rows,
    import_user,
    import_family,
    import_refresh,
    import_access,
    export_one_time_tokens,
    export_totp,
    export_recovery_codes,
    import_one_time_token,
    import_sequence,
    raise_sequence,
    // the change feed
    feed_end,
    feed_read,
    feed_revoked,
    feed_trim,
    count_  // number of statements, not a statement
};

inline constexpr std::size_t sql_count = static_cast<std::size_t>(sql::count_);

// The user columns in the order `read_user` expects them.
#define WARDEN_USER_COLUMNS                                                            \
    "id, email, password_hash, full_name, is_active, scopes, created_at, updated_at, " \
    "token_version, is_verified"

// The signing-key columns in the order `read_signing_key` expects them.
#define WARDEN_KEY_COLUMNS                                                                   \
    "kid, algorithm, public_jwk, sealed_private_key, created_at, activated_at, retired_at, " \
    "expires_at"

// The client columns in the order `read_client` expects them.
#define WARDEN_CLIENT_COLUMNS "client_id, secret_hash, scopes, created_at, updated_at"

inline constexpr std::array<std::string_view, sql_count> sql_text{
    "BEGIN IMMEDIATE",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "PRAGMA user_version",
    // readiness: a row written and erased in one transaction, so the commit is a real write
    "INSERT INTO login_failures(key, failures, window_started_at) VALUES('probe:readiness', 0, 0)"
    " ON CONFLICT(key) DO NOTHING",
    "DELETE FROM login_failures WHERE key = 'probe:readiness'",
    // users
    "INSERT INTO users(email, password_hash, full_name, is_active, scopes, created_at, updated_at,"
    " token_version, is_verified) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6, 0, ?7)"
    " RETURNING " WARDEN_USER_COLUMNS,
    "SELECT " WARDEN_USER_COLUMNS " FROM users WHERE id = ?1",
    "SELECT " WARDEN_USER_COLUMNS
    ", EXISTS(SELECT 1 FROM revoked_jtis WHERE jti = ?2) FROM users WHERE id = ?1",
    "SELECT " WARDEN_USER_COLUMNS " FROM users WHERE email = ?1 COLLATE NOCASE",
    "UPDATE users SET email = coalesce(?2, email), password_hash = coalesce(?3, password_hash),"
    " full_name = coalesce(?4, full_name), is_active = coalesce(?5, is_active),"
    " scopes = coalesce(?6, scopes), token_version = token_version + ?7, updated_at = ?8,"
    " is_verified = coalesce(?9, is_verified)"
    " WHERE id = ?1 RETURNING " WARDEN_USER_COLUMNS,
    "SELECT token_version, is_active, password_hash FROM users WHERE id = ?1",
    // compare-and-set: only over the hash the caller verified
    "UPDATE users SET password_hash = ?3, updated_at = ?4 WHERE id = ?1 AND password_hash = ?2",
    "DELETE FROM users WHERE id = ?1",
    "SELECT count(*) FROM users",
    "SELECT " WARDEN_USER_COLUMNS " FROM users ORDER BY id LIMIT ?1 OFFSET ?2",
    // sessions
    "SELECT user_id, revoked_at IS NOT NULL FROM refresh_families WHERE id = ?1",
    "INSERT INTO refresh_families(id, user_id, created_at, expires_at) VALUES(?1, ?2, ?3, ?4)",
    "UPDATE refresh_families SET expires_at = max(expires_at, ?2) WHERE id = ?1",
    "UPDATE refresh_families SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
    "SELECT jti, expires_at FROM access_tokens WHERE family_id = ?1 ORDER BY expires_at, jti",
    "INSERT INTO refresh_tokens(token_hash, family_id, scope, issued_at, expires_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5)",
    "SELECT t.family_id, f.user_id, t.scope, t.issued_at, t.expires_at, t.spent_at IS NOT NULL,"
    " f.revoked_at IS NOT NULL FROM refresh_tokens AS t JOIN refresh_families AS f"
    " ON f.id = t.family_id WHERE t.token_hash = ?1",
    "UPDATE refresh_tokens SET spent_at = ?2 WHERE token_hash = ?1 AND spent_at IS NULL",
    "SELECT family_id FROM refresh_tokens WHERE token_hash = ?1",
    "INSERT INTO access_tokens(jti, family_id, expires_at) VALUES(?1, ?2, ?3)",
    "SELECT family_id FROM access_tokens WHERE jti = ?1",
    "SELECT a.jti, a.expires_at FROM access_tokens AS a JOIN refresh_families AS f"
    " ON f.id = a.family_id WHERE f.user_id = ?1 AND f.id <> ?2 ORDER BY a.expires_at, a.jti",
    "UPDATE refresh_families SET revoked_at = ?3"
    " WHERE user_id = ?1 AND id <> ?2 AND revoked_at IS NULL",
    "INSERT INTO revoked_jtis(jti, expires_at) SELECT jti, expires_at FROM access_tokens"
    " WHERE family_id = ?1"
    " ON CONFLICT(jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)",
    "INSERT INTO revoked_jtis(jti, expires_at) SELECT a.jti, a.expires_at FROM access_tokens AS a"
    " JOIN refresh_families AS f ON f.id = a.family_id WHERE f.user_id = ?1 AND f.id <> ?2"
    " ON CONFLICT(jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)",
    "DELETE FROM access_tokens WHERE expires_at <= ?1",
    "DELETE FROM refresh_tokens WHERE expires_at <= ?1",
    "DELETE FROM refresh_families WHERE expires_at <= ?1",
    // revocations
    "INSERT INTO revoked_jtis(jti, expires_at) VALUES(?1, ?2)"
    " ON CONFLICT(jti) DO UPDATE SET expires_at = max(expires_at, excluded.expires_at)",
    "SELECT 1 FROM revoked_jtis WHERE jti = ?1",
    "DELETE FROM revoked_jtis WHERE expires_at <= ?1",
    // login-failure counters: one statement, so concurrent failures never lose a count
    "INSERT INTO login_failures(key, failures, window_started_at) VALUES(?1, 1, ?2)"
    " ON CONFLICT(key) DO UPDATE SET"
    " failures = CASE WHEN ?2 - window_started_at < ?3 THEN failures + 1 ELSE 1 END,"
    " window_started_at = CASE WHEN ?2 - window_started_at < ?3 THEN window_started_at ELSE ?2 END"
    " RETURNING failures, window_started_at",
    "SELECT failures, window_started_at FROM login_failures WHERE key = ?1",
    "DELETE FROM login_failures WHERE key = ?1",
    "DELETE FROM login_failures WHERE window_started_at <= ?1",
    "UPDATE login_failures SET failures = max(failures - 1, 0) WHERE key = ?1 AND "
    "window_started_at > ?2",
    // signing keys (the triggers of migration 3 bump the revision)
    "SELECT " WARDEN_KEY_COLUMNS " FROM signing_keys ORDER BY created_at, kid",
    "SELECT revision FROM signing_key_revision",
    "INSERT INTO signing_keys(" WARDEN_KEY_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "SELECT kid FROM signing_keys WHERE activated_at IS NOT NULL AND retired_at IS NULL",
    "SELECT activated_at IS NOT NULL, retired_at IS NOT NULL FROM signing_keys WHERE kid = ?1",
    "UPDATE signing_keys SET retired_at = ?1, expires_at = ?2"
    " WHERE activated_at IS NOT NULL AND retired_at IS NULL",
    "UPDATE signing_keys SET activated_at = ?2 WHERE kid = ?1",
    // a retired key keeps its retirement time and the earlier expiry
    "UPDATE signing_keys SET retired_at = coalesce(retired_at, ?2),"
    " expires_at = CASE WHEN expires_at IS NULL THEN ?3 ELSE min(expires_at, ?3) END"
    " WHERE kid = ?1",
    "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND expires_at < ?1",
    // OAuth2 clients
    "INSERT INTO oauth_clients(" WARDEN_CLIENT_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5)",
    "SELECT " WARDEN_CLIENT_COLUMNS " FROM oauth_clients WHERE client_id = ?1",
    "SELECT " WARDEN_CLIENT_COLUMNS " FROM oauth_clients ORDER BY client_id",
    "UPDATE oauth_clients SET secret_hash = ?2, updated_at = ?3 WHERE client_id = ?1",
    "DELETE FROM oauth_clients WHERE client_id = ?1",
    // one-time tokens: a new request replaces the older token of its kind
    "DELETE FROM one_time_tokens WHERE user_id = ?1 AND kind = ?2",
    "INSERT INTO one_time_tokens(token_hash, kind, user_id, created_at, expires_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5)",
    // single use: a conditional write, so of concurrent redeemers one spends it
    "UPDATE one_time_tokens SET used_at = ?3 WHERE token_hash = ?1 AND kind = ?2"
    " AND used_at IS NULL AND expires_at > ?3 RETURNING user_id",
    "DELETE FROM one_time_tokens WHERE expires_at <= ?1 OR used_at IS NOT NULL",
    "UPDATE users SET is_verified = 1, updated_at = ?2 WHERE id = ?1 AND is_active = 1"
    " RETURNING " WARDEN_USER_COLUMNS,
    "UPDATE users SET password_hash = ?2, token_version = token_version + 1, updated_at = ?3"
    " WHERE id = ?1 AND is_active = 1 RETURNING " WARDEN_USER_COLUMNS,
    // TOTP (the write transaction holds the lock: no row lock needed)
    "SELECT EXISTS(SELECT 1 FROM users WHERE id = ?1),"
    " (SELECT confirmed_at IS NOT NULL FROM totp WHERE user_id = ?1)",
    "DELETE FROM totp WHERE user_id = ?1",
    "INSERT INTO totp(user_id, sealed_secret, confirmed_at, last_accepted_step, created_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO totp_recovery_codes(user_id, code_hash, used_at) VALUES(?1, ?2, ?3)",
    "UPDATE totp SET confirmed_at = ?2 WHERE user_id = ?1 AND confirmed_at IS NULL",
    "SELECT sealed_secret, confirmed_at, last_accepted_step, created_at,"
    " (SELECT count(*) FROM totp_recovery_codes AS r WHERE r.user_id = t.user_id"
    " AND r.used_at IS NULL) FROM totp AS t WHERE user_id = ?1",
    "SELECT user_id FROM totp ORDER BY user_id LIMIT 1",
    // replay protection: only a later step than any accepted
    "UPDATE totp SET last_accepted_step = ?2 WHERE user_id = ?1 AND last_accepted_step < ?2",
    "UPDATE totp_recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2"
    " AND used_at IS NULL"
    " AND EXISTS(SELECT 1 FROM totp WHERE user_id = ?1 AND confirmed_at IS NOT NULL)",
    // a whole deployment
    "SELECT " WARDEN_USER_COLUMNS " FROM users ORDER BY id",
    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'users'), 0)",
    "SELECT id, user_id, created_at, expires_at, revoked_at FROM refresh_families ORDER BY id",
    "SELECT token_hash, family_id, scope, issued_at, expires_at, spent_at FROM refresh_tokens"
    " ORDER BY token_hash",
    "SELECT jti, family_id, expires_at FROM access_tokens ORDER BY jti",
    "SELECT jti, expires_at FROM revoked_jtis ORDER BY jti",
    "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM refresh_families) +"
    " (SELECT count(*) FROM revoked_jtis) + (SELECT count(*) FROM signing_keys) +"
    " (SELECT count(*) FROM oauth_clients)",
    "INSERT INTO users(" WARDEN_USER_COLUMNS ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    "INSERT INTO refresh_families(id, user_id, created_at, expires_at, revoked_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5)",
    "INSERT INTO refresh_tokens(token_hash, family_id, scope, issued_at, expires_at, spent_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO access_tokens(jti, family_id, expires_at) VALUES(?1, ?2, ?3)",
    "SELECT token_hash, kind, user_id, created_at, expires_at, used_at FROM one_time_tokens"
    " ORDER BY token_hash",
    "SELECT user_id, sealed_secret, confirmed_at, last_accepted_step, created_at FROM totp"
    " ORDER BY user_id",
    "SELECT user_id, code_hash, used_at FROM totp_recovery_codes ORDER BY user_id, code_hash",
    "INSERT INTO one_time_tokens(token_hash, kind, user_id, created_at, expires_at, used_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "INSERT INTO sqlite_sequence(name, seq) SELECT 'users', 0"
    " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users')",
    "UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'users'",
    // the change feed
    "SELECT coalesce(max(position), 0) FROM change_feed",
    "SELECT position, user_id, jti, expires_at FROM change_feed WHERE position > ?1"
    " ORDER BY position LIMIT ?2",
    "SELECT jti, expires_at FROM revoked_jtis WHERE expires_at > ?1 ORDER BY jti",
    // the newest entry stays: feed_end never moves back
    "DELETE FROM change_feed WHERE created_at < ?1"
    " AND position < (SELECT max(position) FROM change_feed)",
};

// A statement left out above would leave the last entries empty.
static_assert(!sql_text.back().empty(), "one text per statement, in enum order");

#undef WARDEN_USER_COLUMNS
#undef WARDEN_KEY_COLUMNS
#undef WARDEN_CLIENT_COLUMNS

}  // namespace warden::store
