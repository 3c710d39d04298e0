#pragma once
// The JWK Set of another service (its `jwks_uri`), for a resource server that verifies that
// service's tokens without sharing a secret. It keeps the last good set and fetches again:
// - when the set is older than its `Cache-Control: max-age` (bounded; a default when absent);
// - when a token names a `kid` the set does not hold (a key rotation), at most once per
//   `min_refetch_interval`, so a flood of tokens with made-up `kid`s costs one fetch per interval;
// - never because of a token's `jku`, `x5u`, `jwk` or `x5c` header: the verifier ignores them.
// Concurrent callers that need a fetch share one. A failed fetch (the server unreachable, an
// error status, a document that is not a usable JWK Set) keeps the last good set in service and
// is reported to `on_fetch_failed`. Symmetric (`oct`) keys in the document are never trusted:
// whoever can read a published secret could sign with it.
//
// The fetching is injected (`auth` knows nothing of HTTP): `http::fetch_client` does it over
// HTTPS in the resource server example. Thread-safe.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/awaitable.hpp>

#include <warden/core/clock.hpp>
#include <warden/core/condition.hpp>
#include <warden/core/result.hpp>
#include <warden/jwt/verifier.hpp>

namespace warden::auth {

/// Why a JWK Set could not be used. All of condition `unavailable`.
enum class jwks_errc {
    bad_status = 1,       ///< the `jwks_uri` answered with a status other than 200
    not_a_jwk_set,        ///< not one strict JSON object with a `keys` array
    no_usable_key,        ///< no key of the set can verify tokens
    fetch_failed,         ///< the fetch function threw
    key_set_unavailable,  ///< no key set has been fetched yet (the guard's answer: 503)
};

[[nodiscard]] boost::system::error_category const& jwks_category() noexcept;

[[nodiscard]] inline error_code make_error_code(jwks_errc e) noexcept {
    return {static_cast<int>(e), jwks_category()};
}

/// What a fetch of the `jwks_uri` returned.
struct jwks_document {
    unsigned status = 0;
    std::string body;
    std::optional<std::chrono::seconds> max_age;  ///< `Cache-Control: max-age`; none when absent
};

/// GETs a URL. Errors are the fetcher's own (each is reported, and the last good set kept).
using jwks_fetch = std::function<boost::asio::awaitable<result<jwks_document>>(std::string url)>;

struct remote_key_set_options {
    /// How long a set is used when the response has no `max-age`.
    std::chrono::seconds default_max_age{5 * 60};
    /// Bounds on the `max-age` a server gives: a set is kept at least `min_max_age` (so a server
    /// saying `max-age=0` is not asked on every request) and at most `max_max_age`.
    std::chrono::seconds min_max_age{30};
    std::chrono::seconds max_max_age{60 * 60};
    /// The least time between two fetch attempts for an unknown `kid`, and after a failure.
    std::chrono::seconds min_refetch_interval{30};
    /// The claim rules for tokens verified with the set (`iss`, `aud`, leeway, ...).
    jwt::verifier_options verifier{};
    /// Told about each failed fetch (for the caller's log); called without a lock held.
    std::function<void(error_code)> on_fetch_failed{};
};

class remote_key_set {
  public:
    /// A set fetched from `jwks_uri` with `fetch` (nothing is fetched before the first call).
    /// `clock` must outlive it.
    remote_key_set(std::string jwks_uri, jwks_fetch fetch, warden::clock const& clock,
                   remote_key_set_options options = {});
    remote_key_set(remote_key_set const&) = delete;
    remote_key_set& operator=(remote_key_set const&) = delete;
    ~remote_key_set();

    using verifier_ptr = std::shared_ptr<jwt::verifier const>;

    /// A verifier for the current set. Fetches first when there is no set yet, or when it is past
    /// its max-age and no attempt was made in the last `min_refetch_interval`. Errors, only while
    /// no set was ever fetched: the last attempt's error (the fetcher's, `bad_status`,
    /// `not_a_jwk_set`, `no_usable_key`, `fetch_failed`).
    [[nodiscard]] boost::asio::awaitable<result<verifier_ptr>> current();

    /// For a token whose `kid` `seen` (a verifier this set handed out) did not know: the set is
    /// fetched again unless an attempt started within `min_refetch_interval` (then the current
    /// set is returned, possibly `seen` itself). Errors as `current()`.
    [[nodiscard]] boost::asio::awaitable<result<verifier_ptr>> refresh_for_unknown_kid(
        verifier_ptr seen);

    /// Fetch attempts so far (each counted when it starts).
    [[nodiscard]] std::size_t fetch_count() const;
    /// The error of the last attempt; empty when it succeeded or none was made.
    [[nodiscard]] error_code last_error() const;
    [[nodiscard]] std::string const& jwks_uri() const noexcept { return uri_; }

  private:
    struct flight;
    enum class need { current, unknown_kid };
    boost::asio::awaitable<result<verifier_ptr>> obtain(need why, verifier_ptr seen);
    boost::asio::awaitable<void> fetch_once(std::shared_ptr<flight> f);
    [[nodiscard]] result<verifier_ptr> answer() const;  // under mu_
    [[nodiscard]] result<std::pair<verifier_ptr, std::chrono::seconds>> accept(
        result<jwks_document> const& fetched) const;

    std::string uri_;
    jwks_fetch fetch_;
    warden::clock const& clock_;
    remote_key_set_options options_;

    mutable std::mutex mu_;
    verifier_ptr current_;
    time_point fresh_until_{};
    std::optional<time_point> last_attempt_;
    error_code last_error_;
    std::size_t fetches_ = 0;
    std::shared_ptr<flight> in_flight_;
};

}  // namespace warden::auth

template <>
struct boost::system::is_error_code_enum<warden::auth::jwks_errc> : std::true_type {};
