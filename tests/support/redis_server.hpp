#pragma once
// A throwaway redis-server per test: `redis-server --port P --bind 127.0.0.1 --save ''
// --appendonly no` in its own temp directory, on a free port, stopped on destruction (also when
// the test fails; and killed with the test process if that dies: PR_SET_PDEATHSIG, which is tied
// to the thread that started it: construct and start() it on the test's main thread). In SetUp:
//
//     WARDEN_REQUIRE_REDIS_SERVER();   // skips without /usr/bin/redis-server (fails if CI=true)
//     server_.emplace();               // std::optional<warden::test::redis_server>
#include <cstdint>
#include <filesystem>
#include <string>

#include <sys/types.h>

#include "support/temp_dir.hpp"

namespace warden::test {

/// Empty when /usr/bin/redis-server exists; else why not, for GTEST_SKIP.
[[nodiscard]] std::string redis_server_missing();
/// True when CI=true in the environment: a missing server fails the test instead of skipping it.
[[nodiscard]] bool redis_server_required();

class redis_server {
  public:
    struct options {
        std::string password;      ///< --requirepass (empty: none)
        bool unix_socket = false;  ///< also listen on `socket()` (--unixsocket)
    };

    /// Starts the server on a free port and waits until it answers PING. Throws
    /// std::runtime_error (with the server's log) when it cannot start.
    redis_server();
    explicit redis_server(options opts);
    redis_server(redis_server const&) = delete;
    redis_server& operator=(redis_server const&) = delete;
    ~redis_server();

    /// Stops the server (SIGTERM; SIGKILL after 10 s) and waits until it has exited.
    void stop();
    /// Starts it again on the same port (fresh: no data survives) and waits for PING.
    void start();
    /// SIGSTOP / SIGCONT: a server that accepts connections but never answers.
    void pause();
    void resume();

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    /// `redis://[:password@]127.0.0.1:PORT/0`.
    [[nodiscard]] std::string url() const;
    /// The Unix socket (with `options::unix_socket`).
    [[nodiscard]] std::filesystem::path socket() const { return dir_.path() / "redis.sock"; }
    [[nodiscard]] std::filesystem::path const& dir() const noexcept { return dir_.path(); }

  private:
    // Starts on port_; false (the server exited) if the port was taken meanwhile.
    bool launch();
    [[nodiscard]] std::string log_tail() const;

    options opts_;
    temp_dir dir_;
    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
    bool paused_ = false;
};

/// A TCP port on 127.0.0.1 that nothing listened on a moment ago.
[[nodiscard]] std::uint16_t free_port();

}  // namespace warden::test

/// In a GoogleTest SetUp or test body: skips the test when redis-server is missing, or fails it
/// when CI=true; returns from the function in both cases.
#define WARDEN_REQUIRE_REDIS_SERVER()                                                     \
    do {                                                                                  \
        if (auto warden_redis_missing_ = ::warden::test::redis_server_missing();          \
            !warden_redis_missing_.empty()) {                                             \
            if (::warden::test::redis_server_required()) FAIL() << warden_redis_missing_; \
            GTEST_SKIP() << warden_redis_missing_;                                        \
        }                                                                                 \
    } while (false)
