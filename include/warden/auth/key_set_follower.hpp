#pragma once
// Keeps a token service signing with the store's current key and verifying with every key that
// has not expired: reloads when the key set's revision moves (a rotation anywhere: another
// process, the CLI) or when a retired key's expiry passes. Calls block on the store: run them
// off the I/O threads, one at a time.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <warden/auth/signing_keys.hpp>
#include <warden/auth/tokens.hpp>
#include <warden/core/result.hpp>

namespace warden::auth {

class key_set_follower {
  public:
    /// `keys` and `tokens` must outlive it.
    key_set_follower(signing_keys const& keys, token_service& tokens) noexcept
        : keys_(keys), tokens_(tokens) {}

    /// Loads the key set and puts it in use. Errors: `seal_errc::not_authentic` (a key does not
    /// open with this key-encryption key: `unreadable()` names them; nothing changes),
    /// `store::errc::not_found` (no current key), the store's, the token service's.
    [[nodiscard]] result<void> reload();

    /// `reload()` when the revision moved or a key expired since the last one; true when it
    /// reloaded. Errors: as `reload`.
    [[nodiscard]] result<bool> poll();

    /// The kids of the last load that did not open.
    [[nodiscard]] std::vector<std::string> const& unreadable() const noexcept {
        return unreadable_;
    }
    /// The revision in use; 0 before the first load.
    [[nodiscard]] std::int64_t revision() const noexcept { return revision_; }

  private:
    signing_keys const& keys_;
    token_service& tokens_;
    std::int64_t revision_ = 0;
    std::optional<std::int64_t> next_expiry_;
    std::vector<std::string> unreadable_;
};

}  // namespace warden::auth
