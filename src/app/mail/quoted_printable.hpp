#pragma once
// The quoted-printable transfer encoding of a text body (RFC 2045 §6.7).
#include <string>
#include <string_view>

namespace warden::app {

/// `text` quoted-printable encoded: every line break (CRLF, LF or a lone CR) becomes CRLF, lines
/// are at most 76 characters (soft breaks `=` CRLF), `=`, bytes outside printable ASCII, a
/// trailing space or tab and a line's leading `.` are written `=XX`. The result is 7-bit ASCII
/// and never holds `=_` (so a MIME boundary starting with `=_` cannot occur in it).
[[nodiscard]] std::string quoted_printable(std::string_view text);

}  // namespace warden::app
