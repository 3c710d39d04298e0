#include "support/redis_server.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

namespace warden::test {
namespace {

using namespace std::chrono_literals;

constexpr char const* server_binary = "/usr/bin/redis-server";

sockaddr_in loopback(std::uint16_t port) noexcept {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// True when the server on `port` answers PING within 200 ms (+PONG, or -NOAUTH when it wants a
// password): it is up.
bool answers_ping(std::uint16_t port) {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    timeval const timeout{0, 200'000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    auto const address = loopback(port);
    bool up = false;
    if (::connect(fd, reinterpret_cast<sockaddr const*>(&address), sizeof address) == 0) {
        constexpr std::string_view ping = "PING\r\n";
        char reply[64] = {};
        if (::send(fd, ping.data(), ping.size(), MSG_NOSIGNAL) ==
                static_cast<ssize_t>(ping.size()) &&
            ::recv(fd, reply, sizeof reply, 0) > 0) {
            up = reply[0] == '+' || reply[0] == '-';
        }
    }
    ::close(fd);
    return up;
}

}  // namespace

std::string redis_server_missing() {
    if (::access(server_binary, X_OK) == 0) return {};
    return std::string{"redis-server is not installed ("} + server_binary +
           "): apt-get install redis-server";
}

bool redis_server_required() {
    char const* ci = std::getenv("CI");
    if (ci == nullptr) return false;
    std::string_view const value{ci};
    return value == "true" || value == "TRUE" || value == "True" || value == "1" || value == "yes";
}

std::uint16_t free_port() {
    int const fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    auto address = loopback(0);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr const*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("cannot find a free port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

redis_server::redis_server() : redis_server(options{}) {}

redis_server::redis_server(options opts) : opts_(std::move(opts)) {
    // Another test process may take the port between free_port() and the server's bind.
    for (int attempt = 0; attempt < 5; ++attempt) {
        port_ = free_port();
        if (launch()) return;
    }
    throw std::runtime_error("redis-server did not start: " + log_tail());
}

redis_server::~redis_server() { stop(); }

bool redis_server::launch() {
    std::vector<std::string> args{server_binary,
                                  "--port",
                                  std::to_string(port_),
                                  "--bind",
                                  "127.0.0.1",
                                  "--save",
                                  "",
                                  "--appendonly",
                                  "no",
                                  "--daemonize",
                                  "no",
                                  "--dir",
                                  dir_.path().string(),
                                  "--logfile",
                                  (dir_.path() / "redis.log").string()};
    if (!opts_.password.empty()) args.insert(args.end(), {"--requirepass", opts_.password});
    if (opts_.unix_socket) {
        args.insert(args.end(), {"--unixsocket", socket().string(), "--unixsocketperm", "700"});
    }
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);

    pid_t const parent = ::getpid();
    pid_t const pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork() failed");
    if (pid == 0) {
        // The server dies with the test process, even when that one crashes.
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(1);
        int const null = ::open("/dev/null", O_RDWR);
        if (null >= 0) {
            ::dup2(null, 0);
            ::dup2(null, 1);
            ::dup2(null, 2);
        }
        ::execv(server_binary, argv.data());
        ::_exit(127);
    }
    pid_ = pid;
    paused_ = false;
    auto const give_up = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < give_up) {
        if (answers_ping(port_)) return true;
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;  // exited: most likely the port was taken
            return false;
        }
        std::this_thread::sleep_for(10ms);
    }
    stop();
    throw std::runtime_error("redis-server did not answer PING within 10 s: " + log_tail());
}

void redis_server::stop() {
    if (pid_ <= 0) return;
    if (paused_) ::kill(pid_, SIGCONT);
    paused_ = false;
    ::kill(pid_, SIGTERM);
    auto const give_up = std::chrono::steady_clock::now() + 10s;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= give_up) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(5ms);
    }
    pid_ = -1;
}

void redis_server::start() {
    if (pid_ > 0) return;
    // The same port: a process that took it meanwhile is waited out for a while.
    for (int attempt = 0; attempt < 50; ++attempt) {
        if (launch()) return;
        std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("redis-server did not start again: " + log_tail());
}

void redis_server::pause() {
    if (pid_ > 0 && !paused_ && ::kill(pid_, SIGSTOP) == 0) paused_ = true;
}

void redis_server::resume() {
    if (pid_ > 0 && paused_) ::kill(pid_, SIGCONT);
    paused_ = false;
}

std::string redis_server::url() const {
    std::string url = "redis://";
    if (!opts_.password.empty()) url += ":" + opts_.password + "@";
    return url + "127.0.0.1:" + std::to_string(port_) + "/0";
}

std::string redis_server::log_tail() const {
    std::ifstream in{dir_.path() / "redis.log"};
    std::string log{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    return log.size() > 2000 ? log.substr(log.size() - 2000) : log;
}

}  // namespace warden::test
