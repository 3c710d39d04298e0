#include "app/mail/mailer.hpp"

#include <utility>

#include <fmt/format.h>

#include "app/log_safe.hpp"
#include "app/mail/mail_link.hpp"
#include "app/mail/mail_message.hpp"

namespace warden::app {

mailer::mailer(mail_address from, mail_templates templates,
               std::unique_ptr<mail_transport> transport, clock const& clock,
               mail_queue_options options, std::unique_ptr<queue_timer> timer)
    : from_(std::move(from)),
      templates_(std::move(templates)),
      transport_(std::move(transport)),
      timer_(std::move(timer)),
      clock_(clock),
      queue_(*transport_, *timer_, options) {}

void mailer::start(std::string public_url, mail_log log) {
    public_url_ = std::move(public_url);
    log_ = log;
    queue_.start(std::move(log));
}

enqueue_result mailer::send(mail_kind kind, std::string_view to, std::string_view token,
                            std::chrono::seconds valid_for) {
    mail_values const values{std::string{to}, mail_link(public_url_, kind, token),
                             std::string{token}, expires_in_text(valid_for)};
    auto const parts = templates_.render(kind, values);
    auto unique = new_message_unique();
    result<std::string> message =
        unique ? render_message({std::string{to}, parts.subject, parts.text, parts.html}, from_,
                                clock_.now(), *unique)
               : result<std::string>{unique.error()};
    if (!message) {
        if (log_) {
            auto const at = to.rfind('@');
            log_(spdlog::level::err,
                 fmt::format("mail {} to a recipient at {}: not sent, cannot be composed ({})",
                             to_string(kind),
                             log_safe(at == std::string_view::npos ? "?" : to.substr(at + 1)),
                             message.error().message()));
        }
        queue_.count_unsendable();
        return enqueue_result::not_composed;
    }
    return queue_.enqueue({std::string{to}, std::string{to_string(kind)}, std::move(*message)});
}

}  // namespace warden::app
