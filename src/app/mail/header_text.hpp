#pragma once
// Text that goes into a header field (a Subject, a display name) written so that it can never
// start another header: control characters are refused, and anything beyond plain printable
// ASCII is written as RFC 2047 encoded-words ("=?UTF-8?Q?...?="), folded onto lines of at most
// 78 characters.
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::app {

/// The value of an unstructured header field such as Subject (RFC 5322 §3.2.5): printable ASCII
/// that fits on the line (`name_length` is the field name's length) is kept as it is; anything
/// else is encoded. Errors: `mail_errc::bad_header_text` for invalid UTF-8 or a control
/// character (C0 including CR, LF, NUL and TAB; DEL; C1).
[[nodiscard]] result<std::string> encode_unstructured(std::string_view text,
                                                      std::size_t name_length);

/// A display name as a phrase (RFC 5322 §3.2.5): letters, digits, spaces and atext symbols are
/// kept; anything else (quotes, commas, angle brackets, non-ASCII) is encoded. Errors as above,
/// and for an empty name.
[[nodiscard]] result<std::string> encode_phrase(std::string_view text);

/// True when `text` holds no control character (C0, DEL, C1) and is valid UTF-8.
[[nodiscard]] bool is_header_safe(std::string_view text) noexcept;

}  // namespace warden::app
