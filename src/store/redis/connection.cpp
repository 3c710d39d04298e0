#include "store/redis/connection.hpp"

#include <cerrno>
#include <csignal>
#include <utility>

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <warden/store/errc.hpp>

namespace warden::store {

void redis_reply_deleter::operator()(redisReply* r) const noexcept { freeReplyObject(r); }

namespace {

// hiredis writes with write(2): writing to a connection the server has closed raises SIGPIPE,
// which ends a process that does not ignore it. As libpq does, SIGPIPE is blocked in this thread
// for the duration of the I/O, and one that the I/O raised is taken off the pending set.
class sigpipe_blocked {
  public:
    sigpipe_blocked() noexcept {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
        already_pending_ = pending();
    }
    sigpipe_blocked(sigpipe_blocked const&) = delete;
    sigpipe_blocked& operator=(sigpipe_blocked const&) = delete;
    ~sigpipe_blocked() {
        int const saved_errno = errno;
        if (!already_pending_ && pending()) {
            timespec const zero{0, 0};
            while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
        errno = saved_errno;
    }

  private:
    [[nodiscard]] static bool pending() noexcept {
        sigset_t set;
        sigemptyset(&set);
        return sigpending(&set) == 0 && sigismember(&set, SIGPIPE) == 1;
    }

    sigset_t pipe_{};
    sigset_t previous_{};
    bool already_pending_ = false;
};

// The time left before `deadline`, at least 1 ms: a socket timeout of 0 would mean "none".
timeval time_left(redis_clock::time_point deadline) noexcept {
    auto left =
        std::chrono::duration_cast<std::chrono::microseconds>(deadline - redis_clock::now());
    if (left < std::chrono::milliseconds{1}) left = std::chrono::milliseconds{1};
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(left.count() / 1'000'000);
    tv.tv_usec = static_cast<suseconds_t>(left.count() % 1'000'000);
    return tv;
}

std::string_view text(redisReply const& r) noexcept {
    return r.str == nullptr ? std::string_view{} : std::string_view{r.str, r.len};
}

bool starts_with(std::string_view s, std::string_view prefix) noexcept {
    return s.substr(0, prefix.size()) == prefix;
}

// A server message with every occurrence of the password replaced: no message may hold it.
std::string scrubbed(std::string_view message, std::string const& password) {
    std::string out{message};
    if (password.empty()) return out;
    for (auto pos = out.find(password); pos != std::string::npos;
         pos = out.find(password, pos + 3)) {
        out.replace(pos, password.size(), "***");
    }
    return out;
}

}  // namespace

error_code reply_error(redisReply const& r) noexcept {
    if (r.type != REDIS_REPLY_ERROR) return {};
    auto const message = text(r);
    for (std::string_view const busy : {"LOADING", "BUSY", "READONLY", "OOM", "MISCONF",
                                        "MASTERDOWN", "NOAUTH", "TRYAGAIN", "CLUSTERDOWN"}) {
        if (starts_with(message, busy)) return errc::unavailable;
    }
    return errc::backend_error;
}

bool is_noscript(redisReply const& r) noexcept {
    return r.type == REDIS_REPLY_ERROR && starts_with(text(r), "NOSCRIPT");
}

result<std::unique_ptr<redis_connection>> redis_connection::connect(
    redis_endpoint const& at, std::span<std::string_view const> scripts,
    redis_clock::time_point deadline, std::string* why) {
    auto const fail = [why](errc e, std::string text) -> error_code {
        if (why != nullptr) *why = std::move(text);
        return e;
    };
    if (redis_clock::now() >= deadline) return fail(errc::unavailable, "timed out");
    redisContext* const raw =
        at.socket_path.empty()
            ? redisConnectWithTimeout(at.host.c_str(), at.port, time_left(deadline))
            : redisConnectUnixWithTimeout(at.socket_path.c_str(), time_left(deadline));
    if (raw == nullptr) return fail(errc::unavailable, "out of memory");
    std::unique_ptr<redis_connection> c{new redis_connection{raw}};
    if (raw->err != 0) {
        return fail(errc::unavailable, redis_clock::now() >= deadline
                                           ? std::string{"timed out connecting"}
                                           : std::string{raw->errstr});
    }

    // The set-up in one round trip: AUTH, SELECT, SCRIPT LOAD..., PING (which tells a server
    // that wants a password, NOAUTH, from one that is ready).
    std::vector<redis_command> setup;
    bool const auth = !at.password.empty() || !at.user.empty();
    if (auth && at.user.empty()) setup.push_back({"AUTH", at.password});
    if (auth && !at.user.empty()) setup.push_back({"AUTH", at.user, at.password});
    std::string const db = std::to_string(at.db);
    if (at.db != 0) setup.push_back({"SELECT", db});
    for (auto const script : scripts) setup.push_back({"SCRIPT", "LOAD", script});
    setup.push_back({"PING"});
    auto replies = c->pipeline(setup, deadline, why);
    if (!replies) return replies.error();

    std::size_t i = 0;
    auto const refused = [&](std::string_view what, redisReply const& r) -> error_code {
        // A server still loading its data set answers again soon; any other refusal (a wrong
        // password, a database index out of range, NOAUTH) does not go away by retrying.
        auto const e = starts_with(text(r), "LOADING") || starts_with(text(r), "BUSY")
                           ? errc::unavailable
                           : errc::backend_error;
        return fail(e, std::string{what} + ": " + scrubbed(text(r), at.password));
    };
    if (auth) {
        auto const& r = *(*replies)[i++];
        if (r.type == REDIS_REPLY_ERROR) return refused("Redis refused AUTH", r);
    }
    if (at.db != 0) {
        auto const& r = *(*replies)[i++];
        if (r.type == REDIS_REPLY_ERROR) return refused("Redis refused SELECT " + db, r);
    }
    for (std::size_t s = 0; s < scripts.size(); ++s) {
        // A server that refuses SCRIPT LOAD (an ACL) may still run EVAL: that is tried then.
        auto const& r = *(*replies)[i++];
        c->shas_.emplace_back(r.type == REDIS_REPLY_STRING ? text(r) : std::string_view{});
    }
    auto const& pong = *(*replies)[i];
    if (pong.type == REDIS_REPLY_ERROR) return refused("Redis refused PING", pong);
    return c;
}

redis_connection::~redis_connection() { redisFree(c_); }

result<std::vector<redis_reply>> redis_connection::pipeline(std::span<redis_command const> commands,
                                                            redis_clock::time_point deadline,
                                                            std::string* why) {
    auto const fail = [this, why, deadline](char const* what) -> error_code {
        broken_ = true;
        if (why != nullptr) {
            bool const timed_out = redis_clock::now() + std::chrono::milliseconds{2} >= deadline;
            *why = timed_out ? "timed out" : (what != nullptr && *what != 0 ? what : "I/O error");
        }
        return errc::unavailable;
    };
    if (broken_) return fail("the connection failed before");
    if (redis_clock::now() >= deadline) {
        if (why != nullptr) *why = "timed out";
        return errc::unavailable;  // nothing was sent: the connection is still good
    }
    sigpipe_blocked const guard;
    if (redisSetTimeout(c_, time_left(deadline)) != REDIS_OK) return fail(c_->errstr);
    std::vector<char const*> argv;
    std::vector<std::size_t> lengths;
    for (auto const& command : commands) {
        argv.clear();
        lengths.clear();
        for (auto const argument : command) {
            argv.push_back(argument.data() == nullptr ? "" : argument.data());
            lengths.push_back(argument.size());
        }
        if (redisAppendCommandArgv(c_, static_cast<int>(argv.size()), argv.data(),
                                   lengths.data()) != REDIS_OK) {
            return fail(c_->errstr);
        }
    }
    std::vector<redis_reply> replies;
    replies.reserve(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i) {
        void* reply = nullptr;
        // The first call writes every command (blocking, bounded by the send timeout).
        if (redisGetReply(c_, &reply) != REDIS_OK || reply == nullptr) {
            return fail(c_->err != 0 ? c_->errstr : nullptr);
        }
        replies.emplace_back(static_cast<redisReply*>(reply));
    }
    return replies;
}

result<redis_reply> redis_connection::run(redis_command const& command,
                                          redis_clock::time_point deadline, std::string* why) {
    auto replies = pipeline({&command, 1}, deadline, why);
    if (!replies) return replies.error();
    return std::move(replies->front());
}

bool redis_connection::still_open() const noexcept {
    if (broken_) return false;
    char byte = 0;
    int const saved_errno = errno;
    auto const n = ::recv(c_->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    bool const open = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    errno = saved_errno;
    return open;
}

}  // namespace warden::store
