#pragma once
// The deployment's signing keys (SPEC §4, issue 12): every process and the CLI sign and verify
// with one key set kept here. Private keys are stored sealed (AES-256-GCM under the
// key-encryption key, which never enters the database); the store only moves the sealed bytes.
// See store.hpp for the calling rules.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/result.hpp>
#include <warden/store/errc.hpp>

namespace warden::store {

/// One signing key. Its state follows from the times: pending (published, not signing yet),
/// current (the one key that signs), retired (verifies and stays published until `expires_at`),
/// expired (gone from the JWK Set, verifies nothing).
struct signing_key_record {
    std::string kid;                 ///< the RFC 7638 thumbprint
    std::string algorithm;           ///< "RS256", "PS256", "ES256", "EdDSA", ...
    std::string public_jwk;          ///< the public JWK, JSON text
    std::string sealed_private_key;  ///< the sealed PKCS#8 PEM, exact bytes
    std::int64_t created_at = 0;
    std::optional<std::int64_t> activated_at;  ///< when it became current; unset: pending
    std::optional<std::int64_t> retired_at;    ///< when it stopped signing (or was withdrawn)
    /// With `retired_at`: the last second a token it signed can be valid (retired + access-token
    /// TTL + leeway); until then it verifies and is published.
    std::optional<std::int64_t> expires_at;
    bool operator==(signing_key_record const&) const = default;
};

class signing_key_store {
  public:
    virtual ~signing_key_store() = default;
    /// Every key (expired ones included until purged), oldest first.
    [[nodiscard]] virtual result<std::vector<signing_key_record>> signing_keys() = 0;
    /// A number that grows with every change of the key set: a process polls it and reloads
    /// the keys only when it moved.
    [[nodiscard]] virtual result<std::int64_t> key_set_revision() = 0;
    /// Adds a pending key (`activated_at`, `retired_at`, `expires_at` must be unset). Errors:
    /// `errc::already_exists` (kid taken), `errc::invalid_argument` (empty kid or algorithm, a
    /// time set).
    [[nodiscard]] virtual result<void> add_signing_key(signing_key_record const& key) = 0;
    /// First start: adds `key` as the current key (activated at `key.created_at`) unless some key
    /// is current already. True: added; false: another key is current (nothing written), so of
    /// several processes starting on an empty store exactly one key wins. Errors as
    /// `add_signing_key`.
    [[nodiscard]] virtual result<bool> add_first_signing_key(signing_key_record const& key) = 0;
    /// Rotation, in one transaction: the pending key `kid` becomes current at `now`, and the key
    /// that was current (if any) is retired at `now` with `expires_at = previous_expires_at`.
    /// Errors: `errc::not_found`, `errc::wrong_state` (`kid` is not pending).
    [[nodiscard]] virtual result<void> activate_signing_key(std::string_view kid, std::int64_t now,
                                                            std::int64_t previous_expires_at) = 0;
    /// Retires a pending or retired key at `now` (a retired key keeps the earlier of the two
    /// expiries). Errors: `errc::not_found`, `errc::wrong_state` (it is the current key: rotate
    /// first).
    [[nodiscard]] virtual result<void> retire_signing_key(std::string_view kid, std::int64_t now,
                                                          std::int64_t expires_at) = 0;
    /// Deletes retired keys with `expires_at < now`; returns how many.
    [[nodiscard]] virtual result<std::int64_t> purge_expired_signing_keys(std::int64_t now) = 0;
};

}  // namespace warden::store
