#include "app/mail/mail_templates.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "app/mail/mail_errc.hpp"
#include "app/mail/mail_link.hpp"
#include "support/temp_dir.hpp"

namespace warden::app {
namespace {

using namespace std::chrono_literals;

mail_values sample_values() {
    return {"jo@example.org", "https://auth.example.com/verify-email?token=T0K3N", "T0K3N",
            expires_in_text(24h)};
}

void write_file(std::filesystem::path const& path, std::string const& text) {
    std::ofstream{path, std::ios::binary} << text;
}

bool contains(std::string const& text, std::string const& part) {
    return text.find(part) != std::string::npos;
}

TEST(expires_in_text, uses_the_largest_exact_unit) {
    EXPECT_EQ(expires_in_text(24h), "24 hours");
    EXPECT_EQ(expires_in_text(1h), "1 hour");
    EXPECT_EQ(expires_in_text(48h), "2 days");
    EXPECT_EQ(expires_in_text(30min), "30 minutes");
    EXPECT_EQ(expires_in_text(1min), "1 minute");
    EXPECT_EQ(expires_in_text(90s), "90 seconds");
    EXPECT_EQ(expires_in_text(1s), "1 second");
}

TEST(html_escape, escapes_markup_and_quotes) {
    EXPECT_EQ(html_escape("<a href=\"x\">&'</a>"),
              "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}

TEST(template_text, fills_placeholders_with_or_without_spaces) {
    auto const parsed =
        template_text::parse("{{email}}|{{ link }}|{{token}}|{{expires_in}}.", nullptr).value();
    EXPECT_EQ(parsed.render(sample_values(), template_text::escaping::none),
              "jo@example.org|https://auth.example.com/verify-email?token=T0K3N|T0K3N|24 hours.");
}

TEST(template_text, escapes_values_but_not_the_template_in_html) {
    auto const parsed = template_text::parse("<b>{{email}}</b>", nullptr).value();
    mail_values values = sample_values();
    values.email = "<script>alert('x')</script>@example.org";
    EXPECT_EQ(parsed.render(values, template_text::escaping::html),
              "<b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;@example.org</b>");
    EXPECT_EQ(parsed.render(values, template_text::escaping::none),
              "<b><script>alert('x')</script>@example.org</b>");
}

TEST(template_text, refuses_unknown_or_unclosed_placeholders) {
    std::string why;
    auto const unknown = template_text::parse("Hi {{password}}", &why);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error(), mail_errc::unknown_placeholder);
    EXPECT_TRUE(contains(why, "{{password}}")) << why;
    auto const open = template_text::parse("Hi {{email", &why);
    ASSERT_FALSE(open);
    EXPECT_EQ(open.error(), mail_errc::bad_template);
    EXPECT_FALSE(template_text::parse("\xff", &why));
}

TEST(mail_templates, built_in_mails_carry_the_link_the_token_and_the_expiry) {
    auto const templates = mail_templates::built_in();
    for (auto const kind : all_mail_kinds) {
        auto const mail = templates.render(kind, sample_values());
        EXPECT_FALSE(mail.subject.empty());
        EXPECT_EQ(mail.subject.find('\n'), std::string::npos);
        for (auto const* part : {&mail.text, &mail.html}) {
            EXPECT_TRUE(contains(*part, "jo@example.org")) << *part;
            EXPECT_TRUE(contains(*part, "T0K3N")) << *part;
            EXPECT_TRUE(contains(*part, "24 hours")) << *part;
            EXPECT_FALSE(contains(*part, "{{")) << *part;
        }
        EXPECT_TRUE(contains(mail.text, "https://auth.example.com/verify-email?token=T0K3N"));
        EXPECT_TRUE(
            contains(mail.html, "href=\"https://auth.example.com/verify-email?token=T0K3N\""));
    }
    EXPECT_NE(templates.render(mail_kind::verify_email, sample_values()).subject,
              templates.render(mail_kind::reset_password, sample_values()).subject);
}

TEST(mail_templates, files_override_the_parts_they_name) {
    test::temp_dir const dir;
    write_file(dir.path() / "verify.subject", "Welcome, {{email}}\r\n");
    write_file(dir.path() / "reset.html", "<p>{{link}}</p>");
    write_file(dir.path() / "README.md", "ignored {{nonsense}}");
    std::string why;
    auto const templates = mail_templates::load(dir.path(), &why);
    ASSERT_TRUE(templates) << why;
    auto const verify = templates->render(mail_kind::verify_email, sample_values());
    EXPECT_EQ(verify.subject, "Welcome, jo@example.org");
    auto const built_in = mail_templates::built_in();
    EXPECT_EQ(verify.text, built_in.render(mail_kind::verify_email, sample_values()).text);
    auto const reset = templates->render(mail_kind::reset_password, sample_values());
    EXPECT_EQ(reset.html, "<p>https://auth.example.com/verify-email?token=T0K3N</p>");
    EXPECT_EQ(reset.subject, built_in.render(mail_kind::reset_password, sample_values()).subject);
}

TEST(mail_templates, a_bad_override_is_a_clear_error) {
    struct bad_case {
        std::string file;
        std::string text;
        mail_errc expected;
        std::string named;
    };
    for (auto const& c : {
             bad_case{"verfy.txt", "typo", mail_errc::bad_template, "verfy.txt"},
             bad_case{"verify.txt", "Hi {{pasword}}", mail_errc::unknown_placeholder, "pasword"},
             bad_case{"reset.subject", "two\nlines", mail_errc::bad_template, "reset.subject"},
             bad_case{"reset.subject", "\n", mail_errc::bad_template, "reset.subject"},
             bad_case{"verify.html", "\xff\xfe", mail_errc::bad_template, "verify.html"},
             bad_case{"verify.txt", std::string(70 * 1024, 'x'), mail_errc::bad_template,
                      "verify.txt"},
         }) {
        test::temp_dir const dir;
        write_file(dir.path() / c.file, c.text);
        std::string why;
        auto const loaded = mail_templates::load(dir.path(), &why);
        ASSERT_FALSE(loaded) << c.file;
        EXPECT_EQ(loaded.error(), c.expected) << c.file;
        EXPECT_TRUE(contains(why, c.named)) << why;
    }
}

TEST(mail_templates, a_missing_directory_is_an_error) {
    std::string why;
    auto const loaded = mail_templates::load("/nonexistent/warden-mail-templates", &why);
    ASSERT_FALSE(loaded);
    EXPECT_TRUE(contains(why, "/nonexistent/warden-mail-templates")) << why;
}

TEST(mail_link, puts_the_percent_encoded_token_under_the_public_url) {
    EXPECT_EQ(mail_link("https://auth.example.com", mail_kind::verify_email, "abc-_~.XYZ09"),
              "https://auth.example.com/verify-email?token=abc-_~.XYZ09");
    EXPECT_EQ(mail_link("http://127.0.0.1:8000/", mail_kind::reset_password, "a+b/c=&d e"),
              "http://127.0.0.1:8000/reset-password?token=a%2Bb%2Fc%3D%26d%20e");
}

}  // namespace
}  // namespace warden::app
