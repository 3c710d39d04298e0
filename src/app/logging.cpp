#include "app/logging.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/sink.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "app/log_safe.hpp"

namespace warden::app {
namespace {

/// The name of the logger `make_access_logger` writes through: its lines are buffered per thread.
constexpr std::string_view access_logger_name = "access";

/// The access lines one thread has formatted and not yet written: a ring of bytes with one
/// producer, that thread, and one consumer at a time, whoever holds the sink's write lock. The
/// producer publishes whole lines only (`head_` moves past a line once all of it is in), so a
/// consumer never writes part of a line.
class thread_lines {
  public:
    static constexpr std::size_t capacity = 64 * 1024;

    /// Producer: whether `n` more bytes fit.
    [[nodiscard]] bool fits(std::size_t n) const noexcept {
        auto const used =
            head_.load(std::memory_order_relaxed) - tail_.load(std::memory_order_acquire);
        return capacity - used >= n;
    }

    /// Producer: appends `line`, which fits.
    void append(std::string_view line) noexcept {
        auto const head = head_.load(std::memory_order_relaxed);
        auto const at = static_cast<std::size_t>(head % capacity);
        auto const first = std::min(line.size(), capacity - at);
        std::memcpy(data_.get() + at, line.data(), first);
        std::memcpy(data_.get(), line.data() + first, line.size() - first);
        head_.store(head + line.size(), std::memory_order_release);
    }

    /// Consumer: adds the unwritten bytes to `out` (at most two pieces); returns where they end.
    std::uint64_t pending(std::vector<iovec>& out) const {
        auto const head = head_.load(std::memory_order_acquire);
        auto const tail = tail_.load(std::memory_order_relaxed);
        if (head == tail) return head;
        auto const at = static_cast<std::size_t>(tail % capacity);
        auto const size = static_cast<std::size_t>(head - tail);
        auto const first = std::min(size, capacity - at);
        out.push_back({data_.get() + at, first});
        if (size > first) out.push_back({data_.get(), size - first});
        return head;
    }

    /// Consumer: the bytes up to `head` are written; the producer may reuse their space.
    void consumed(std::uint64_t head) noexcept { tail_.store(head, std::memory_order_release); }

    // The producer's own: its copy of the sink's formatter (spdlog's formatters cache the time
    // and are not thread-safe) and the line being formatted.
    std::unique_ptr<spdlog::formatter> formatter;
    std::uint64_t formatter_version = 0;
    spdlog::memory_buf_t formatted;

  private:
    std::unique_ptr<char[]> data_{new char[capacity]};
    alignas(64) std::atomic<std::uint64_t> head_{0};  // written by the producer only
    alignas(64) std::atomic<std::uint64_t> tail_{0};  // written under the write lock only
};

/// Distinguishes sinks in the threads' lookup tables: an address may be reused, an id is not.
std::atomic<std::uint64_t> next_sink_id{1};

/// Writes to a file descriptor. spdlog's stderr sink takes a lock and makes a write(2) per line,
/// which costs more than serving a request; here the access lines (from the logger named
/// "access") go to a buffer of the calling thread without a lock, and reach the descriptor with
/// one writev(2) per flush: every second (`flush()`), at exit (the destructor), when the thread's
/// buffer is full, and before any other message. Every other message (start-up, warnings, stop)
/// is written at once, after the lines buffered before it. Lines of different threads keep their
/// order within a thread, not across threads, between two flushes.
class buffered_fd_sink final : public spdlog::sinks::sink {
  public:
    explicit buffered_fd_sink(int fd)
        : fd_(fd),
          id_(next_sink_id.fetch_add(1, std::memory_order_relaxed)),
          formatter_(std::make_unique<spdlog::pattern_formatter>()) {}
    ~buffered_fd_sink() override { flush(); }
    buffered_fd_sink(buffered_fd_sink const&) = delete;
    buffered_fd_sink& operator=(buffered_fd_sink const&) = delete;

    void log(spdlog::details::log_msg const& msg) override {
        if (msg.logger_name == access_logger_name && msg.level < spdlog::level::warn) {
            buffer(msg);
            return;
        }
        std::lock_guard const lock{write_mutex_};
        operator_line_.clear();
        formatter_->format(msg, operator_line_);
        write_everything_locked({operator_line_.data(), operator_line_.size()});
    }

    void flush() override {
        std::lock_guard const lock{write_mutex_};
        write_everything_locked({});
    }

    void set_pattern(std::string const& pattern) override {
        set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern));
    }

    void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
        std::lock_guard const lock{write_mutex_};
        formatter_ = std::move(formatter);
        formatter_version_.fetch_add(1, std::memory_order_release);
    }

  private:
    void buffer(spdlog::details::log_msg const& msg) {
        auto& mine = this_threads_lines();
        if (mine.formatter_version != formatter_version_.load(std::memory_order_acquire)) {
            std::lock_guard const lock{write_mutex_};  // only after a new pattern
            mine.formatter = formatter_->clone();
            mine.formatter_version = formatter_version_.load(std::memory_order_relaxed);
        }
        mine.formatted.clear();
        mine.formatter->format(msg, mine.formatted);
        std::string_view const line{mine.formatted.data(), mine.formatted.size()};
        if (mine.fits(line.size())) {
            mine.append(line);
            return;
        }
        // Full (64 KiB since the last flush): this thread's lines and this one go out now.
        std::lock_guard const lock{write_mutex_};
        std::vector<iovec> pieces;
        auto const head = mine.pending(pieces);
        pieces.push_back({const_cast<char*>(line.data()), line.size()});
        write_all(pieces);
        mine.consumed(head);
    }

    /// The calling thread's buffer, made (under the write lock) on its first access line.
    thread_lines& this_threads_lines() {
        thread_local std::vector<std::pair<std::uint64_t, thread_lines*>> known;
        for (auto const& [id, lines] : known)
            if (id == id_) return *lines;
        std::lock_guard const lock{write_mutex_};
        auto& made = *threads_.emplace_back(std::make_unique<thread_lines>());
        made.formatter = formatter_->clone();
        made.formatter_version = formatter_version_.load(std::memory_order_relaxed);
        known.emplace_back(id_, &made);
        return made;
    }

    /// Every thread's buffered lines, then `last`, in one writev(2) (more if IOV_MAX is short).
    void write_everything_locked(std::string_view last) {
        std::vector<iovec> pieces;
        std::vector<std::uint64_t> heads;
        heads.reserve(threads_.size());
        for (auto const& lines : threads_) heads.push_back(lines->pending(pieces));
        if (!last.empty()) pieces.push_back({const_cast<char*>(last.data()), last.size()});
        write_all(pieces);
        for (std::size_t i = 0; i < threads_.size(); ++i) threads_[i]->consumed(heads[i]);
    }

    /// Writes every piece, resuming after a short write, so nothing written by another call
    /// lands inside a line. Gives up on an error: nowhere to write drops the logs, not the service.
    void write_all(std::vector<iovec>& pieces) const {
        std::size_t next = 0;
        while (next < pieces.size()) {
            auto const count =
                static_cast<int>(std::min<std::size_t>(pieces.size() - next, IOV_MAX));
            auto const n = ::writev(fd_, pieces.data() + next, count);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;
            auto written = static_cast<std::size_t>(n);
            while (next < pieces.size() && written >= pieces[next].iov_len) {
                written -= pieces[next].iov_len;
                ++next;
            }
            if (written > 0) {
                pieces[next].iov_base = static_cast<char*>(pieces[next].iov_base) + written;
                pieces[next].iov_len -= written;
            }
        }
    }

    int const fd_;
    std::uint64_t const id_;
    // Taken per flush, per message other than an access line, and by a thread whose buffer is
    // full: never per access line.
    std::mutex write_mutex_;
    std::unique_ptr<spdlog::formatter> formatter_;  // under write_mutex_
    std::atomic<std::uint64_t> formatter_version_{0};
    spdlog::memory_buf_t operator_line_;                  // under write_mutex_
    std::vector<std::unique_ptr<thread_lines>> threads_;  // under write_mutex_
};

spdlog::level::level_enum to_spdlog(log_level level) {
    switch (level) {
        case log_level::trace:
            return spdlog::level::trace;
        case log_level::debug:
            return spdlog::level::debug;
        case log_level::info:
            return spdlog::level::info;
        case log_level::warn:
            return spdlog::level::warn;
        case log_level::error:
            return spdlog::level::err;
        case log_level::off:
            return spdlog::level::off;
    }
    return spdlog::level::info;
}

}  // namespace

std::shared_ptr<spdlog::logger> make_logger(config const& settings) {
    return make_logger(settings, STDERR_FILENO);
}

std::shared_ptr<spdlog::logger> make_logger(config const& settings, int fd) {
    auto log = std::make_shared<spdlog::logger>("wardend", std::make_shared<buffered_fd_sink>(fd));
    log->set_level(to_spdlog(settings.log_level));
    if (settings.log_format == log_format::json) {
        // The message is already a JSON object for access lines; operator messages are quoted.
        log->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","msg":%v})",
                         spdlog::pattern_time_type::utc);
    } else {
        log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    }
    log->flush_on(spdlog::level::warn);
    return log;
}

http::access_logger make_access_logger(std::shared_ptr<spdlog::logger> log, log_format format) {
    // The same sinks, level and pattern under the name that tells the sink to buffer per thread.
    return [access = log->clone(std::string{access_logger_name}),
            format](http::access_entry const& e) {
        if (!access->should_log(spdlog::level::info)) return;
        auto const ms = static_cast<double>(e.latency.count()) / 1000.0;
        // The method and path are the client's bytes (the server refuses no byte >= 0x80 in a
        // target): escaped, so no terminal escape and no invalid UTF-8 reaches the log.
        std::string const method = log_safe(e.method);
        std::string const path = log_safe(e.path);
        std::string const user = log_safe(e.user_id.empty() ? std::string_view{"-"} : e.user_id);
        std::string const id = log_safe(e.request_id);
        if (format == log_format::json) {
            access->info(boost::json::serialize(boost::json::object{{"method", method},
                                                                    {"path", path},
                                                                    {"status", e.status},
                                                                    {"latency_ms", ms},
                                                                    {"user", user},
                                                                    {"request_id", id},
                                                                    {"client", e.client_address}}));
        } else {
            access->info("{} {} {} {:.3f}ms user={} rid={} client={}", method, path, e.status, ms,
                         user, id, e.client_address);
        }
    };
}

}  // namespace warden::app
