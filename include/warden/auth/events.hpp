#pragma once
// What the auth services count for the operator: password grants by outcome, tokens the guard
// refused by reason, refresh grants by outcome, and store calls that failed. The services record
// into an `events` they are given (wardend exports it as Prometheus metrics); the counters are
// relaxed atomics, touched on a refusal, a grant or a failure, never on a request the guard
// accepts.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::auth {

/// How a password grant ended. `unverified`: refused by --require-verified-email; `mfa_required`
/// is reserved for the second-factor check (SPEC §3), which counts there once it exists.
enum class login_outcome {
    success,
    bad_credentials,  ///< unknown e-mail or wrong password
    locked,           ///< too many failures (429)
    inactive,         ///< the password was right, the user is inactive
    unverified,
    mfa_required,
    invalid_scope,  ///< asked for a scope the user does not hold
    error,          ///< no verdict: the store or the hash pool is unavailable, or a bug
};
inline constexpr std::array all_login_outcomes{
    login_outcome::success,       login_outcome::bad_credentials,
    login_outcome::locked,        login_outcome::inactive,
    login_outcome::unverified,    login_outcome::mfa_required,
    login_outcome::invalid_scope, login_outcome::error};

/// Why the guard refused a request's token.
enum class token_rejection {
    missing,         ///< no `Authorization: Bearer` header
    malformed,       ///< not a well-formed JWS (segments, base64url, JSON, header)
    bad_signature,   ///< the signature does not verify, or no key fits (`alg`, `kid`)
    expired,         ///< `exp` has passed
    invalid_claims,  ///< other claims not acceptable (`nbf`, `iat`, `iss`, `aud`, `sub`, ...)
    revoked,         ///< the `jti` is revoked (logout, RFC 7009)
    outdated,        ///< issued before the user's sessions were revoked
    user_gone,       ///< the user no longer exists
    inactive_user,   ///< the user is deactivated
    insufficient_scope,
};
inline constexpr std::array all_token_rejections{
    token_rejection::missing,        token_rejection::malformed,
    token_rejection::bad_signature,  token_rejection::expired,
    token_rejection::invalid_claims, token_rejection::revoked,
    token_rejection::outdated,       token_rejection::user_gone,
    token_rejection::inactive_user,  token_rejection::insufficient_scope};

/// How a refresh grant ended.
enum class refresh_outcome {
    success,
    invalid_token,      ///< unknown, expired or revoked refresh token
    reused,             ///< a spent token again: its family is revoked
    user_not_eligible,  ///< the user is inactive or gone
    invalid_scope,      ///< asked for more than the token grants
    error,              ///< no verdict: the store is unavailable, or a bug
};
inline constexpr std::array all_refresh_outcomes{
    refresh_outcome::success,           refresh_outcome::invalid_token, refresh_outcome::reused,
    refresh_outcome::user_not_eligible, refresh_outcome::invalid_scope, refresh_outcome::error};

/// The label of each value (its enumerator's name).
[[nodiscard]] std::string_view to_string(login_outcome o) noexcept;
[[nodiscard]] std::string_view to_string(token_rejection r) noexcept;
[[nodiscard]] std::string_view to_string(refresh_outcome o) noexcept;

/// The outcome a password grant's error stands for (no error: success).
[[nodiscard]] login_outcome login_outcome_of(error_code ec) noexcept;
/// The reason a guard's error stands for; none for an error that refuses no token (a store
/// failure, a bug).
[[nodiscard]] std::optional<token_rejection> token_rejection_of(error_code ec) noexcept;
/// The outcome a refresh grant's error stands for (no error: success).
[[nodiscard]] refresh_outcome refresh_outcome_of(error_code ec) noexcept;
/// Whether `ec` is the store failing (unreachable, busy, an unexpected database error), as
/// opposed to an answer such as "not found".
[[nodiscard]] bool is_store_failure(error_code ec) noexcept;

class events {
  public:
    events() = default;
    events(events const&) = delete;
    events& operator=(events const&) = delete;

    // Thread-safe; each adds one.
    void login(login_outcome o) noexcept { add(logins_[index(o)]); }
    void token_rejected(token_rejection r) noexcept { add(rejections_[index(r)]); }
    void refresh(refresh_outcome o) noexcept { add(refreshes_[index(o)]); }
    void store_failed() noexcept { add(store_failures_); }

    // Counts so far (each exact once the recording threads are done).
    [[nodiscard]] std::uint64_t logins(login_outcome o) const noexcept {
        return logins_[index(o)].load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t tokens_rejected(token_rejection r) const noexcept {
        return rejections_[index(r)].load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t refreshes(refresh_outcome o) const noexcept {
        return refreshes_[index(o)].load(std::memory_order_relaxed);
    }
    [[nodiscard]] std::uint64_t store_failures() const noexcept {
        return store_failures_.load(std::memory_order_relaxed);
    }

  private:
    using counter = std::atomic<std::uint64_t>;
    template <class Enum>
    static constexpr std::size_t index(Enum e) noexcept {
        return static_cast<std::size_t>(e);
    }
    static void add(counter& c) noexcept { c.fetch_add(1, std::memory_order_relaxed); }

    // A cache line each: a burst of one kind (refused tokens) does not slow the others.
    alignas(64) std::array<counter, all_login_outcomes.size()> logins_{};
    alignas(64) std::array<counter, all_token_rejections.size()> rejections_{};
    alignas(64) std::array<counter, all_refresh_outcomes.size()> refreshes_{};
    alignas(64) counter store_failures_{0};
};

}  // namespace warden::auth
