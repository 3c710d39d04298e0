#pragma once
// What the account routes call to send a mail: composes it from the templates (link, token,
// expiry) and hands it to the queue, without waiting for the network.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <warden/core/clock.hpp>

#include "app/mail/mail_address.hpp"
#include "app/mail/mail_queue.hpp"
#include "app/mail/mail_templates.hpp"
#include "app/mail/mail_transport.hpp"
#include "app/mail/queue_timer.hpp"

namespace warden::app {

class mailer {
  public:
    /// `clock` (for the Date header) must outlive the mailer. `timer`: the queue's timer (tests
    /// pass a fake).
    mailer(mail_address from, mail_templates templates, std::unique_ptr<mail_transport> transport,
           clock const& clock, mail_queue_options options,
           std::unique_ptr<queue_timer> timer = std::make_unique<steady_queue_timer>());
    mailer(mailer const&) = delete;
    mailer& operator=(mailer const&) = delete;
    ~mailer() = default;

    /// Starts sending: links point under `public_url` (`https://auth.example.com`); the queue's
    /// lines go to `log`. Once, before the first `send` (before serving requests).
    void start(std::string public_url, mail_log log);

    /// Composes the mail of `kind` to `to` carrying `token` (valid for `valid_for`) and queues
    /// it. Never blocks on the network; a full queue, a stopped mailer or a mail that cannot be
    /// composed (an unacceptable address) is counted, logged and returned, and nothing is sent.
    /// Thread-safe.
    enqueue_result send(mail_kind kind, std::string_view to, std::string_view token,
                        std::chrono::seconds valid_for);

    /// Stops the queue (`mail_queue::stop`).
    void stop() { queue_.stop(); }

    [[nodiscard]] mail_counters const& counters() const noexcept { return queue_.counters(); }
    [[nodiscard]] mail_address const& from() const noexcept { return from_; }

  private:
    mail_address const from_;
    mail_templates const templates_;
    std::unique_ptr<mail_transport> transport_;
    std::unique_ptr<queue_timer> timer_;
    clock const& clock_;
    std::string public_url_;  // written by start() before any send()
    mail_log log_;
    mail_queue queue_;  // last: stopped first, while what it uses is still there
};

}  // namespace warden::app
