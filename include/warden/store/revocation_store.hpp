#pragma once
// Revoked access-token jtis (SPEC §4); see store.hpp for the calling rules.
#include <cstdint>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>
#include <warden/store/records.hpp>

namespace warden::store {

/// Revoked access-token `jti`s, kept until the token would have expired anyway.
class revocation_store {
  public:
    virtual ~revocation_store() = default;
    /// Adds `jti` (idempotent; keeps the later expiry); `errc::invalid_argument` if empty.
    [[nodiscard]] virtual result<void> revoke_jti(std::string_view jti,
                                                  std::int64_t expires_at) = 0;
    /// Adds every jti of the list as `revoke_jti` does, in one round trip where the backend can.
    [[nodiscard]] virtual result<void> revoke_jtis(jti_list const& jtis) {
        for (auto const& [jti, expires_at] : jtis) {
            if (auto r = revoke_jti(jti, expires_at); !r) return r;
        }
        return {};
    }
    /// One primary-key lookup; true until the revocation is purged.
    [[nodiscard]] virtual result<bool> is_revoked(std::string_view jti) = 0;
    /// Readiness: a round trip to wherever the list is kept (`errc::unavailable` when it does not
    /// answer). A database's list answers with its `user_store::ping`.
    [[nodiscard]] virtual result<void> ping() { return {}; }
    /// Deletes revocations with `expires_at <= now`; returns rows removed. Pass `now` minus the
    /// verifier's leeway, or a revoked token could be accepted again within its leeway.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_revocations(std::int64_t now) = 0;
};

}  // namespace warden::store
