#pragma once
// Request-derived text (method, path) made safe for a log line.
#include <string>
#include <string_view>

namespace warden::app {

/// `text` with every byte outside printable ASCII (control bytes, DEL, bytes >= 0x80) and the
/// backslash written as `\xHH`: the line stays one line of ASCII, carries no terminal escape
/// (C0/C1 controls), and stays valid UTF-8 inside a JSON log line. Printable ASCII is unchanged.
[[nodiscard]] std::string log_safe(std::string_view text);

}  // namespace warden::app
