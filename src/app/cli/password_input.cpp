#include "app/cli/password_input.hpp"

#include <termios.h>
#include <unistd.h>

#include <boost/system/errc.hpp>
#include <cstdio>
#include <optional>

namespace warden::app::cli {
namespace {

constexpr std::size_t max_line = 4096;

/// Turns terminal echo off for its lifetime (when stdin is a terminal).
class echo_off {
  public:
    echo_off() {
        if (::isatty(STDIN_FILENO) == 0 || ::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
        termios quiet = saved_;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    echo_off(echo_off const&) = delete;
    echo_off& operator=(echo_off const&) = delete;
    ~echo_off() {
        if (!active_) return;
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
        std::fputs("\n", stderr);
    }

  private:
    termios saved_{};
    bool active_ = false;
};

}  // namespace

result<secret_bytes> read_password_stdin(std::string* why) {
    auto const set_why = [why](char const* text) {
        if (why != nullptr) *why = text;
    };
    bool const terminal = ::isatty(STDIN_FILENO) != 0;
    if (terminal) std::fputs("Password: ", stderr);
    std::string line;
    line.reserve(max_line + 1);  // no reallocation: no stray copy of the password in freed memory
    bool saw_end_of_line = false;
    {
        echo_off const quiet;
        for (int c = std::getchar(); c != EOF; c = std::getchar()) {
            if (c == '\n') {
                saw_end_of_line = true;
                break;
            }
            if (line.size() == max_line) {
                secret_bytes const wipe{std::move(line)};
                set_why("the password on standard input is longer than 4096 bytes");
                return make_error_code(boost::system::errc::message_size);
            }
            line += static_cast<char>(c);
        }
    }
    if (!saw_end_of_line && line.empty()) {
        set_why("--password-stdin: no password on standard input (it was empty)");
        return make_error_code(boost::system::errc::no_message);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return secret_bytes{std::move(line)};
}

}  // namespace warden::app::cli
