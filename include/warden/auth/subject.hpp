#pragma once
// What the guard reads per request (SPEC §4), through a narrow source: given a user id and an
// access token's `jti`, the user's public fields, what decides access, and whether the token is
// revoked. The store is one source (`store_subjects`); the in-memory cache is a decorator of a
// source (`subject_cache`).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/scopes.hpp>
#include <warden/core/result.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

/// A user as the guard and `/me` see it: never the password hash.
struct subject {
    store::user_id id = 0;
    std::string email;
    std::string full_name;
    bool is_active = true;
    scope_list scopes;  ///< granted scopes, sorted
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t token_version = 0;
    bool is_verified = false;  ///< the user proved they read mail at `email`

    [[nodiscard]] static subject of(store::user const& row);
};

/// One answer of a source. `user` is shared: the cache hands out the entry it holds.
struct subject_read {
    std::shared_ptr<subject const> user;
    bool jti_revoked = false;
};

class subject_source {
  public:
    virtual ~subject_source() = default;
    /// User `id` and whether access token `jti` (expiring at `expires_at`; empty: never revoked)
    /// is on the revocation list. Errors: `errc::user_gone` (no such user), store errors.
    [[nodiscard]] virtual boost::asio::awaitable<result<subject_read>> find(
        store::user_id id, std::string jti, std::int64_t expires_at) = 0;
};

}  // namespace warden::auth
