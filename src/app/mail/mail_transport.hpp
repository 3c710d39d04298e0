#pragma once
// How a composed mail leaves the process: the SMTP transport (smtp_transport.hpp) in wardend, a
// fake in the tests.
#include <atomic>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::app {

class mail_transport {
  public:
    virtual ~mail_transport() = default;

    /// Delivers `message` (RFC 5322 bytes) to `recipient`, blocking. Gives up soon after `abort`
    /// becomes true. Errors: `mail_errc::send_failed` (worth retrying: unreachable, timeout, a
    /// 4xx answer), `mail_errc::rejected` (a 5xx answer: retrying will not help),
    /// `mail_errc::aborted`; `*why` says what happened, without the message or the recipient.
    [[nodiscard]] virtual error_code send(std::string_view recipient, std::string_view message,
                                          std::atomic<bool> const& abort, std::string* why) = 0;
};

}  // namespace warden::app
