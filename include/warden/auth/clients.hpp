#pragma once
// OAuth2 clients (RFC 6749 §2) for service-to-service access (SPEC §3): registration, secret
// rotation, client authentication (§2.3.1) and the client_credentials grant (§4.4). A client's
// secret is 256 random bits shown once; the store keeps its SHA-256 (a random secret needs no
// slow hash).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/auth/scopes.hpp>
#include <warden/auth/tokens.hpp>
#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>

namespace warden::auth {

/// The longest client id, in bytes.
inline constexpr std::size_t max_client_id_length = 64;

/// True for 1 to 64 of `A-Z a-z 0-9 . _ ~ -` (RFC 3986 unreserved: the same in a URL, a form and
/// Basic credentials) that are not all digits (a token's `sub` of digits names a user).
[[nodiscard]] bool is_valid_client_id(std::string_view client_id) noexcept;

/// A client as it may be shown: never its secret or the secret's hash.
struct client {
    std::string client_id;
    scope_list scopes;  ///< the scopes it may get, sorted
    std::int64_t created_at = 0;
    std::int64_t updated_at = 0;
};

/// A client with its new secret (base64url of 256 random bits), to be shown once.
struct client_with_secret {
    auth::client client;
    secret_bytes secret;
};

/// The client_credentials grant's answer (RFC 6749 §4.4.3: no refresh token).
struct client_token {
    std::string access_token;
    std::int64_t expires_in = 0;
    std::string scope;
};

class client_service {
  public:
    client_service(database& db, token_service const& tokens) : db_(db), tokens_(tokens) {}

    /// Registers a client that may get `scopes`, with a new secret. Errors: `invalid_client_id`,
    /// `invalid_scope_syntax` (not scope-tokens, more than `max_granted_scopes` or one longer
    /// than `max_scope_length`), `store::errc::already_exists`, `core_errc::random_failed`, store
    /// errors.
    [[nodiscard]] boost::asio::awaitable<result<client_with_secret>> add(std::string client_id,
                                                                         scope_list scopes);

    /// Every client, ordered by id. Errors: store errors.
    [[nodiscard]] boost::asio::awaitable<result<std::vector<client>>> list();

    /// Deletes the client: its secret stops working and its tokens stop being live at once.
    /// Errors: `store::errc::not_found`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> remove(std::string client_id);

    /// Gives the client a new secret; the old one stops working at once. Errors:
    /// `store::errc::not_found`, `core_errc::random_failed`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<client_with_secret>> rotate_secret(
        std::string client_id);

    /// RFC 6749 §2.3.1: the client whose id and secret these are. An unknown id costs the same
    /// work as a wrong secret (one lookup, one hash, one constant-time comparison). Errors:
    /// `invalid_client` (unknown id or wrong secret), store errors.
    [[nodiscard]] boost::asio::awaitable<result<client>> authenticate(std::string client_id,
                                                                      secret_bytes secret);

    /// The client_credentials grant for an authenticated client: `requested` scopes (a subset of
    /// the client's), or all of them when absent. Pure CPU. Errors: `scope_not_granted`, the
    /// token service's.
    [[nodiscard]] result<client_token> issue_token(
        client const& authenticated, std::optional<scope_list> const& requested) const;

    /// Whether a client's token is live: the client still exists and the token's `jti` is not
    /// revoked. Errors: store errors.
    [[nodiscard]] boost::asio::awaitable<result<bool>> token_is_live(std::string client_id,
                                                                     std::string jti);

  private:
    database& db_;
    token_service const& tokens_;
};

}  // namespace warden::auth
