#pragma once
// The exit statuses of the `warden` CLI (SPEC §5) and the one way errors are reported.
#include <string_view>

namespace warden::app::cli {

enum class exit_status : int {
    ok = 0,         ///< the command did what was asked
    failed = 1,     ///< a check failed: not found, taken, mismatch, invalid token, refused data,
                    ///< or the store/key could not be used
    bad_usage = 2,  ///< the command line is wrong: unknown command or option, missing or
                    ///< malformed argument, password on stdin missing or against the policy
};

/// Prints `warden: <message>` on stderr as one line (line breaks become spaces) and returns
/// `status` as a process exit status. Callers never pass a password, hash, token or secret.
int fail(exit_status status, std::string_view message);

/// Prints `warden: note: <message>` on stderr (one line) for the operator.
void note(std::string_view message);

/// `status` as a process exit status.
[[nodiscard]] constexpr int code(exit_status status) noexcept { return static_cast<int>(status); }

}  // namespace warden::app::cli
