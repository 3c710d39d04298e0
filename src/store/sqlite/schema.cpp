#include "store/sqlite/schema.hpp"

#include <array>
#include <string_view>

namespace warden::store {
namespace {

// Migration 1: the whole store. STRICT tables: a value of the wrong type is an error, never
// silently converted. Text keys are compared bytewise except the email index (ASCII NOCASE).
constexpr char const* migration_1 = R"sql(
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: an old token's sub cannot
                                                      -- name a new user
    email         TEXT    NOT NULL CHECK (length(email) > 0),
    password_hash TEXT    NOT NULL,
    full_name     TEXT    NOT NULL,
    is_active     INTEGER NOT NULL CHECK (is_active IN (0, 1)),
    scopes        TEXT    NOT NULL,                   -- sorted unique scope-tokens, space-separated
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    token_version INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE UNIQUE INDEX users_email_nocase ON users (email COLLATE NOCASE);

CREATE TABLE refresh_families (
    id         TEXT    NOT NULL PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,  -- the latest expiry of its refresh and access tokens
    revoked_at INTEGER            -- NULL while live
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_families_user ON refresh_families (user_id);
CREATE INDEX refresh_families_expiry ON refresh_families (expires_at);

CREATE TABLE refresh_tokens (
    token_hash BLOB    NOT NULL PRIMARY KEY,
    family_id  TEXT    NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    scope      TEXT    NOT NULL,
    issued_at  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    spent_at   INTEGER            -- NULL until rotated
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_expiry ON refresh_tokens (expires_at);

CREATE TABLE access_tokens (
    jti        TEXT    NOT NULL PRIMARY KEY,
    family_id  TEXT    NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX access_tokens_family ON access_tokens (family_id);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

CREATE TABLE revoked_jtis (
    jti        TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX revoked_jtis_expiry ON revoked_jtis (expires_at);

CREATE TABLE login_failures (
    key               TEXT    NOT NULL PRIMARY KEY,
    failures          INTEGER NOT NULL,
    window_started_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX login_failures_window ON login_failures (window_started_at);

PRAGMA application_id = 2002874980;  -- 0x77617264, 'ward'
)sql";

// Migration 2: the change feed (docs/store.md "The change feed"). Triggers append to it in the
// writing transaction itself, so every write path (use cases, the CLI, another process) is
// covered and a rolled-back change appends nothing. AUTOINCREMENT: a position is never reused,
// even after the newest rows are deleted, so a reader's cursor never points into a restart.
// Commits are serialized on SQLite, so positions are in commit order.
constexpr char const* migration_2 = R"sql(
CREATE TABLE change_feed (
    position   INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL DEFAULT 0,   -- nonzero: this user's row changed or was deleted
    jti        TEXT    NOT NULL DEFAULT '',  -- non-empty: this access token was revoked
    expires_at INTEGER NOT NULL DEFAULT 0,   -- with jti: the token's expiry
    created_at INTEGER NOT NULL              -- Unix seconds, for trimming
) STRICT;
CREATE INDEX change_feed_created ON change_feed (created_at);

-- Any update: email, name, active flag, scopes, token version, hash (a cache may hold any).
CREATE TRIGGER change_feed_user_updated AFTER UPDATE ON users BEGIN
    INSERT INTO change_feed (user_id, created_at) VALUES (NEW.id, unixepoch());
END;
CREATE TRIGGER change_feed_user_deleted AFTER DELETE ON users BEGIN
    INSERT INTO change_feed (user_id, created_at) VALUES (OLD.id, unixepoch());
END;
-- A revocation is an upsert: a new jti fires the INSERT trigger, a known one the UPDATE one.
CREATE TRIGGER change_feed_jti_revoked AFTER INSERT ON revoked_jtis BEGIN
    INSERT INTO change_feed (jti, expires_at, created_at)
    VALUES (NEW.jti, NEW.expires_at, unixepoch());
END;
CREATE TRIGGER change_feed_jti_revoked_again AFTER UPDATE ON revoked_jtis BEGIN
    INSERT INTO change_feed (jti, expires_at, created_at)
    VALUES (NEW.jti, NEW.expires_at, unixepoch());
END;
)sql";

// Migration 3: the deployment's signing keys and its OAuth2 clients (docs/store.md "Signing keys
// and OAuth2 clients"). The partial unique index lets at most one key be current, whatever the
// writer; triggers bump the key-set revision in the transaction of every key change, so a
// process that polls the revision never misses one (a purge that deletes nothing bumps nothing).
constexpr char const* migration_3 = R"sql(
CREATE TABLE signing_keys (
    kid                TEXT    NOT NULL PRIMARY KEY CHECK (length(kid) > 0),
    algorithm          TEXT    NOT NULL CHECK (length(algorithm) > 0),
    public_jwk         TEXT    NOT NULL,
    sealed_private_key BLOB    NOT NULL,  -- AES-256-GCM under the key-encryption key
    created_at         INTEGER NOT NULL,
    activated_at       INTEGER,           -- NULL: pending
    retired_at         INTEGER,           -- NULL: pending or current
    expires_at         INTEGER,           -- set exactly when retired_at is
    CHECK ((retired_at IS NULL) = (expires_at IS NULL))
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys ((1))
    WHERE activated_at IS NOT NULL AND retired_at IS NULL;

CREATE TABLE signing_key_revision (
    id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
) STRICT;
INSERT INTO signing_key_revision (id, revision) VALUES (1, 0);

CREATE TRIGGER signing_key_added AFTER INSERT ON signing_keys BEGIN
    UPDATE signing_key_revision SET revision = revision + 1;
END;
CREATE TRIGGER signing_key_changed AFTER UPDATE ON signing_keys BEGIN
    UPDATE signing_key_revision SET revision = revision + 1;
END;
CREATE TRIGGER signing_key_deleted AFTER DELETE ON signing_keys BEGIN
    UPDATE signing_key_revision SET revision = revision + 1;
END;

CREATE TABLE oauth_clients (
    client_id   TEXT    NOT NULL PRIMARY KEY CHECK (length(client_id) > 0),
    secret_hash BLOB    NOT NULL CHECK (length(secret_hash) > 0),  -- SHA-256 of the secret
    scopes      TEXT    NOT NULL,  -- as users.scopes: sorted unique scope-tokens, space-separated
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// Migration 4: e-mail verification, password reset and TOTP (issue 13; docs/store.md
// "Verification, reset and TOTP"). Users that existed before it are unverified. One-time tokens
// are kept by their SHA-256; a TOTP secret only sealed (by the caller, under the key-encryption
// key). Everything hangs off the user and goes with it (ON DELETE CASCADE).
constexpr char const* migration_4 = R"sql(
ALTER TABLE users ADD COLUMN is_verified INTEGER NOT NULL DEFAULT 0 CHECK (is_verified IN (0, 1));

CREATE TABLE one_time_tokens (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) > 0),  -- SHA-256
    kind       TEXT    NOT NULL CHECK (kind IN ('verify', 'reset')),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,  -- valid while now < expires_at
    used_at    INTEGER            -- NULL until redeemed
) STRICT, WITHOUT ROWID;
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, kind);
CREATE INDEX one_time_tokens_expiry ON one_time_tokens (expires_at);

CREATE TABLE totp (
    user_id            INTEGER NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed_secret      BLOB    NOT NULL CHECK (length(sealed_secret) > 0),  -- AES-256-GCM
    confirmed_at       INTEGER,            -- NULL: enrolment not confirmed, not active
    last_accepted_step INTEGER NOT NULL,   -- replay protection: 0 until a code is accepted
    created_at         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE totp_recovery_codes (
    user_id   INTEGER NOT NULL REFERENCES totp (user_id) ON DELETE CASCADE,
    code_hash BLOB    NOT NULL CHECK (length(code_hash) > 0),
    used_at   INTEGER,  -- NULL until used
    PRIMARY KEY (user_id, code_hash)
) STRICT, WITHOUT ROWID;
)sql";

constexpr std::array<sqlite_migration, 4> migrations{{
    {1, migration_1},
    {2, migration_2},
    {3, migration_3},
    {4, migration_4},
}};

result<std::int64_t> read_int(sqlite_connection& c, std::string_view text) {
    auto stmt = c.prepare(text);
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return errc::backend_error;
    return stmt->column_int64(0);
}

void explain(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
}

// The reason SQLite gave, for errors other than ours.
result<void> failed(sqlite_connection& c, error_code ec, std::string* why, std::string_view doing) {
    explain(why, std::string{doing} + ": " + std::string{c.last_message()});
    return ec;
}

}  // namespace

std::span<sqlite_migration const> sqlite_migrations() noexcept { return migrations; }

std::int64_t sqlite_schema_version() noexcept { return migrations.back().version; }

result<void> migrate(sqlite_connection& c, std::span<sqlite_migration const> known,
                     std::string* why) {
    std::int64_t const latest = known.empty() ? 0 : known.back().version;
    for (;;) {
        auto tx = sqlite_transaction::begin_write(c);
        if (!tx) return failed(c, tx.error(), why, "cannot lock the database");
        auto version = read_int(c, "PRAGMA user_version");
        if (!version) return failed(c, version.error(), why, "cannot read the schema version");
        auto app = read_int(c, "PRAGMA application_id");
        if (!app) return failed(c, app.error(), why, "cannot read the application id");
        if (*app != 0 && *app != sqlite_application_id) {
            explain(why, "not a warden database (another application's SQLite file)");
            return errc::migration_failed;
        }
        if (*app == 0) {
            // A fresh file has no tables; anything else belongs to someone else.
            auto tables = read_int(c, "SELECT count(*) FROM sqlite_schema");
            if (!tables) return failed(c, tables.error(), why, "cannot read the schema");
            if (*tables != 0 || *version != 0) {
                explain(why, "not a warden database (it already holds other tables)");
                return errc::migration_failed;
            }
        }
        if (*version > latest) {
            explain(why, "the database schema is version " + std::to_string(*version) +
                             ", newer than this build knows (" + std::to_string(latest) +
                             "): use a newer warden");
            return errc::migration_failed;
        }
        if (*version == latest) return tx->commit();

        sqlite_migration const* next = nullptr;
        for (auto const& m : known) {
            if (m.version > *version) {
                next = &m;
                break;
            }
        }
        std::string detail;
        if (auto r = c.exec(next->sql, &detail); !r) {
            explain(why, "migration " + std::to_string(next->version) + " failed: " + detail);
            return errc::migration_failed;
        }
        // A constant integer of ours, not input: PRAGMA takes no parameters.
        std::string const set_version = "PRAGMA user_version = " + std::to_string(next->version);
        if (auto r = c.exec(set_version.c_str(), &detail); !r) {
            explain(why, "migration " + std::to_string(next->version) + " failed: " + detail);
            return errc::migration_failed;
        }
        if (auto r = tx->commit(); !r) {
            return failed(c, r.error(), why,
                          "cannot commit migration " + std::to_string(next->version));
        }
    }
}

}  // namespace warden::store
