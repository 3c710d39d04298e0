#pragma once
// E-mail verification and password reset by e-mail (SPEC §3, issue 13), over the store's
// one-time tokens. A token is 256 random bits in base64url (43 characters), mailed to the user;
// the store keeps only its SHA-256, spends it once and lets it expire. The mail itself goes
// through an injected function (the service knows nothing of SMTP): it must not block.
//
// Nobody can tell from the answers whether an address is registered: requesting a verification
// or a reset answers the same (202) for known, unknown, verified, inactive or rate-limited
// addresses, after the same work: the rate-limit counters are reserved, a token is drawn and
// hashed, the user looked up; a known user's token is stored, and every request then answers
// no sooner than the slowest recent known-user request took (a verification floor of its own).
//
// Rate limits (per fixed hour window, in the counter store): at most `limit_per_client`
// requests from one client address (`mail-client:<ip>`) and `limit_per_email` mails to one
// address (`mail-email:<address>`); past either the answer is the same and no mail is sent.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include <warden/auth/database.hpp>
#include <warden/auth/login_limiter.hpp>
#include <warden/auth/verification_floor.hpp>
#include <warden/core/clock.hpp>
#include <warden/core/secret.hpp>
#include <warden/password/hash_pool.hpp>
#include <warden/store/records.hpp>

namespace warden::auth {

/// What a mail is for.
enum class account_mail { verify_email, reset_password };

/// Queues a mail of `kind` to `to` carrying `token`, valid for `valid_for`. Must not block on
/// the network; its failures are its own (logged and counted by the mailer), never the caller's.
using send_account_mail =
    std::function<void(account_mail kind, std::string_view to, std::string_view token,
                       std::chrono::seconds valid_for)>;

/// The window of the mail rate limits; counters are purged no sooner.
inline constexpr std::chrono::seconds mail_limit_window{std::chrono::hours{1}};

struct account_mail_policy {
    std::chrono::seconds verify_token_ttl{std::chrono::hours{24}};
    std::chrono::seconds reset_token_ttl{std::chrono::hours{1}};
    std::int64_t limit_per_email = 5;    ///< mails to one address per window
    std::int64_t limit_per_client = 20;  ///< requests from one client address per window
    std::chrono::seconds limit_window = mail_limit_window;
};

/// The counter keys of the rate limits.
[[nodiscard]] std::string mail_email_key(std::string_view email);
[[nodiscard]] std::string mail_client_key(std::string_view client_address);

class account_mail_service {
  public:
    /// `send` may be empty: no mail goes out, and every answer stays the same. `limiter`: the
    /// login lockout a reset clears.
    account_mail_service(database& db, password::hash_pool& hashes, login_limiter const& limiter,
                         account_mail_policy policy, warden::clock const& clock,
                         send_account_mail send)
        : db_(db),
          hashes_(hashes),
          limiter_(limiter),
          policy_(policy),
          clock_(clock),
          send_(std::move(send)) {}

    /// Mails a verification token to `email` when it is a registered, active and unverified
    /// user's and the rate limits allow. Succeeds whatever the address; errors: store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> request_verification(
        std::string email, std::string client_address);

    /// Spends a verification token: the user, now verified. Errors: `invalid_mail_token`
    /// (unknown, spent, expired, malformed, or its user inactive), store errors.
    [[nodiscard]] boost::asio::awaitable<result<store::user>> verify(std::string token);

    /// Mails a reset token to `email` when it is a registered, active user's and the rate
    /// limits allow. Succeeds whatever the address, in the same time; errors: store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> forgot_password(std::string email,
                                                                       std::string client_address);

    /// Spends a reset token: sets `password` (the password policy applies), revokes every
    /// session of the user and clears its login lockout. Errors: the password policy errors
    /// (`password::errc`), `invalid_mail_token`, `core_errc::pool_full`, store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> reset_password(std::string token,
                                                                      secret_bytes password);

    /// After a registration: mails `user` a verification token (counted against its address's
    /// limit; the client's limit is the registration's own business). Errors: store errors.
    [[nodiscard]] boost::asio::awaitable<result<void>> welcome(store::user const& user);

    [[nodiscard]] account_mail_policy const& policy() const noexcept { return policy_; }

  private:
    [[nodiscard]] boost::asio::awaitable<result<void>> request(account_mail kind, std::string email,
                                                               std::string client_address);

    database& db_;
    password::hash_pool& hashes_;
    login_limiter const& limiter_;
    account_mail_policy policy_;
    warden::clock const& clock_;
    send_account_mail send_;
    verification_floor floor_;  ///< how long a known user's request takes
};

}  // namespace warden::auth
