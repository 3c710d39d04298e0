#pragma once
// The SQLite backend: one object implementing every store interface over a connection pool.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <warden/store/store.hpp>

#include "store/sqlite/pool.hpp"

namespace warden::store {

class sqlite_store final : public user_store,
                           public session_store,
                           public revocation_store,
                           public counter_store,
                           public transfer_store,
                           public signing_key_store,
                           public client_store,
                           public one_time_token_store,
                           public totp_store,
                           public change_feed {
  public:
    /// Opens `path` (a file name; created if missing, its directory is not), switches it to WAL
    /// and runs pending migrations. With `revocations`, that store keeps the revocation list
    /// (Redis): the use cases put jtis there before they commit, `find_token_subject` asks it.
    /// Errors as `store::open`.
    [[nodiscard]] static result<std::shared_ptr<sqlite_store>> open(
        std::string const& path, sqlite_pool::options opts,
        std::shared_ptr<revocation_store> revocations, std::string* why);
    sqlite_store(std::string path, sqlite_pool::options opts,
                 std::unique_ptr<sqlite_connection> first,
                 std::shared_ptr<revocation_store> revocations)
        : pool_(std::move(path), opts, std::move(first)), external_(std::move(revocations)) {}

    // user_store
    [[nodiscard]] result<user> create_user(new_user const& u, std::int64_t now) override;
    [[nodiscard]] result<std::vector<user>> create_users(std::vector<new_user> const& users,
                                                         std::int64_t now,
                                                         std::size_t* failed_at) override;
    [[nodiscard]] result<user> find_user(user_id id) override;
    [[nodiscard]] result<token_subject> find_token_subject(user_id id,
                                                           std::string_view jti) override;
    [[nodiscard]] result<user> find_user_by_email(std::string_view email) override;
    [[nodiscard]] result<user> update_user(user_id id, user_update const& change,
                                           std::int64_t now) override;
    [[nodiscard]] result<jti_list> replace_password(user_id id, std::string_view verified_hash,
                                                    std::string_view new_hash,
                                                    std::string_view keep_family,
                                                    std::int64_t now) override;
    [[nodiscard]] result<void> delete_user(user_id id) override;
    [[nodiscard]] result<user_page> list_users(std::int64_t limit, std::int64_t offset) override;
    [[nodiscard]] result<void> ping() override;

    // session_store
    [[nodiscard]] result<void> add_refresh_token(refresh_token const& t) override;
    [[nodiscard]] result<void> add_grant(refresh_token const& t, std::string_view jti,
                                         std::int64_t access_expires_at) override;
    [[nodiscard]] result<void> start_session(credential_check const& seen, grant const& g,
                                             std::string_view rehash, std::int64_t now) override;
    [[nodiscard]] result<rotation> rotate_refresh(std::string_view spent_hash,
                                                  credential_check const& seen, grant const& next,
                                                  std::int64_t now) override;
    [[nodiscard]] result<consumed_refresh> consume_refresh_token(std::string_view token_hash,
                                                                 std::int64_t now) override;
    [[nodiscard]] result<void> add_access_token(std::string_view family_id, std::string_view jti,
                                                std::int64_t expires_at) override;
    [[nodiscard]] result<jti_list> revoke_family(std::string_view family_id,
                                                 std::int64_t now) override;
    [[nodiscard]] result<jti_list> revoke_user_families(user_id user, std::string_view keep_family,
                                                        std::int64_t now) override;
    [[nodiscard]] result<consumed_refresh> refresh_token_state(std::string_view token_hash,
                                                               std::int64_t now) override;
    [[nodiscard]] result<refresh_token> find_refresh_token(std::string_view token_hash) override;
    [[nodiscard]] result<std::string> family_of_refresh_token(std::string_view token_hash) override;
    [[nodiscard]] result<std::string> family_of_access_token(std::string_view jti) override;
    [[nodiscard]] result<std::int64_t> purge_expired_sessions(std::int64_t now) override;

    // revocation_store
    [[nodiscard]] result<void> revoke_jti(std::string_view jti, std::int64_t expires_at) override;
    [[nodiscard]] result<bool> is_revoked(std::string_view jti) override;
    [[nodiscard]] result<std::int64_t> purge_expired_revocations(std::int64_t now) override;

    // counter_store
    [[nodiscard]] result<failure_count> add_failure(std::string_view key, std::int64_t now,
                                                    std::int64_t window_seconds) override;
    [[nodiscard]] result<attempt_reservation> reserve_attempt(std::vector<std::string> const& keys,
                                                              std::int64_t now,
                                                              std::int64_t window_seconds,
                                                              std::int64_t limit) override;
    [[nodiscard]] result<void> release_attempt(std::string_view key, std::int64_t now,
                                               std::int64_t window_seconds) override;
    [[nodiscard]] result<failure_count> failures(std::string_view key, std::int64_t now,
                                                 std::int64_t window_seconds) override;
    [[nodiscard]] result<void> reset_failures(std::string_view key) override;
    [[nodiscard]] result<std::int64_t> purge_expired_failures(std::int64_t now,
                                                              std::int64_t window_seconds) override;

    // transfer_store
    [[nodiscard]] result<store_rows> read_all() override;
    [[nodiscard]] result<bool> empty() override;
    [[nodiscard]] result<void> write_all(store_rows const& rows, bool replace) override;

    // signing_key_store (every change under the write lock; triggers bump the revision)
    [[nodiscard]] result<std::vector<signing_key_record>> signing_keys() override;
    [[nodiscard]] result<std::int64_t> key_set_revision() override;
    [[nodiscard]] result<void> add_signing_key(signing_key_record const& key) override;
    [[nodiscard]] result<bool> add_first_signing_key(signing_key_record const& key) override;
    [[nodiscard]] result<void> activate_signing_key(std::string_view kid, std::int64_t now,
                                                    std::int64_t previous_expires_at) override;
    [[nodiscard]] result<void> retire_signing_key(std::string_view kid, std::int64_t now,
                                                  std::int64_t expires_at) override;
    [[nodiscard]] result<std::int64_t> purge_expired_signing_keys(std::int64_t now) override;

    // client_store
    [[nodiscard]] result<void> add_client(client_record const& client) override;
    [[nodiscard]] result<client_record> find_client(std::string_view client_id) override;
    [[nodiscard]] result<std::vector<client_record>> clients() override;
    [[nodiscard]] result<void> set_client_secret(std::string_view client_id,
                                                 std::string_view secret_hash,
                                                 std::int64_t now) override;
    [[nodiscard]] result<void> delete_client(std::string_view client_id) override;

    // one_time_token_store
    [[nodiscard]] result<void> issue_one_time_token(one_time_token_kind kind, user_id user,
                                                    std::string_view token_hash, std::int64_t now,
                                                    std::int64_t expires_at) override;
    [[nodiscard]] result<user> redeem_verification(std::string_view token_hash,
                                                   std::int64_t now) override;
    [[nodiscard]] result<password_reset> redeem_password_reset(std::string_view token_hash,
                                                               std::string_view new_password_hash,
                                                               std::int64_t now) override;
    [[nodiscard]] result<std::int64_t> purge_expired_one_time_tokens(std::int64_t now) override;

    // totp_store
    [[nodiscard]] result<void> begin_totp_enrolment(
        user_id user, std::string_view sealed_secret,
        std::vector<std::string> const& recovery_code_hashes, std::int64_t now) override;
    [[nodiscard]] result<void> confirm_totp(user_id user, std::int64_t now) override;
    [[nodiscard]] result<totp_record> totp_of(user_id user) override;
    [[nodiscard]] result<user_id> first_totp_user() override;
    [[nodiscard]] result<bool> accept_totp_step(user_id user, std::int64_t step) override;
    [[nodiscard]] result<bool> use_recovery_code(user_id user, std::string_view code_hash,
                                                 std::int64_t now) override;
    [[nodiscard]] result<void> disable_totp(user_id user) override;

    // change_feed (table change_feed, filled by triggers; cursor: the decimal position)
    [[nodiscard]] result<std::string> feed_end() override;
    [[nodiscard]] result<feed_page> read_feed(std::string_view cursor, std::size_t limit) override;
    /// Sleeps for `timeout`: SQLite cannot notify another process (the caller polls).
    [[nodiscard]] result<void> wait_for_changes(std::chrono::milliseconds timeout) override;
    [[nodiscard]] result<jti_list> revoked_jtis(std::int64_t now) override;
    [[nodiscard]] result<std::int64_t> trim_feed(std::int64_t before) override;

  private:
    sqlite_pool pool_;
    std::shared_ptr<revocation_store> const external_;
};

}  // namespace warden::store
