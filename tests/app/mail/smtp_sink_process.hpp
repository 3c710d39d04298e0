#pragma once
// tests/support/smtp_sink.py as a child process: a real SMTP server (aiosmtpd) on a loopback
// port that writes every mail it receives into a directory. Killed with the test process
// (PR_SET_PDEATHSIG); construct it on the test's main thread.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "support/temp_dir.hpp"

namespace warden::test {

/// Empty when /usr/bin/python3 can import aiosmtpd; else why not, for GTEST_SKIP.
[[nodiscard]] std::string smtp_sink_missing();

struct received_mail {
    std::string raw;                    ///< the bytes received
    std::string envelope_from;          ///< MAIL FROM
    std::vector<std::string> rcpt_tos;  ///< RCPT TO, each
};

class smtp_sink_process {
  public:
    struct options {
        std::string auth;                         ///< `USER:PASSWORD` required; empty: no AUTH
        std::vector<std::string> reject_domains;  ///< RCPT TO these: 550
    };

    /// Starts the server on a free port; throws std::runtime_error when it cannot.
    smtp_sink_process();
    explicit smtp_sink_process(options opts);
    smtp_sink_process(smtp_sink_process const&) = delete;
    smtp_sink_process& operator=(smtp_sink_process const&) = delete;
    ~smtp_sink_process();

    /// Stops it (SIGTERM) and waits until it has exited: the port refuses connections.
    void stop();
    /// Starts it again on the same port.
    void start();

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// `smtp://127.0.0.1:PORT`.
    [[nodiscard]] std::string url() const;
    /// The mails received so far, in order.
    [[nodiscard]] std::vector<received_mail> mails() const;
    /// The mails once at least `count` arrived (or what there is after 10 s).
    [[nodiscard]] std::vector<received_mail> wait_for(std::size_t count) const;

  private:
    options opts_;
    temp_dir dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace warden::test
