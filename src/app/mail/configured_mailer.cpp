#include "app/mail/configured_mailer.hpp"

#include <fmt/format.h>

#include "app/mail/smtp_transport.hpp"

namespace warden::app {

std::unique_ptr<mailer> configured_mailer(config const& settings, clock const& clock,
                                          std::string* why) {
    auto from = parse_mailbox(settings.mail_from);
    if (!from) {
        if (why != nullptr) {
            *why =
                "--mail-from: expected an e-mail address such as noreply@example.com or "
                "\"Example <noreply@example.com>\"";
        }
        return nullptr;
    }
    auto templates = settings.mail_templates.empty()
                         ? result<mail_templates>{mail_templates::built_in()}
                         : mail_templates::load(settings.mail_templates, why);
    if (!templates) return nullptr;
    smtp_options smtp{.url = settings.smtp_url.value_or(""),
                      .user = settings.smtp_user,
                      .password = std::nullopt,
                      .envelope_from = from->address};
    if (settings.smtp_password) smtp.password.emplace(settings.smtp_password->clone());
    mail_queue_options options;
    options.retry.retries = settings.mail_retries;
    options.retry.first_delay = settings.mail_retry_delay;
    return std::make_unique<mailer>(std::move(*from), std::move(*templates),
                                    std::make_unique<smtp_transport>(std::move(smtp)), clock,
                                    options);
}

std::string effective_public_url(config const& settings, std::uint16_t bound_port) {
    if (settings.public_url) return *settings.public_url;
    return fmt::format("{}://{}", settings.tls_cert.empty() ? "http" : "https",
                       to_string(listen_address{settings.listen.host, bound_port}));
}

}  // namespace warden::app
