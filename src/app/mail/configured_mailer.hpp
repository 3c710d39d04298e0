#pragma once
// The mailer wardend runs, from its settings: --smtp-url, --smtp-user, WARDEN_SMTP_PASSWORD,
// --mail-from, --mail-templates, --mail-retries, --mail-retry-delay; and the base of its links.
#include <cstdint>
#include <memory>
#include <string>

#include <warden/core/clock.hpp>

#include "app/config/config.hpp"
#include "app/mail/mailer.hpp"

namespace warden::app {

/// The mailer for `settings.smtp_url` (not started), or null with `*why` saying what cannot be
/// used: a --mail-from that is not an address, a template directory or file that cannot be used.
/// `clock` must outlive it.
[[nodiscard]] std::unique_ptr<mailer> configured_mailer(config const& settings, clock const& clock,
                                                        std::string* why);

/// --public-url, or `http://HOST:PORT` (`https` with --tls-cert) of the address bound.
[[nodiscard]] std::string effective_public_url(config const& settings, std::uint16_t bound_port);

}  // namespace warden::app
