#include "app/mail/mail_queue.hpp"

#include <utility>

#include <fmt/format.h>

#include "app/log_safe.hpp"
#include "app/mail/mail_errc.hpp"

namespace warden::app {
namespace {

std::string_view domain_of(std::string_view address) noexcept {
    auto const at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
}

// "mail verify to a recipient at example.com": what a log line may say about a mail.
std::string describe(outgoing_mail const& mail) {
    return fmt::format("mail {} to a recipient at {}", log_safe(mail.template_name),
                       log_safe(domain_of(mail.recipient)));
}

std::string format_delay(std::chrono::milliseconds delay) {
    if (delay.count() % 1000 == 0) return fmt::format("{}s", delay.count() / 1000);
    return fmt::format("{}ms", delay.count());
}

}  // namespace

mail_queue::mail_queue(mail_transport& transport, queue_timer& timer, mail_queue_options options)
    : transport_(transport), timer_(timer), options_(options) {}

mail_queue::~mail_queue() { stop(); }

void mail_queue::start(mail_log log) {
    std::lock_guard const lock{mutex_};
    if (running_ || stopping_) return;
    log_ = std::move(log);
    running_ = true;
    sender_ = std::thread{[this] { run(); }};
}

void mail_queue::say(spdlog::level::level_enum level, std::string const& text) const {
    if (log_) log_(level, text);
}

enqueue_result mail_queue::enqueue(outgoing_mail mail) {
    std::unique_lock lock{mutex_};
    if (!running_ || stopping_) {
        counters_.count_dropped();
        return enqueue_result::not_running;
    }
    if (jobs_.size() >= options_.capacity) {
        lock.unlock();
        counters_.count_queue_full();
        say(spdlog::level::warn, fmt::format("mail queue full ({} mails waiting): {} not sent",
                                             options_.capacity, describe(mail)));
        return enqueue_result::queue_full;
    }
    jobs_.emplace(timer_.now(), pending{std::move(mail), 0});
    counters_.set_queued(jobs_.size());
    lock.unlock();
    wake_.notify_one();
    return enqueue_result::queued;
}

void mail_queue::stop() {
    std::lock_guard const serial{stop_mutex_};
    {
        std::unique_lock lock{mutex_};
        if (!stopping_) {
            stopping_ = true;
            grace_end_ = timer_.now() + options_.stop_grace;
            wake_.notify_all();
            // The grace in real time too: a delivery in progress holds the sender that long.
            if (running_) finished_.wait_for(lock, options_.stop_grace, [this] { return ended_; });
        }
    }
    abort_.store(true);
    wake_.notify_all();
    if (sender_.joinable()) sender_.join();
    std::lock_guard const lock{mutex_};
    if (!jobs_.empty()) {
        // Never started: what was queued goes with the queue.
        counters_.count_dropped(jobs_.size());
        jobs_.clear();
        counters_.set_queued(0);
    }
}

void mail_queue::run() {
    std::unique_lock lock{mutex_};
    for (;;) {
        auto const now = timer_.now();
        if (stopping_ && (jobs_.empty() || now >= grace_end_ || abort_.load())) break;
        if (jobs_.empty()) {
            wake_.wait(lock);
            continue;
        }
        auto const first = jobs_.begin();
        if (first->first > now) {
            timer_.wait_until(lock, wake_,
                              stopping_ ? std::min(first->first, grace_end_) : first->first);
            continue;
        }
        pending job = std::move(first->second);
        jobs_.erase(first);
        counters_.set_queued(jobs_.size());
        lock.unlock();
        std::string why;
        auto const result = transport_.send(job.mail.recipient, job.mail.message, abort_, &why);
        lock.lock();
        auto const [level, line] = settle(std::move(job), result, why);
        lock.unlock();
        say(level, line);
        lock.lock();
    }
    auto const left = jobs_.size();
    jobs_.clear();
    counters_.set_queued(0);
    counters_.count_dropped(left);
    ended_ = true;
    lock.unlock();
    finished_.notify_all();
    if (left > 0) {
        say(spdlog::level::warn,
            fmt::format("mail queue stopped with {} mails not sent (dropped)", left));
    }
}

std::pair<spdlog::level::level_enum, std::string> mail_queue::settle(pending job, error_code result,
                                                                     std::string const& why) {
    if (!result) {
        counters_.count_sent();
        return {spdlog::level::info, fmt::format("{}: sent", describe(job.mail))};
    }
    counters_.count_failed();
    ++job.failed_attempts;
    auto const what = describe(job.mail);
    if (result == mail_errc::rejected) {
        counters_.count_dropped();
        return {spdlog::level::err,
                fmt::format("{}: refused by the SMTP server, dropped ({})", what, why)};
    }
    if (result == mail_errc::aborted || !options_.retry.may_retry(job.failed_attempts)) {
        counters_.count_dropped();
        return {spdlog::level::err,
                fmt::format("{}: dropped after {} attempts ({})", what, job.failed_attempts, why)};
    }
    auto const delay = options_.retry.delay_after(job.failed_attempts);
    auto const attempts = job.failed_attempts;
    jobs_.emplace(timer_.now() + delay, std::move(job));
    counters_.set_queued(jobs_.size());
    return {spdlog::level::warn, fmt::format("{}: attempt {} failed ({}); next in {}", what,
                                             attempts, why, format_delay(delay))};
}

}  // namespace warden::app
