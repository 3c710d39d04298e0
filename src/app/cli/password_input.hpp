#pragma once
// `--password-stdin`: a password is read from standard input, never from the command line.
#include <string>
#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>

namespace warden::app::cli {

/// Reads the first line of standard input as a password: the line break (`\n` or `\r\n`) is
/// stripped, nothing else is. When stdin is a terminal, prompts on stderr and turns echo off.
/// Fails (with `*why` set to a one-line reason that never holds the input) when stdin is empty
/// or closed, or the line is longer than 4096 bytes.
[[nodiscard]] result<secret_bytes> read_password_stdin(std::string* why);

}  // namespace warden::app::cli
