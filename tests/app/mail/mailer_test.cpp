#include "app/mail/mailer.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "app/mail/mail_errc.hpp"
#include "app/mail/mail_message.hpp"
#include "mail/fake_mail_transport.hpp"
#include "mail/parsed_mail.hpp"

namespace warden::app {
namespace {

using namespace std::chrono_literals;
using test::eventually;

class mailer_test : public ::testing::Test {
  protected:
    mailer_test() {
        auto timer = std::make_unique<test::fake_queue_timer>();
        auto transport = std::make_unique<test::fake_mail_transport>(*timer);
        transport_ = transport.get();
        mail_queue_options options;
        options.retry = {.retries = 1, .first_delay = 1s, .max_delay = 1s};
        mailer_.emplace(parse_mailbox("Example Accounts <noreply@example.com>").value(),
                        mail_templates::built_in(), std::move(transport), clock_, options,
                        std::move(timer));
        mailer_->start("https://auth.example.com",
                       [this](spdlog::level::level_enum, std::string const& line) {
                           std::lock_guard const lock{mutex_};
                           lines_ += line + "\n";
                       });
    }

    std::string log() {
        std::lock_guard const lock{mutex_};
        return lines_;
    }

    manual_clock clock_;
    test::fake_mail_transport* transport_ = nullptr;
    std::mutex mutex_;
    std::string lines_;
    std::optional<mailer> mailer_;
};

TEST_F(mailer_test, sends_a_verification_mail_with_the_link_and_the_token) {
    EXPECT_EQ(mailer_->send(mail_kind::verify_email, "jo@example.org", "tok_EN-123", 24h),
              enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return mailer_->counters().sent() == 1; }));
    auto const attempt = transport_->attempts().at(0);
    EXPECT_EQ(attempt.recipient, "jo@example.org");
    auto const mail = test::parse_mail(attempt.message);
    EXPECT_EQ(mail.headers.get("From"), "Example Accounts <noreply@example.com>");
    EXPECT_EQ(mail.headers.get("To"), "jo@example.org");
    EXPECT_EQ(mail.headers.get("Subject"), "Verify your e-mail address");
    EXPECT_EQ(mail.headers.get("Date"), format_mail_date(clock_.now()));
    auto const link = "https://auth.example.com/verify-email?token=tok_EN-123";
    EXPECT_NE(mail.text.find(link), std::string::npos) << mail.text;
    EXPECT_NE(mail.text.find("24 hours"), std::string::npos);
    EXPECT_NE(mail.html.find(std::string{"href=\""} + link + "\""), std::string::npos) << mail.html;
}

TEST_F(mailer_test, sends_a_reset_mail) {
    EXPECT_EQ(mailer_->send(mail_kind::reset_password, "jo@example.org", "R", 1h),
              enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return mailer_->counters().sent() == 1; }));
    auto const mail = test::parse_mail(transport_->attempts().at(0).message);
    EXPECT_EQ(mail.headers.get("Subject"), "Reset your password");
    EXPECT_NE(mail.text.find("https://auth.example.com/reset-password?token=R"), std::string::npos);
    EXPECT_NE(mail.text.find("1 hour"), std::string::npos);
}

TEST_F(mailer_test, escapes_the_token_in_the_html_part) {
    ASSERT_EQ(mailer_->send(mail_kind::verify_email, "jo@example.org", "<b>\"x\"</b>", 1h),
              enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return mailer_->counters().sent() == 1; }));
    auto const mail = test::parse_mail(transport_->attempts().at(0).message);
    EXPECT_EQ(mail.html.find("<b>\"x\""), std::string::npos) << mail.html;
    EXPECT_NE(mail.html.find("&lt;b&gt;&quot;x&quot;&lt;/b&gt;"), std::string::npos);
    EXPECT_NE(mail.text.find("<b>\"x\"</b>"), std::string::npos);  // plain text is plain
}

TEST_F(mailer_test, refuses_a_hostile_recipient_without_sending_or_logging_it) {
    for (auto const* hostile : {"x\r\nBcc: evil@x", "jo@example.org\r\nBcc: evil@example.com",
                                "jo@example.org, evil@example.com", "jo@example.org\n"}) {
        EXPECT_EQ(mailer_->send(mail_kind::verify_email, hostile, "secret-token", 1h),
                  enqueue_result::not_composed)
            << hostile;
    }
    EXPECT_EQ(mailer_->counters().dropped(), 4U);
    EXPECT_TRUE(transport_->attempts().empty());
    auto const text = log();
    EXPECT_EQ(text.find("Bcc"), std::string::npos) << text;
    EXPECT_EQ(text.find("secret-token"), std::string::npos) << text;
    EXPECT_EQ(text.find('\r'), std::string::npos);
    EXPECT_NE(text.find("cannot be composed"), std::string::npos) << text;
}

TEST_F(mailer_test, never_logs_the_token_the_link_or_the_address) {
    transport_->script({mail_errc::send_failed, mail_errc::send_failed});
    ASSERT_EQ(mailer_->send(mail_kind::reset_password, "jo.private@example.org", "SECRET42", 1h),
              enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return mailer_->counters().dropped() == 1; }));
    auto const text = log();
    EXPECT_NE(text.find("mail reset to a recipient at example.org"), std::string::npos) << text;
    EXPECT_EQ(text.find("SECRET42"), std::string::npos) << text;
    EXPECT_EQ(text.find("jo.private"), std::string::npos) << text;
    EXPECT_EQ(text.find("https://"), std::string::npos) << text;
}

}  // namespace
}  // namespace warden::app
