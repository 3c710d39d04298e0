#pragma once
// Pieces of the SQLite backend's use cases that run inside a write transaction the caller holds
// (`sqlite_transaction::begin_write`), so one use case that changes several tables commits once.
#include <cstdint>
#include <string_view>

#include <warden/store/client_store.hpp>
#include <warden/store/records.hpp>
#include <warden/store/revocation_store.hpp>
#include <warden/store/signing_key_store.hpp>

#include "store/sqlite/connection.hpp"

namespace warden::store::sqlite_steps {

/// A row of the user columns (queries.hpp's list, in its order) as a record.
[[nodiscard]] user read_user(sqlite_statement const& s);

/// A row of the signing-key columns (queries.hpp's list, in its order) as a record.
[[nodiscard]] signing_key_record read_signing_key(sqlite_statement const& s);

/// Inserts `key` as it is (its times included). Errors: `errc::already_exists` (kid taken),
/// `errc::invalid_argument` (a row the schema refuses: another current key, an expiry without
/// a retirement).
[[nodiscard]] result<void> insert_signing_key(sqlite_connection& c, signing_key_record const& key);

/// A row of the client columns (queries.hpp's list, in its order) as a record.
[[nodiscard]] client_record read_client(sqlite_statement const& s);

/// Inserts `client` after `check_client` and `encode_scopes`. Errors: `errc::already_exists`,
/// `errc::invalid_argument`.
[[nodiscard]] result<void> insert_client(sqlite_connection& c, client_record const& client);

/// `errc::credentials_changed` unless the user is active at `seen.token_version` and, when
/// `seen.password_hash` is set, still has that hash; `errc::not_found` if the user is gone.
[[nodiscard]] result<void> check_credentials(sqlite_connection& c, credential_check const& seen);

/// Records a refresh token and the access token minted with it (the family created if new).
/// Errors as `session_store::add_grant`.
[[nodiscard]] result<void> insert_grant(sqlite_connection& c, grant const& g);

/// Marks the family revoked and puts its access tokens on the revocation list (`external` when
/// given, before the caller commits; else the database's); returns them. `errc::not_found` for
/// an unknown family.
[[nodiscard]] result<jti_list> revoke_family(sqlite_connection& c, revocation_store* external,
                                             std::string_view family_id, std::int64_t now);

/// As `revoke_family` for every family of `user` but `keep_family` (empty: all).
[[nodiscard]] result<jti_list> revoke_user_families(sqlite_connection& c,
                                                    revocation_store* external, user_id user,
                                                    std::string_view keep_family, std::int64_t now);

}  // namespace warden::store::sqlite_steps
