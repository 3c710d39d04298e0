#pragma once
// The deployment's signing keys as use cases over the store (issue 12): every process and the
// CLI share one key set. Private keys are sealed (core/sealed_box.hpp) under the key-encryption
// key before they reach the store, bound to their kid and algorithm, and opened only here.
// Calls block on the store: run them off the I/O threads.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/clock.hpp>
#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>
#include <warden/jwt/algorithm.hpp>
#include <warden/jwt/key.hpp>
#include <warden/store/signing_key_store.hpp>

namespace warden::auth {

/// How long a retired key must keep verifying: the tokens it signed live `access_ttl`, and
/// verifiers accept them `leeway` longer.
struct key_lifetimes {
    std::chrono::seconds access_ttl{30 * 60};
    std::chrono::seconds leeway{30};
};

/// pending: published, not signing yet; current: signs; retired: verifies and stays published
/// until its expiry; expired: neither (purged later).
enum class signing_key_state { pending, current, retired, expired };

/// `pending`, `current`, `retired` or `expired`.
[[nodiscard]] std::string_view to_string(signing_key_state state) noexcept;

/// A key as the operator sees it: never any private material.
struct signing_key_summary {
    std::string kid;
    std::string algorithm;
    signing_key_state state = signing_key_state::pending;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> activated_at;
    std::optional<std::int64_t> retired_at;
    std::optional<std::int64_t> expires_at;
};

/// The usable key set at one revision of the store's.
struct loaded_keys {
    std::int64_t revision = 0;
    /// The private key that signs (with its kid); none before the first key is added.
    std::optional<jwt::key> current;
    /// The public halves of every key that is not expired (current, pending, retired), oldest
    /// first: what verifies and what the JWK Set publishes.
    std::vector<jwt::key> public_keys;
    /// The earliest expiry among the retired keys: the set changes then without a new revision.
    std::optional<std::int64_t> next_expiry;
    /// Kids whose sealed key does not open with this key-encryption key (or is not the key its
    /// kid names). Not empty: this process was given another key-encryption key.
    std::vector<std::string> unreadable;
};

/// The public keys a verifier trusts at `now` (every key not expired), read from the stored
/// public JWKs: no key-encryption key needed. Errors: the store's, `jwt::errc` of a stored JWK.
[[nodiscard]] result<std::vector<jwt::key>> published_keys(store::signing_key_store& store,
                                                           std::int64_t now);

class signing_keys {
  public:
    /// `store` and `clock` must outlive it; `kek` is the 32-byte key-encryption key.
    signing_keys(store::signing_key_store& store, secret_bytes kek, key_lifetimes lifetimes,
                 warden::clock const& clock);

    /// Opens every key that is not expired. Errors: the store's.
    [[nodiscard]] result<loaded_keys> load() const;

    /// First start: `key` (imported or generated; asymmetric) becomes the current key unless
    /// one is current already. True: added. Errors: `jwt::errc::not_exportable` (HS*), sealing
    /// errors, the store's.
    [[nodiscard]] result<bool> add_first(jwt::key const& key) const;

    /// A new pending key of `alg`: published at once, signing only after a rotation. Errors:
    /// `seal_errc::not_authentic` (an existing key does not open with this key-encryption key:
    /// nothing is added), `jwt::errc::not_exportable` (HS*), the store's.
    [[nodiscard]] result<signing_key_summary> generate(jwt::algorithm alg) const;

    /// Makes a new key current: the newest pending key (of `only` when given), or a new key of
    /// `only.value_or(fallback)`. The previous current key is retired and keeps verifying for
    /// the access-token TTL plus the leeway. Returns the new current key. Errors: as `generate`.
    [[nodiscard]] result<signing_key_summary> rotate(std::optional<jwt::algorithm> only,
                                                     jwt::algorithm fallback) const;

    /// Withdraws a pending key, or a retired key before its expiry (a compromised one): it is
    /// dropped from the key set at once. Errors: `store::errc::not_found`,
    /// `store::errc::wrong_state` (the current key: rotate first), the store's.
    [[nodiscard]] result<void> retire(std::string_view kid) const;

    /// Every key with its state, oldest first. Errors: the store's.
    [[nodiscard]] result<std::vector<signing_key_summary>> list() const;

    /// Deletes the expired keys; returns how many. Errors: the store's.
    [[nodiscard]] result<std::int64_t> purge_expired() const;

    /// The store's key-set revision. Errors: the store's.
    [[nodiscard]] result<std::int64_t> revision() const;

    [[nodiscard]] key_lifetimes const& lifetimes() const noexcept { return lifetimes_; }

    /// What a sealed key is bound to: its kid and algorithm (a sealed key copied to another
    /// row does not open).
    [[nodiscard]] static std::string associated_data(std::string_view kid,
                                                     std::string_view algorithm);

  private:
    [[nodiscard]] std::int64_t now() const noexcept { return to_unix_seconds(clock_.now()); }
    [[nodiscard]] result<store::signing_key_record> sealed_record(jwt::key const& key) const;
    [[nodiscard]] result<void> check_key_encryption_key() const;
    [[nodiscard]] result<store::signing_key_record> add_generated(jwt::algorithm alg) const;

    store::signing_key_store& store_;
    secret_bytes kek_;
    key_lifetimes lifetimes_;
    warden::clock const& clock_;
};

}  // namespace warden::auth
