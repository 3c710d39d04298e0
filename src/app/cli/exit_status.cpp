#include "app/cli/exit_status.hpp"

#include <cstdio>
#include <string>

namespace warden::app::cli {
namespace {

void print_line(std::string_view prefix, std::string_view message) {
    std::string line{prefix};
    for (char const c : message) line += (c == '\n' || c == '\r') ? ' ' : c;
    line += '\n';
    std::fputs(line.c_str(), stderr);
}

}  // namespace

int fail(exit_status status, std::string_view message) {
    print_line("warden: ", message);
    return code(status);
}

void note(std::string_view message) { print_line("warden: note: ", message); }

}  // namespace warden::app::cli
