#include "app/logging.hpp"

#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string>

#include <spdlog/sinks/base_sink.h>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "app/log_safe.hpp"

namespace warden::app {
namespace {

/// Writes to a file descriptor through a 32 KiB buffer, flushed when full, on `flush()` (every
/// second and at exit) and by every warning. spdlog's stderr sink flushes after each line: a
/// write(2) per request costs more than serving it.
class buffered_fd_sink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit buffered_fd_sink(int fd) : fd_(fd) {}
    ~buffered_fd_sink() override { flush_(); }
    buffered_fd_sink(buffered_fd_sink const&) = delete;
    buffered_fd_sink& operator=(buffered_fd_sink const&) = delete;

  protected:
    void sink_it_(spdlog::details::log_msg const& msg) override {
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        buffer_.append(line.data(), line.size());
        if (buffer_.size() >= 32 * 1024) flush_();
    }

    void flush_() override {
        std::size_t done = 0;
        while (done < buffer_.size()) {
            auto const n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // nowhere to write: drop the logs rather than the service
            done += static_cast<std::size_t>(n);
        }
        buffer_.clear();
    }

  private:
    int fd_;
    std::string buffer_;
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
    auto log = std::make_shared<spdlog::logger>("wardend",
                                                std::make_shared<buffered_fd_sink>(STDERR_FILENO));
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
    return [log = std::move(log), format](http::access_entry const& e) {
        if (!log->should_log(spdlog::level::info)) return;
        auto const ms = static_cast<double>(e.latency.count()) / 1000.0;
        // The method and path are the client's bytes (the server refuses no byte >= 0x80 in a
        // target): escaped, so no terminal escape and no invalid UTF-8 reaches the log.
        std::string const method = log_safe(e.method);
        std::string const path = log_safe(e.path);
        std::string const user = log_safe(e.user_id.empty() ? std::string_view{"-"} : e.user_id);
        std::string const id = log_safe(e.request_id);
        if (format == log_format::json) {
            log->info(boost::json::serialize(boost::json::object{{"method", method},
                                                                 {"path", path},
                                                                 {"status", e.status},
                                                                 {"latency_ms", ms},
                                                                 {"user", user},
                                                                 {"request_id", id},
                                                                 {"client", e.client_address}}));
        } else {
            log->info("{} {} {} {:.3f}ms user={} rid={} client={}", method, path, e.status, ms,
                      user, id, e.client_address);
        }
    };
}

}  // namespace warden::app
