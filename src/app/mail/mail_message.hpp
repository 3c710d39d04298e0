#pragma once
// One mail as RFC 5322 bytes: From, To, Subject, Date, Message-ID, MIME-Version,
// Auto-Submitted and a multipart/alternative body (text/plain, then text/html; UTF-8,
// quoted-printable). No input reaches a header unchecked: addresses are checked, the subject is
// checked and encoded, and every header line is written here.
#include <string>
#include <string_view>

#include <warden/core/clock.hpp>
#include <warden/core/result.hpp>

#include "app/mail/mail_address.hpp"

namespace warden::app {

struct mail_message {
    std::string to;       ///< the recipient's address (no display name)
    std::string subject;  ///< one line of UTF-8
    std::string text;     ///< the text/plain part (UTF-8, any line breaks)
    std::string html;     ///< the text/html part (UTF-8)
};

/// The message as sent over SMTP (CRLF line breaks, 7-bit). `unique` makes the Message-ID
/// (`<unique@from-domain>`) and the MIME boundary (`=_unique`): letters and digits, fresh per
/// message (`new_message_unique`). Errors: `mail_errc::bad_address` (recipient),
/// `bad_header_text` (subject), `bad_body` (a part that is not valid UTF-8).
[[nodiscard]] result<std::string> render_message(mail_message const& message,
                                                 mail_address const& from, time_point date,
                                                 std::string_view unique);

/// 32 random hexadecimal digits for `render_message`'s `unique`.
[[nodiscard]] result<std::string> new_message_unique();

/// The RFC 5322 §3.3 date in UTC: `Sat, 05 Dec 2026 10:03:42 +0000`.
[[nodiscard]] std::string format_mail_date(time_point date);

}  // namespace warden::app
