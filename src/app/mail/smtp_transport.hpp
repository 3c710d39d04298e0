#pragma once
// SMTP through libcurl: `smtp://host:port` upgrades to TLS with STARTTLS when the server offers
// it, `smtps://host:port` speaks TLS from the start (the server's certificate is verified
// against the system's CAs); AUTH when a user is set. One connection per mail.
#include <chrono>
#include <optional>
#include <string>

#include <warden/core/secret.hpp>

#include "app/mail/mail_transport.hpp"

namespace warden::app {

struct smtp_options {
    std::string url;                       ///< `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`
    std::string user;                      ///< empty: no AUTH
    std::optional<secret_bytes> password;  ///< from WARDEN_SMTP_PASSWORD only
    std::string envelope_from;             ///< the MAIL FROM address (no display name)
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds timeout{60'000};  ///< one whole delivery
};

class smtp_transport final : public mail_transport {
  public:
    /// Initializes libcurl once per process (thread-safe).
    explicit smtp_transport(smtp_options options);

    [[nodiscard]] error_code send(std::string_view recipient, std::string_view message,
                                  std::atomic<bool> const& abort, std::string* why) override;

  private:
    smtp_options options_;
};

}  // namespace warden::app
