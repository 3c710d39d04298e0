#pragma once
// Pieces of the PostgreSQL backend's use cases that run inside a transaction the caller holds
// (`pg_transaction::begin`), so one use case that changes several tables commits once.
#include <cstdint>
#include <string_view>

#include <warden/store/client_store.hpp>
#include <warden/store/records.hpp>
#include <warden/store/revocation_store.hpp>
#include <warden/store/signing_key_store.hpp>

#include "store/postgres/connection.hpp"

namespace warden::store::pg_steps {

/// Row `row` of the user columns (queries.hpp's list, in its order) as a record.
[[nodiscard]] user read_user(pg_result const& r, int row = 0);

/// Locks the key-set revision row until the commit. Every transaction that writes signing keys
/// takes it first: they take turns, and never deadlock with the revision trigger.
[[nodiscard]] result<void> lock_key_set(pg_connection& c);

/// Row `row` of the signing-key columns (queries.hpp's list, in its order) as a record.
[[nodiscard]] signing_key_record read_signing_key(pg_result const& r, int row = 0);

/// Inserts `key` as it is (its times included). Errors: `errc::already_exists` (kid taken),
/// `errc::invalid_argument` (a row the schema refuses: another current key, an expiry without
/// a retirement).
[[nodiscard]] result<void> insert_signing_key(pg_connection& c, signing_key_record const& key);

/// Row `row` of the client columns (queries.hpp's list, in its order) as a record.
[[nodiscard]] client_record read_client(pg_result const& r, int row = 0);

/// Inserts `client` after `check_client` and `encode_scopes`. Errors: `errc::already_exists`,
/// `errc::invalid_argument`.
[[nodiscard]] result<void> insert_client(pg_connection& c, client_record const& client);

/// Locks the user's row until the commit, then `errc::credentials_changed` unless the user is
/// active at `seen.token_version` and, when `seen.password_hash` is set, still has that hash;
/// `errc::not_found` if the user is gone.
[[nodiscard]] result<void> check_credentials(pg_connection& c, credential_check const& seen);

/// Records a refresh token and the access token minted with it (the family created if new).
/// Errors as `session_store::add_grant`.
[[nodiscard]] result<void> insert_grant(pg_connection& c, grant const& g);

/// Marks the family revoked and puts its access tokens on the revocation list (`external` when
/// given, before the caller commits; else the database's); returns them. `errc::not_found` for
/// an unknown family.
[[nodiscard]] result<jti_list> revoke_family(pg_connection& c, revocation_store* external,
                                             std::string_view family_id, std::int64_t now);

/// As `revoke_family` for every family of `user` but `keep_family` (empty: all).
[[nodiscard]] result<jti_list> revoke_user_families(pg_connection& c, revocation_store* external,
                                                    user_id user, std::string_view keep_family,
                                                    std::int64_t now);

}  // namespace warden::store::pg_steps
