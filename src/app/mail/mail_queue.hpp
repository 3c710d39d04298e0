#pragma once
// Mails leave on one sender thread, never on the request path: `enqueue` only takes a short lock
// and returns. The queue is bounded; a mail that fails is retried with exponential back-off
// (retry_policy) and dropped when its budget is spent or the server refuses it for good. Every
// outcome is counted (mail_counters) and logged with the template name and the recipient's
// domain, never the address, the link or the token.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <spdlog/common.h>

#include "app/mail/mail_counters.hpp"
#include "app/mail/mail_transport.hpp"
#include "app/mail/queue_timer.hpp"
#include "app/mail/retry_policy.hpp"

namespace warden::app {

/// Receives the queue's log lines (wardend: its logger).
using mail_log = std::function<void(spdlog::level::level_enum, std::string const&)>;

/// One composed mail.
struct outgoing_mail {
    std::string recipient;      ///< the address (checked when the message was composed)
    std::string template_name;  ///< for the logs: `verify`, `reset`
    std::string message;        ///< RFC 5322 bytes
};

struct mail_queue_options {
    std::size_t capacity = 1000;  ///< mails waiting at most (retries included)
    retry_policy retry;
    /// How long `stop` keeps sending mails that are due before it drops the rest.
    std::chrono::milliseconds stop_grace{5'000};
};

enum class enqueue_result {
    queued,
    queue_full,    ///< dropped: `capacity` mails are waiting
    not_running,   ///< dropped: the queue is not started, or stopped
    not_composed,  ///< dropped: the mail could not be composed (an unacceptable address)
};

class mail_queue {
  public:
    /// `transport` and `timer` must outlive the queue.
    mail_queue(mail_transport& transport, queue_timer& timer, mail_queue_options options);
    mail_queue(mail_queue const&) = delete;
    mail_queue& operator=(mail_queue const&) = delete;
    /// Stops (see `stop`).
    ~mail_queue();

    /// Starts the sender thread; lines go to `log`. Once, before the first `enqueue`.
    void start(mail_log log);

    /// Queues `mail` for sending and returns at once (never waits for the network). Counts and
    /// logs a full queue. Thread-safe.
    enqueue_result enqueue(outgoing_mail mail);

    /// Stops accepting mails, keeps sending those due for `stop_grace`, then aborts the delivery
    /// in progress and drops what is left (counted, logged). Returns when the sender has ended.
    void stop();

    /// Counts a mail dropped before it reached the queue (it could not be composed).
    void count_unsendable() noexcept { counters_.count_dropped(); }

    [[nodiscard]] mail_counters const& counters() const noexcept { return counters_; }

  private:
    struct pending {
        outgoing_mail mail;
        unsigned failed_attempts = 0;
    };
    using queue_time = queue_timer::time_point;

    void run();
    // After one attempt: counts it, queues a retry or drops the mail; returns the log line.
    std::pair<spdlog::level::level_enum, std::string> settle(pending job, error_code result,
                                                             std::string const& why);
    void say(spdlog::level::level_enum level, std::string const& text) const;

    mail_transport& transport_;
    queue_timer& timer_;
    mail_queue_options const options_;
    mail_log log_;
    mail_counters counters_;

    std::mutex stop_mutex_;  // one stop() at a time
    std::mutex mutex_;
    std::condition_variable wake_;             // work, a due retry, or stop
    std::condition_variable finished_;         // the sender has ended
    std::multimap<queue_time, pending> jobs_;  // by due time; equal times keep their order
    bool running_ = false;
    bool stopping_ = false;
    bool ended_ = false;
    queue_time grace_end_{};
    std::atomic<bool> abort_{false};  // read by the transport during a delivery
    std::thread sender_;
};

}  // namespace warden::app
