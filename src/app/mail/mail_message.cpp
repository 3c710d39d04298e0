#include "app/mail/mail_message.hpp"

#include <ctime>

#include <fmt/format.h>

#include <warden/core/random.hpp>
#include <warden/core/utf8.hpp>

#include "app/mail/header_text.hpp"
#include "app/mail/mail_errc.hpp"
#include "app/mail/quoted_printable.hpp"

namespace warden::app {
namespace {

bool is_alphanumeric(std::string_view text) noexcept {
    for (char const c : text) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return false;
    }
    return !text.empty();
}

void add_part(std::string& out, std::string_view boundary, std::string_view type,
              std::string_view body) {
    out += "--";
    out += boundary;
    out += "\r\nContent-Type: ";
    out += type;
    out += "; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += quoted_printable(body);
    out += "\r\n";
}

// Message-ID is ASCII only (RFC 5322 §3.6.4): an internationalized sender domain is left out.
std::string_view message_id_domain(mail_address const& from) noexcept {
    auto const domain = from.domain();
    for (char const c : domain) {
        if (static_cast<unsigned char>(c) >= 0x80) return "localhost";
    }
    return domain;
}

}  // namespace

std::string format_mail_date(time_point date) {
    static constexpr char const* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr char const* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t const seconds = std::chrono::system_clock::to_time_t(date);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", days[utc.tm_wday], utc.tm_mday,
                       months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

result<std::string> new_message_unique() {
    auto bytes = random_bytes(16);
    if (!bytes) return bytes.error();
    std::string out;
    for (char const c : *bytes) out += fmt::format("{:02x}", static_cast<unsigned char>(c));
    return out;
}

result<std::string> render_message(mail_message const& message, mail_address const& from,
                                   time_point date, std::string_view unique) {
    auto const to = parse_address(message.to);
    if (!to) return to.error();
    auto const subject = encode_unstructured(message.subject, std::string_view{"Subject"}.size());
    if (!subject) return subject.error();
    if (!is_valid_utf8(message.text) || !is_valid_utf8(message.html)) return mail_errc::bad_body;
    // The boundary cannot occur in quoted-printable text ("=_" never does) and `unique` is
    // checked, so nothing in the parts can end one early.
    if (!is_alphanumeric(unique)) return mail_errc::bad_header_text;
    std::string const boundary = fmt::format("=_{}", unique);

    std::string out;
    out.reserve(1024 + 2 * (message.text.size() + message.html.size()));
    out += fmt::format("From: {}\r\n", format_mailbox(from));
    out += fmt::format("To: {}\r\n", to->address);
    out += fmt::format("Subject: {}\r\n", *subject);
    out += fmt::format("Date: {}\r\n", format_mail_date(date));
    out += fmt::format("Message-ID: <{}@{}>\r\n", unique, message_id_domain(from));
    out += "MIME-Version: 1.0\r\n";
    // RFC 3834: an automatic mail; autoresponders do not answer it.
    out += "Auto-Submitted: auto-generated\r\n";
    out +=
        fmt::format("Content-Type: multipart/alternative;\r\n boundary=\"{}\"\r\n\r\n", boundary);
    add_part(out, boundary, "text/plain", message.text);
    add_part(out, boundary, "text/html", message.html);
    out += fmt::format("--{}--\r\n", boundary);
    return out;
}

}  // namespace warden::app
