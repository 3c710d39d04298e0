#pragma once
// The plain records the store keeps. Times are Unix seconds (UTC).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace warden::store {

using user_id = std::int64_t;

struct user {
    user_id id = 0;
    std::string email;          ///< as the user wrote it; unique case-insensitively
    std::string password_hash;  ///< PHC/modular-crypt string (argon2id, bcrypt, passlib)
    std::string full_name;
    bool is_active = true;
    std::vector<std::string> scopes;  ///< granted scopes, sorted (bytewise), no duplicates
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    /// Bumped to revoke every access token issued before (tokens carry the version they saw).
    std::int64_t token_version = 0;
    /// The user proved they read mail at `email` (issue 13). Users that existed before schema
    /// version 4 start unverified.
    bool is_verified = false;
};

/// The guard's per-request read: the token's user and whether the token's `jti` is revoked.
struct token_subject {
    user row;
    bool jti_revoked = false;
};

struct new_user {
    std::string email;
    std::string password_hash;
    std::string full_name;
    bool is_active = true;
    std::vector<std::string> scopes;
    bool is_verified = false;
};

/// A partial update: only the fields that are set change; `updated_at` always moves.
struct user_update {
    std::optional<std::string> email;
    std::optional<std::string> password_hash;
    std::optional<std::string> full_name;
    std::optional<bool> is_active;
    std::optional<bool> is_verified;
    std::optional<std::vector<std::string>> scopes;
    bool bump_token_version = false;  ///< revoke every token issued so far
};

struct user_page {
    std::vector<user> items;  ///< ordered by id
    std::int64_t total = 0;   ///< all users, regardless of limit/offset
};

/// One refresh token. The token itself is never stored, only its hash (SHA-256, hex or raw;
/// kept as exact bytes).
struct refresh_token {
    std::string token_hash;
    std::string family_id;
    user_id user = 0;
    std::string scope;  ///< space-separated scopes this grant carries
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;
};

/// What consuming a refresh token found. Only `fresh` grants a new token pair.
enum class refresh_state {
    fresh,           ///< unspent and now spent by this call: the caller won the rotation
    spent,           ///< already spent: reuse (RFC 9700 §4.14), the caller revokes the family
    expired,         ///< `expires_at <= now`; left unspent
    family_revoked,  ///< its family was revoked (reuse, logout, password change)
    unknown,         ///< no such hash (never issued, or purged)
};

struct consumed_refresh {
    refresh_state state = refresh_state::unknown;
    refresh_token token;  ///< filled for every state but `unknown` (the family is needed on reuse)
};

/// Access-token `jti`s with their expiry, as a revocation puts them on the revocation list.
using jti_list = std::vector<std::pair<std::string, std::int64_t>>;

/// What a caller checked a user against before minting tokens for it. The transaction that
/// records the tokens checks the row is still so (compare-and-set), so a password change,
/// deactivation or "revoke every session" that commits in between is never undone.
struct credential_check {
    user_id user = 0;
    std::int64_t token_version = 0;  ///< the version the new access token carries
    std::string password_hash;  ///< the hash the password was verified against; empty: not checked
};

/// One token response to record: a refresh token (its family created if new) and the access
/// token minted with it.
struct grant {
    refresh_token refresh;
    std::string access_jti;
    std::int64_t access_expires_at = 0;
};

/// What a rotation found. Only `fresh` recorded the new grant; `spent` revoked the family (and
/// put its access tokens on the revocation list) in the same transaction.
struct rotation {
    refresh_state state = refresh_state::unknown;
    refresh_token token;  ///< the presented token's record (all states but `unknown`)
    jti_list revoked;     ///< with `spent`: the family's access tokens, now revoked
};

/// Login failures counted under one key (an account or a client address) within a window.
struct failure_count {
    std::int64_t count = 0;
    std::int64_t window_started_at = 0;
    bool operator==(failure_count const&) const = default;
};

/// The outcome of reserving a login attempt under several counter keys at once.
struct attempt_reservation {
    bool admitted = false;
    /// Admitted: each key's count including this attempt, in the order given. Refused: the one
    /// key that was already at the limit (nothing was counted).
    std::vector<failure_count> counts;
};

}  // namespace warden::store
