#pragma once
// A deployment's whole store as plain rows, to move it to another backend (`warden db copy`);
// see store.hpp for the calling rules.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/client_store.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/one_time_token_store.hpp>
#include <warden/store/records.hpp>
#include <warden/store/signing_key_store.hpp>

namespace warden::store {

struct family_row {
    std::string id;
    user_id user = 0;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> revoked_at;
    bool operator==(family_row const&) const = default;
};

struct refresh_row {
    std::string token_hash;  ///< exact bytes
    std::string family_id;
    std::string scope;
    std::int64_t issued_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> spent_at;
    bool operator==(refresh_row const&) const = default;
};

struct access_row {
    std::string jti;
    std::string family_id;
    std::int64_t expires_at = 0;
    bool operator==(access_row const&) const = default;
};

struct one_time_token_row {
    std::string token_hash;  ///< exact bytes
    one_time_token_kind kind = one_time_token_kind::verify;
    user_id user = 0;
    std::int64_t created_at = 0;
    std::int64_t expires_at = 0;
    std::optional<std::int64_t> used_at;
    bool operator==(one_time_token_row const&) const = default;
};

struct totp_row {
    user_id user = 0;
    std::string sealed_secret;  ///< exact bytes, still sealed
    std::optional<std::int64_t> confirmed_at;
    std::int64_t last_accepted_step = 0;
    std::int64_t created_at = 0;
    bool operator==(totp_row const&) const = default;
};

struct recovery_code_row {
    user_id user = 0;
    std::string code_hash;  ///< exact bytes
    std::optional<std::int64_t> used_at;
    bool operator==(recovery_code_row const&) const = default;
};

/// Everything but the login-failure counters (transient: a copy starts without lockouts).
struct store_rows {
    std::vector<user> users;  ///< ordered by id, ids kept
    /// The highest user id ever handed out (deleted users included): the target never hands it
    /// out again, so an old token's `sub` cannot name a new user.
    user_id last_user_id = 0;
    std::vector<family_row> families;
    std::vector<refresh_row> refresh_tokens;
    std::vector<access_row> access_tokens;
    jti_list revoked;  ///< the database's revocation list (not one kept in Redis)
    /// Oldest first, states and times kept; the private keys stay sealed (the copy needs the
    /// same key-encryption key file to use them).
    std::vector<signing_key_record> signing_keys;
    std::vector<client_record> clients;               ///< ordered by id, secret hashes kept
    std::vector<one_time_token_row> one_time_tokens;  ///< ordered by hash
    std::vector<totp_row> totp;                       ///< ordered by user, sealed bytes kept
    std::vector<recovery_code_row> recovery_codes;    ///< ordered by user, then hash
};

class transfer_store {
  public:
    virtual ~transfer_store() = default;
    /// Every row, from one consistent snapshot.
    [[nodiscard]] virtual result<store_rows> read_all() = 0;
    /// True when there is no user, session, revocation, signing key or client.
    [[nodiscard]] virtual result<bool> empty() = 0;
    /// Writes `rows` in one transaction, ids and hashes kept; with `replace`, everything the
    /// store held is deleted first (in the same transaction). Errors: `errc::invalid_argument`
    /// (a row the store cannot keep: nothing is written), `errc::email_taken`, and a key that
    /// exists already without `replace`: `errc::invalid_argument`.
    [[nodiscard]] virtual result<void> write_all(store_rows const& rows, bool replace) = 0;
};

}  // namespace warden::store
