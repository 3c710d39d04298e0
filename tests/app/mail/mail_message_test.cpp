#include "app/mail/mail_message.hpp"

#include <gtest/gtest.h>

#include <string>

#include "app/mail/mail_errc.hpp"
#include "mail/parsed_mail.hpp"

namespace warden::app {
namespace {

using namespace std::string_literals;

time_point const when{std::chrono::seconds{1'700'000'000}};

mail_address sender() { return parse_mailbox("Warden <noreply@example.com>").value(); }

mail_message sample() {
    return {"jo@example.org", "Verify your e-mail address",
            "Hello,\nopen https://auth.example.com/verify-email?token=abc\n",
            "<p>Hello, <a href=\"https://auth.example.com/verify-email?token=abc\">verify</a></p>"};
}

TEST(format_mail_date, writes_rfc5322_dates_in_utc) {
    EXPECT_EQ(format_mail_date(when), "Tue, 14 Nov 2023 22:13:20 +0000");
    EXPECT_EQ(format_mail_date(time_point{}), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(render_message, writes_every_header_once_and_both_alternatives) {
    auto const raw = render_message(sample(), sender(), when, "0123abcd").value();
    auto const mail = test::parse_mail(raw);
    EXPECT_EQ(mail.headers.get("From"), "Warden <noreply@example.com>");
    EXPECT_EQ(mail.headers.get("To"), "jo@example.org");
    EXPECT_EQ(mail.headers.get("Subject"), "Verify your e-mail address");
    EXPECT_EQ(mail.headers.get("Date"), "Tue, 14 Nov 2023 22:13:20 +0000");
    EXPECT_EQ(mail.headers.get("Message-ID"), "<0123abcd@example.com>");
    EXPECT_EQ(mail.headers.get("MIME-Version"), "1.0");
    EXPECT_EQ(mail.headers.get("Content-Type"), "multipart/alternative; boundary=\"=_0123abcd\"");
    for (auto const& [name, value] : mail.headers.fields) EXPECT_EQ(mail.headers.count(name), 1U);
    EXPECT_EQ(mail.headers.count("Bcc"), 0U);
    EXPECT_EQ(mail.headers.count("Cc"), 0U);
    EXPECT_EQ(mail.text, "Hello,\r\nopen https://auth.example.com/verify-email?token=abc\r\n");
    EXPECT_EQ(mail.html, sample().html);
    EXPECT_NE(raw.find("Content-Type: text/plain; charset=UTF-8"), std::string::npos);
    EXPECT_NE(raw.find("Content-Type: text/html; charset=UTF-8"), std::string::npos);
    EXPECT_LT(raw.find("text/plain"), raw.find("text/html"));  // the preferred part last
}

TEST(render_message, writes_7bit_crlf_lines_of_at_most_78_characters) {
    auto message = sample();
    message.subject =
        "Bestätigen Sie Ihre E-Mail-Adresse, bitte, noch heute, sonst verfällt der Link";
    message.text = std::string(500, 'x') + " ünïcödé\n.\nFrom here\n";
    message.html = "<p>" + std::string(300, 'y') + "</p>";
    auto const raw = render_message(message, sender(), when, "u1").value();
    std::size_t at = 0;
    while (at < raw.size()) {
        auto const end = raw.find("\r\n", at);
        ASSERT_NE(end, std::string::npos) << "the message ends with CRLF";
        auto const line = raw.substr(at, end - at);
        EXPECT_LE(line.size(), 78U) << line;
        EXPECT_EQ(line.find('\n'), std::string::npos);
        EXPECT_EQ(line.find('\r'), std::string::npos);
        for (char const c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80) << line;
        at = end + 2;
    }
    auto const mail = test::parse_mail(raw);
    EXPECT_EQ(mail.headers.get("Subject"), message.subject);
}

TEST(render_message, refuses_a_subject_that_would_add_a_header) {
    for (auto const& hostile : {"x\r\nBcc: evil@x"s, "Hi\nBcc: evil@example.com"s,
                                "Hi\rBcc: evil@example.com"s, "nul\0"s, "\n"s}) {
        auto message = sample();
        message.subject = hostile;
        auto const raw = render_message(message, sender(), when, "u1");
        ASSERT_FALSE(raw) << hostile;
        EXPECT_EQ(raw.error(), mail_errc::bad_header_text);
    }
}

TEST(render_message, refuses_a_recipient_that_would_add_a_header_or_a_recipient) {
    for (auto const& hostile : {"x\r\nBcc: evil@x"s, "jo@example.org\r\nBcc: evil@example.com"s,
                                "jo@example.org, evil@example.com"s, "Jo <jo@example.org>"s,
                                "jo@example.org\n"s, "jo@example.org\0"s}) {
        auto message = sample();
        message.to = hostile;
        auto const raw = render_message(message, sender(), when, "u1");
        ASSERT_FALSE(raw) << hostile;
        EXPECT_EQ(raw.error(), mail_errc::bad_address);
    }
}

TEST(render_message, keeps_body_text_out_of_the_headers) {
    auto message = sample();
    message.text = "\r\n\r\nBcc: evil@example.com\r\n--=_u1--\r\nX: y";
    message.html = "\nBcc: evil@example.com";
    auto const mail = test::parse_mail(render_message(message, sender(), when, "u1").value());
    EXPECT_EQ(mail.headers.count("Bcc"), 0U);
    EXPECT_EQ(mail.text, message.text);
    EXPECT_EQ(mail.html, "\r\nBcc: evil@example.com");
}

TEST(render_message, refuses_invalid_utf8_bodies_and_a_bad_unique) {
    auto message = sample();
    message.text = "\xff";
    EXPECT_EQ(render_message(message, sender(), when, "u1").error(), mail_errc::bad_body);
    EXPECT_FALSE(render_message(sample(), sender(), when, "a\r\nb"));
    EXPECT_FALSE(render_message(sample(), sender(), when, ""));
    EXPECT_FALSE(render_message(sample(), sender(), when, "a\"b"));
}

TEST(new_message_unique, is_32_hex_digits_and_fresh) {
    auto const a = new_message_unique().value();
    auto const b = new_message_unique().value();
    EXPECT_EQ(a.size(), 32U);
    EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(a, b);
}

}  // namespace
}  // namespace warden::app
