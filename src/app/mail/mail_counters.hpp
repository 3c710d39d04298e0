#pragma once
// What the mail queue counts, for logs and /metrics: read from any thread at any time.
#include <atomic>
#include <cstdint>

namespace warden::app {

class mail_counters {
  public:
    /// Mails the SMTP server accepted.
    [[nodiscard]] std::uint64_t sent() const noexcept { return sent_.load(relaxed); }
    /// Delivery attempts that failed (a mail retried three times counts three).
    [[nodiscard]] std::uint64_t failed() const noexcept { return failed_.load(relaxed); }
    /// Mails given up: refused by the server, out of retries, unsendable, or queued at shutdown.
    [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_.load(relaxed); }
    /// Mails refused at once because the queue was full.
    [[nodiscard]] std::uint64_t queue_full() const noexcept { return queue_full_.load(relaxed); }
    /// Mails waiting now (for their first attempt or a retry).
    [[nodiscard]] std::uint64_t queued() const noexcept { return queued_.load(relaxed); }

    void count_sent() noexcept { sent_.fetch_add(1, relaxed); }
    void count_failed() noexcept { failed_.fetch_add(1, relaxed); }
    void count_dropped(std::uint64_t n = 1) noexcept { dropped_.fetch_add(n, relaxed); }
    void count_queue_full() noexcept { queue_full_.fetch_add(1, relaxed); }
    void set_queued(std::uint64_t n) noexcept { queued_.store(n, relaxed); }

  private:
    static constexpr auto relaxed = std::memory_order_relaxed;
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> failed_{0};
    std::atomic<std::uint64_t> dropped_{0};
    std::atomic<std::uint64_t> queue_full_{0};
    std::atomic<std::uint64_t> queued_{0};
};

}  // namespace warden::app
