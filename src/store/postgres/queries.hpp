#pragma once
// Every statement the PostgreSQL backend runs, by name. All are parameterized; each connection
// prepares each one once and reuses it. Keys compare bytewise (COLLATE "C"), as on SQLite.
#include <array>
#include <cstddef>
#include <string_view>

namespace warden::store {

enum class sql_pg : std::size_t {
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
    refresh_get_locked,
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
    failure_lock,
    failure_get,
    failure_delete,
    failure_purge,
    failure_release,
    // signing keys
    key_list,
    key_revision,
    key_lock,
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
    user_lock,
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
    totp_state,
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
    raise_sequence,
    // the change feed
    feed_end,
    feed_read,
    feed_revoked,
    feed_trim,
    count_  // number of statements, not a statement
};

inline constexpr std::size_t sql_pg_count = static_cast<std::size_t>(sql_pg::count_);

// The user columns in the order `read_user` expects them.
#define WARDEN_PG_USER_COLUMNS                                                         \
    "id, email, password_hash, full_name, is_active, scopes, created_at, updated_at, " \
    "token_version, is_verified"

// The signing-key columns in the order `read_signing_key` expects them.
#define WARDEN_PG_KEY_COLUMNS                                                                \
    "kid, algorithm, public_jwk, sealed_private_key, created_at, activated_at, retired_at, " \
    "expires_at"

// The client columns in the order `read_client` expects them.
#define WARDEN_PG_CLIENT_COLUMNS "client_id, secret_hash, scopes, created_at, updated_at"

inline constexpr std::array<std::string_view, sql_pg_count> sql_pg_text{
    // readiness: a row written and erased in one transaction, so the commit is a real write
    "INSERT INTO login_failures(key, failures, window_started_at) VALUES('probe:readiness', 0, 0)"
    " ON CONFLICT(key) DO NOTHING",
    "DELETE FROM login_failures WHERE key = 'probe:readiness'",
    // users
    "INSERT INTO users(email, password_hash, full_name, is_active, scopes, created_at, updated_at,"
    " token_version, is_verified) VALUES($1, $2, $3, $4, $5, $6::bigint, $6::bigint, 0,"
    " $7::boolean)"
    " RETURNING " WARDEN_PG_USER_COLUMNS,
    "SELECT " WARDEN_PG_USER_COLUMNS " FROM users WHERE id = $1::bigint",
    "SELECT " WARDEN_PG_USER_COLUMNS
    ", EXISTS(SELECT 1 FROM revoked_jtis WHERE jti = $2::text) FROM users WHERE id = $1::bigint",
    "SELECT " WARDEN_PG_USER_COLUMNS
    " FROM users WHERE warden_ascii_lower(email) = warden_ascii_lower($1::text)",
    "UPDATE users SET email = coalesce($2::text, email),"
    " password_hash = coalesce($3::text, password_hash), full_name = coalesce($4::text, full_name),"
    " is_active = coalesce($5::boolean, is_active), scopes = coalesce($6::text, scopes),"
    " token_version = token_version + $7::bigint, updated_at = $8::bigint,"
    " is_verified = coalesce($9::boolean, is_verified)"
    " WHERE id = $1::bigint RETURNING " WARDEN_PG_USER_COLUMNS,
    // locks the row: a use case's compare-and-set holds until its commit
    "SELECT token_version, is_active, password_hash FROM users WHERE id = $1::bigint FOR UPDATE",
    // compare-and-set: only over the hash the caller verified
    "UPDATE users SET password_hash = $3::text, updated_at = $4::bigint"
    " WHERE id = $1::bigint AND password_hash = $2::text",
    "DELETE FROM users WHERE id = $1::bigint",
    "SELECT count(*) FROM users",
    "SELECT " WARDEN_PG_USER_COLUMNS " FROM users ORDER BY id LIMIT $1::bigint OFFSET $2::bigint",
    // sessions
    // locks the family: a revocation racing a grant into it commits wholly before or after
    "SELECT user_id, revoked_at IS NOT NULL FROM refresh_families WHERE id = $1::text FOR UPDATE",
    "INSERT INTO refresh_families(id, user_id, created_at, expires_at)"
    " VALUES($1::text, $2::bigint, $3::bigint, $4::bigint)",
    "UPDATE refresh_families SET expires_at = greatest(expires_at, $2::bigint) WHERE id = $1::text",
    "UPDATE refresh_families SET revoked_at = coalesce(revoked_at, $2::bigint) WHERE id = $1::text",
    "SELECT jti, expires_at FROM access_tokens WHERE family_id = $1::text ORDER BY expires_at, jti",
    "INSERT INTO refresh_tokens(token_hash, family_id, scope, issued_at, expires_at)"
    " VALUES($1::bytea, $2::text, $3::text, $4::bigint, $5::bigint)",
    "SELECT t.family_id, f.user_id, t.scope, t.issued_at, t.expires_at, t.spent_at IS NOT NULL,"
    " f.revoked_at IS NOT NULL FROM refresh_tokens AS t JOIN refresh_families AS f"
    " ON f.id = t.family_id WHERE t.token_hash = $1::bytea",
    // the same, locking the token: concurrent rotations of one token take turns
    "SELECT t.family_id, f.user_id, t.scope, t.issued_at, t.expires_at, t.spent_at IS NOT NULL,"
    " f.revoked_at IS NOT NULL FROM refresh_tokens AS t JOIN refresh_families AS f"
    " ON f.id = t.family_id WHERE t.token_hash = $1::bytea FOR UPDATE OF t",
    "UPDATE refresh_tokens SET spent_at = $2::bigint WHERE token_hash = $1::bytea"
    " AND spent_at IS NULL",
    "SELECT family_id FROM refresh_tokens WHERE token_hash = $1::bytea",
    "INSERT INTO access_tokens(jti, family_id, expires_at) VALUES($1::text, $2::text, $3::bigint)",
    "SELECT family_id FROM access_tokens WHERE jti = $1::text",
    "SELECT a.jti, a.expires_at FROM access_tokens AS a JOIN refresh_families AS f"
    " ON f.id = a.family_id WHERE f.user_id = $1::bigint AND f.id <> $2::text"
    " ORDER BY a.expires_at, a.jti",
    "UPDATE refresh_families SET revoked_at = $3::bigint"
    " WHERE user_id = $1::bigint AND id <> $2::text AND revoked_at IS NULL",
    "INSERT INTO revoked_jtis(jti, expires_at) SELECT jti, expires_at FROM access_tokens"
    " WHERE family_id = $1::text ON CONFLICT(jti) DO UPDATE SET"
    " expires_at = greatest(revoked_jtis.expires_at, excluded.expires_at)",
    "INSERT INTO revoked_jtis(jti, expires_at) SELECT a.jti, a.expires_at FROM access_tokens AS a"
    " JOIN refresh_families AS f ON f.id = a.family_id"
    " WHERE f.user_id = $1::bigint AND f.id <> $2::text ON CONFLICT(jti) DO UPDATE SET"
    " expires_at = greatest(revoked_jtis.expires_at, excluded.expires_at)",
    "DELETE FROM access_tokens WHERE expires_at <= $1::bigint",
    "DELETE FROM refresh_tokens WHERE expires_at <= $1::bigint",
    "DELETE FROM refresh_families WHERE expires_at <= $1::bigint",
    // revocations
    "INSERT INTO revoked_jtis(jti, expires_at) VALUES($1::text, $2::bigint)"
    " ON CONFLICT(jti) DO UPDATE SET"
    " expires_at = greatest(revoked_jtis.expires_at, excluded.expires_at)",
    "SELECT 1 FROM revoked_jtis WHERE jti = $1::text",
    "DELETE FROM revoked_jtis WHERE expires_at <= $1::bigint",
    // login-failure counters: one statement, so concurrent failures never lose a count. $3 is
    // the window's cutoff (now - window): a window that started after it continues.
    "INSERT INTO login_failures(key, failures, window_started_at) VALUES($1::text, 1, $2::bigint)"
    " ON CONFLICT(key) DO UPDATE SET failures = CASE WHEN login_failures.window_started_at >"
    " $3::bigint THEN login_failures.failures + 1 ELSE 1 END, window_started_at = CASE WHEN"
    " login_failures.window_started_at > $3::bigint THEN login_failures.window_started_at"
    " ELSE $2::bigint END RETURNING failures, window_started_at",
    // the key's row, locked to the commit: created (count 0) if missing, so a reservation's
    // rollback removes it. One statement: a row deleted meanwhile (a reset by another process)
    // is inserted anew, where an insert and a separate SELECT ... FOR UPDATE would find none.
    "INSERT INTO login_failures(key, failures, window_started_at) VALUES($1::text, 0, $2::bigint)"
    " ON CONFLICT(key) DO UPDATE SET failures = login_failures.failures"
    " RETURNING failures, window_started_at",
    "SELECT failures, window_started_at FROM login_failures WHERE key = $1::text",
    "DELETE FROM login_failures WHERE key = $1::text",
    "DELETE FROM login_failures WHERE window_started_at <= $1::bigint",
    "UPDATE login_failures SET failures = greatest(failures - 1, 0) WHERE key = $1::text AND "
    "window_started_at > $2::bigint",
    // signing keys (the trigger of migration 3 bumps the revision)
    "SELECT " WARDEN_PG_KEY_COLUMNS " FROM signing_keys ORDER BY created_at, kid",
    "SELECT revision FROM signing_key_revision",
    // every key change takes this lock first: they run one at a time, each seeing the last
    "SELECT revision FROM signing_key_revision FOR UPDATE",
    "INSERT INTO signing_keys(" WARDEN_PG_KEY_COLUMNS
    ") VALUES($1::text, $2::text, $3::text,"
    " $4::bytea, $5::bigint, $6::bigint, $7::bigint, $8::bigint)",
    "SELECT kid FROM signing_keys WHERE activated_at IS NOT NULL AND retired_at IS NULL",
    "SELECT activated_at IS NOT NULL, retired_at IS NOT NULL FROM signing_keys"
    " WHERE kid = $1::text",
    "UPDATE signing_keys SET retired_at = $1::bigint, expires_at = $2::bigint"
    " WHERE activated_at IS NOT NULL AND retired_at IS NULL",
    "UPDATE signing_keys SET activated_at = $2::bigint WHERE kid = $1::text",
    // a retired key keeps its retirement time and the earlier expiry
    "UPDATE signing_keys SET retired_at = coalesce(retired_at, $2::bigint),"
    " expires_at = least(coalesce(expires_at, $3::bigint), $3::bigint) WHERE kid = $1::text",
    "DELETE FROM signing_keys WHERE retired_at IS NOT NULL AND expires_at < $1::bigint",
    // OAuth2 clients
    "INSERT INTO oauth_clients(" WARDEN_PG_CLIENT_COLUMNS
    ") VALUES($1::text, $2::bytea, $3::text,"
    " $4::bigint, $5::bigint)",
    "SELECT " WARDEN_PG_CLIENT_COLUMNS " FROM oauth_clients WHERE client_id = $1::text",
    "SELECT " WARDEN_PG_CLIENT_COLUMNS " FROM oauth_clients ORDER BY client_id",
    "UPDATE oauth_clients SET secret_hash = $2::bytea, updated_at = $3::bigint"
    " WHERE client_id = $1::text",
    "DELETE FROM oauth_clients WHERE client_id = $1::text",
    // one-time tokens: a new request replaces the older token of its kind; issuing locks the
    // user's row first, so two requests of one user take turns and one token remains
    "SELECT 1 FROM users WHERE id = $1::bigint FOR NO KEY UPDATE",
    "DELETE FROM one_time_tokens WHERE user_id = $1::bigint AND kind = $2::text",
    "INSERT INTO one_time_tokens(token_hash, kind, user_id, created_at, expires_at)"
    " VALUES($1::bytea, $2::text, $3::bigint, $4::bigint, $5::bigint)",
    // single use: a conditional write (re-checked after a concurrent redeemer's commit), so of
    // concurrent redeemers one spends it
    "UPDATE one_time_tokens SET used_at = $3::bigint WHERE token_hash = $1::bytea"
    " AND kind = $2::text AND used_at IS NULL AND expires_at > $3::bigint RETURNING user_id",
    "DELETE FROM one_time_tokens WHERE expires_at <= $1::bigint OR used_at IS NOT NULL",
    "UPDATE users SET is_verified = true, updated_at = $2::bigint"
    " WHERE id = $1::bigint AND is_active RETURNING " WARDEN_PG_USER_COLUMNS,
    "UPDATE users SET password_hash = $2::text, token_version = token_version + 1,"
    " updated_at = $3::bigint WHERE id = $1::bigint AND is_active"
    " RETURNING " WARDEN_PG_USER_COLUMNS,
    // TOTP: an enrolment locks the user's row first, so two of one user take turns
    "SELECT (SELECT confirmed_at IS NOT NULL FROM totp WHERE user_id = u.id) FROM users AS u"
    " WHERE u.id = $1::bigint FOR NO KEY UPDATE OF u",
    "DELETE FROM totp WHERE user_id = $1::bigint",
    "INSERT INTO totp(user_id, sealed_secret, confirmed_at, last_accepted_step, created_at)"
    " VALUES($1::bigint, $2::bytea, $3::bigint, $4::bigint, $5::bigint)",
    "INSERT INTO totp_recovery_codes(user_id, code_hash, used_at)"
    " VALUES($1::bigint, $2::bytea, $3::bigint)",
    "UPDATE totp SET confirmed_at = $2::bigint WHERE user_id = $1::bigint AND confirmed_at IS NULL",
    "SELECT confirmed_at IS NOT NULL FROM totp WHERE user_id = $1::bigint",
    "SELECT sealed_secret, confirmed_at, last_accepted_step, created_at,"
    " (SELECT count(*) FROM totp_recovery_codes AS r WHERE r.user_id = t.user_id"
    " AND r.used_at IS NULL) FROM totp AS t WHERE user_id = $1::bigint",
    "SELECT user_id FROM totp ORDER BY user_id LIMIT 1",
    // replay protection: only a later step than any accepted (re-checked after a concurrent
    // acceptance's commit)
    "UPDATE totp SET last_accepted_step = $2::bigint WHERE user_id = $1::bigint"
    " AND last_accepted_step < $2::bigint",
    "UPDATE totp_recovery_codes SET used_at = $3::bigint WHERE user_id = $1::bigint"
    " AND code_hash = $2::bytea AND used_at IS NULL"
    " AND EXISTS(SELECT 1 FROM totp WHERE user_id = $1::bigint AND confirmed_at IS NOT NULL)",
    // a whole deployment
    "SELECT " WARDEN_PG_USER_COLUMNS " FROM users ORDER BY id",
    "SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('users', 'id')::regclass), 0)",
    "SELECT id, user_id, created_at, expires_at, revoked_at FROM refresh_families ORDER BY id",
    "SELECT token_hash, family_id, scope, issued_at, expires_at, spent_at FROM refresh_tokens"
    " ORDER BY token_hash",
    "SELECT jti, family_id, expires_at FROM access_tokens ORDER BY jti",
    "SELECT jti, expires_at FROM revoked_jtis ORDER BY jti",
    "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM refresh_families) +"
    " (SELECT count(*) FROM revoked_jtis) + (SELECT count(*) FROM signing_keys) +"
    " (SELECT count(*) FROM oauth_clients)",
    "INSERT INTO users(" WARDEN_PG_USER_COLUMNS
    ") VALUES($1::bigint, $2::text, $3::text,"
    " $4::text, $5::boolean, $6::text, $7::bigint, $8::bigint, $9::bigint, $10::boolean)",
    "INSERT INTO refresh_families(id, user_id, created_at, expires_at, revoked_at)"
    " VALUES($1::text, $2::bigint, $3::bigint, $4::bigint, $5::bigint)",
    "INSERT INTO refresh_tokens(token_hash, family_id, scope, issued_at, expires_at, spent_at)"
    " VALUES($1::bytea, $2::text, $3::text, $4::bigint, $5::bigint, $6::bigint)",
    "INSERT INTO access_tokens(jti, family_id, expires_at) VALUES($1::text, $2::text, $3::bigint)",
    "SELECT token_hash, kind, user_id, created_at, expires_at, used_at FROM one_time_tokens"
    " ORDER BY token_hash",
    "SELECT user_id, sealed_secret, confirmed_at, last_accepted_step, created_at FROM totp"
    " ORDER BY user_id",
    "SELECT user_id, code_hash, used_at FROM totp_recovery_codes ORDER BY user_id, code_hash",
    "INSERT INTO one_time_tokens(token_hash, kind, user_id, created_at, expires_at, used_at)"
    " VALUES($1::bytea, $2::text, $3::bigint, $4::bigint, $5::bigint, $6::bigint)",
    // the next id after the highest ever handed out, here or in the source
    "SELECT setval(pg_get_serial_sequence('users', 'id'), greatest($1::bigint,"
    " (SELECT coalesce(max(id), 0) FROM users), 1), greatest($1::bigint,"
    " (SELECT coalesce(max(id), 0) FROM users)) > 0)",
    // the change feed
    "SELECT coalesce(max(position), 0) FROM change_feed",
    "SELECT position, user_id, jti, expires_at FROM change_feed WHERE position > $1::bigint"
    " ORDER BY position LIMIT $2::bigint",
    "SELECT jti, expires_at FROM revoked_jtis WHERE expires_at > $1::bigint ORDER BY jti",
    // the newest entry stays: feed_end never moves back
    "DELETE FROM change_feed WHERE created_at < $1::bigint"
    " AND position < (SELECT max(position) FROM change_feed)",
};

// A statement left out above would leave the last entries empty.
static_assert(!sql_pg_text.back().empty(), "one text per statement, in enum order");

#undef WARDEN_PG_USER_COLUMNS
#undef WARDEN_PG_KEY_COLUMNS
#undef WARDEN_PG_CLIENT_COLUMNS

}  // namespace warden::store
