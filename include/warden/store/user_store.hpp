#pragma once
// The users (SPEC §4); see store.hpp for the calling rules.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

class user_store {
  public:
    virtual ~user_store() = default;
    /// Inserts a user (scopes stored sorted, without duplicates; a fresh id never used before;
    /// unverified unless `u.is_verified`);
    /// `errc::email_taken` if the email exists in any ASCII letter case; `errc::invalid_argument`
    /// for an empty email, a NUL byte in the email, or a scope that is not an RFC 6749 scope-token.
    [[nodiscard]] virtual result<user> create_user(new_user const& u, std::int64_t now) = 0;
    /// A batch import: inserts every user as `create_user` does, in one transaction (all or
    /// nothing), and returns them in order. On an error nothing is inserted and `*failed_at`, if
    /// given, receives the index of the user that failed (`errc::email_taken` when its email
    /// exists already, also earlier in the batch).
    [[nodiscard]] virtual result<std::vector<user>> create_users(std::vector<new_user> const& users,
                                                                 std::int64_t now,
                                                                 std::size_t* failed_at) = 0;
    /// One indexed lookup; `errc::not_found` if there is no such user.
    [[nodiscard]] virtual result<user> find_user(user_id id) = 0;
    /// The guard's hot path in one round trip and one snapshot: the user's row and whether access
    /// token `jti` is on the revocation list (false for an empty jti); `errc::not_found` if there
    /// is no such user.
    [[nodiscard]] virtual result<token_subject> find_token_subject(user_id id,
                                                                   std::string_view jti) = 0;
    /// Case-insensitive (ASCII) lookup; `errc::not_found` if none.
    [[nodiscard]] virtual result<user> find_user_by_email(std::string_view email) = 0;
    /// Applies the set fields (an empty update only moves `updated_at`; `is_verified` as the
    /// admin sets it) and returns the new row;
    /// with `bump_token_version`, every refresh family of the user is revoked and its access
    /// tokens put on the revocation list in the same transaction (no session survives it).
    /// `errc::not_found`, `errc::email_taken`, `errc::invalid_argument` (as for create_user).
    [[nodiscard]] virtual result<user> update_user(user_id id, user_update const& change,
                                                   std::int64_t now) = 0;
    /// A password change in one transaction: replaces the hash only if it is still
    /// `verified_hash` (the one the current password was checked against), and revokes every
    /// refresh family of the user but `keep_family` (empty: all), putting their access tokens on
    /// the revocation list. Returns those jtis. Errors: `errc::not_found`,
    /// `errc::credentials_changed` (the hash changed meanwhile: nothing written).
    [[nodiscard]] virtual result<jti_list> replace_password(user_id id,
                                                            std::string_view verified_hash,
                                                            std::string_view new_hash,
                                                            std::string_view keep_family,
                                                            std::int64_t now) = 0;
    /// Deletes the user and everything that hangs off it (refresh families, their refresh tokens
    /// and access-token records); `errc::not_found`.
    [[nodiscard]] virtual result<void> delete_user(user_id id) = 0;
    /// Users ordered by id, at most `limit` from `offset`, with the total count (one snapshot);
    /// past the end: no items. `errc::invalid_argument` if `limit` or `offset` is negative.
    [[nodiscard]] virtual result<user_page> list_users(std::int64_t limit, std::int64_t offset) = 0;
    /// Readiness: a round trip proving the backend answers and can commit a write (a probe row
    /// written and erased in one transaction: nothing changes). `errc::unavailable` when writes
    /// fail (disk full, read-only), even while reads still work.
    [[nodiscard]] virtual result<void> ping() = 0;
};

}  // namespace warden::store
