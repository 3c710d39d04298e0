// The SMTP transport against a real SMTP server (tests/support/smtp_sink.py, aiosmtpd).
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "app/mail/mail_errc.hpp"
#include "app/mail/mail_message.hpp"
#include "app/mail/mail_queue.hpp"
#include "app/mail/mailer.hpp"
#include "app/mail/smtp_transport.hpp"
#include "mail/parsed_mail.hpp"
#include "mail/smtp_sink_process.hpp"

namespace warden::app {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

bool required_in_ci() {
    char const* ci = std::getenv("CI");
    return ci != nullptr && std::string_view{ci} == "true";
}

smtp_options options_for(std::string url) {
    smtp_options options;
    options.url = std::move(url);
    options.envelope_from = "noreply@example.com";
    options.connect_timeout = 2s;
    options.timeout = 10s;
    return options;
}

std::string message_to(std::string const& to, std::string const& subject) {
    mail_message const message{to, subject, "Your code: 123456\nBye.\n",
                               "<p>Your code: <b>123456</b></p>"};
    return render_message(message, parse_mailbox("Warden <noreply@example.com>").value(),
                          time_point{std::chrono::seconds{1'700'000'000}}, "abc123")
        .value();
}

template <class Predicate>
bool within(std::chrono::seconds limit, Predicate done) {
    auto const until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

class smtp_delivery : public ::testing::Test {
  protected:
    void SetUp() override {
        // No aiosmtpd: skipped here, failed in CI.
        if (auto const missing = test::smtp_sink_missing(); !missing.empty()) {
            if (required_in_ci()) FAIL() << missing;
            GTEST_SKIP() << missing;
        }
        sink_.emplace();
    }
    std::optional<test::smtp_sink_process> sink_;
    std::atomic<bool> no_abort_{false};
};

TEST_F(smtp_delivery, delivers_headers_and_both_alternatives) {
    smtp_transport transport{options_for(sink_->url())};
    std::string why;
    auto const sent = transport.send(
        "jo@example.org", message_to("jo@example.org", "Grüße — your code"), no_abort_, &why);
    ASSERT_FALSE(sent) << sent.message() << ": " << why;
    auto const mails = sink_->wait_for(1);
    ASSERT_EQ(mails.size(), 1U);
    EXPECT_EQ(mails[0].envelope_from, "noreply@example.com");
    EXPECT_EQ(mails[0].rcpt_tos, std::vector<std::string>{"jo@example.org"});
    auto const mail = test::parse_mail(mails[0].raw);
    EXPECT_EQ(mail.headers.get("From"), "Warden <noreply@example.com>");
    EXPECT_EQ(mail.headers.get("To"), "jo@example.org");
    EXPECT_EQ(mail.headers.get("Subject"), "Grüße — your code");
    EXPECT_EQ(mail.text, "Your code: 123456\r\nBye.\r\n");
    EXPECT_EQ(mail.html, "<p>Your code: <b>123456</b></p>");
}

TEST_F(smtp_delivery, a_hostile_subject_or_recipient_adds_no_header_and_no_recipient) {
    // With CR/LF they are refused before anything is sent ...
    auto hostile = mail_message{"jo@example.org", "x\r\nBcc: evil@x", "t", "h"};
    EXPECT_FALSE(
        render_message(hostile, parse_mailbox("noreply@example.com").value(), time_point{}, "u1"));
    hostile = mail_message{"jo@example.org\r\nBcc: evil@example.com", "s", "t", "h"};
    EXPECT_FALSE(
        render_message(hostile, parse_mailbox("noreply@example.com").value(), time_point{}, "u1"));
    // ... and without them the text stays inside the one Subject header.
    smtp_transport transport{options_for(sink_->url())};
    std::string why;
    auto const sent = transport.send(
        "jo@example.org", message_to("jo@example.org", "Héllo Bcc: evil@example.com =?x?="),
        no_abort_, &why);
    ASSERT_FALSE(sent) << why;
    auto const mails = sink_->wait_for(1);
    ASSERT_EQ(mails.size(), 1U);
    EXPECT_EQ(mails[0].rcpt_tos, std::vector<std::string>{"jo@example.org"});
    auto const mail = test::parse_mail(mails[0].raw);
    EXPECT_EQ(mail.headers.count("Bcc"), 0U);
    EXPECT_EQ(mail.headers.count("Subject"), 1U);
    EXPECT_EQ(mail.headers.get("Subject"), "Héllo Bcc: evil@example.com =?x?=");
}

TEST_F(smtp_delivery, a_refused_recipient_is_a_permanent_failure) {
    sink_.reset();
    sink_.emplace(test::smtp_sink_process::options{{}, {"rejected.example"}});
    smtp_transport transport{options_for(sink_->url())};
    std::string why;
    auto const sent = transport.send("jo@rejected.example", message_to("jo@rejected.example", "s"),
                                     no_abort_, &why);
    EXPECT_EQ(sent, mail_errc::rejected) << why;
    EXPECT_NE(why.find("550"), std::string::npos) << why;
    EXPECT_TRUE(sink_->mails().empty());
}

TEST_F(smtp_delivery, logs_in_with_the_user_and_password) {
    sink_.reset();
    sink_.emplace(test::smtp_sink_process::options{"mailer:s3cret pass", {}});
    auto options = options_for(sink_->url());
    options.user = "mailer";
    options.password.emplace(std::string{"s3cret pass"});
    smtp_transport transport{std::move(options)};
    std::string why;
    ASSERT_FALSE(
        transport.send("jo@example.org", message_to("jo@example.org", "s"), no_abort_, &why))
        << why;
    EXPECT_EQ(sink_->wait_for(1).size(), 1U);

    auto wrong = options_for(sink_->url());
    wrong.user = "mailer";
    wrong.password.emplace(std::string{"wrong"});
    smtp_transport refused{std::move(wrong)};
    auto const sent =
        refused.send("jo@example.org", message_to("jo@example.org", "s"), no_abort_, &why);
    EXPECT_TRUE(sent);
    EXPECT_EQ(why.find("wrong"), std::string::npos) << why;  // never the password
    EXPECT_EQ(sink_->mails().size(), 1U);
}

TEST_F(smtp_delivery, a_server_that_is_down_is_a_failure_worth_retrying) {
    sink_->stop();
    smtp_transport transport{options_for(sink_->url())};
    std::string why;
    EXPECT_EQ(transport.send("jo@example.org", message_to("jo@example.org", "s"), no_abort_, &why),
              mail_errc::send_failed)
        << why;
    EXPECT_FALSE(why.empty());
}

TEST_F(smtp_delivery, the_queue_delivers_once_the_server_is_back) {
    sink_->stop();
    smtp_transport transport{options_for(sink_->url())};
    steady_queue_timer timer;
    mail_queue_options options;
    options.retry = {.retries = 5, .first_delay = 500ms, .max_delay = 1s};
    mail_queue queue{transport, timer, options};
    queue.start({});
    ASSERT_EQ(queue.enqueue({"jo@example.org", "verify", message_to("jo@example.org", "back")}),
              enqueue_result::queued);
    ASSERT_TRUE(within(10s, [&] { return queue.counters().failed() >= 1; }));
    EXPECT_EQ(queue.counters().sent(), 0U);
    sink_->start();
    ASSERT_TRUE(within(15s, [&] { return queue.counters().sent() == 1; }));
    EXPECT_EQ(queue.counters().dropped(), 0U);
    auto const mails = sink_->wait_for(1);
    ASSERT_EQ(mails.size(), 1U);
    EXPECT_EQ(test::parse_mail(mails[0].raw).headers.get("Subject"), "back");
}

TEST_F(smtp_delivery, the_queue_drops_a_mail_after_its_retry_budget) {
    sink_->stop();
    smtp_transport transport{options_for(sink_->url())};
    steady_queue_timer timer;
    mail_queue_options options;
    options.retry = {.retries = 2, .first_delay = 200ms, .max_delay = 200ms};
    mail_queue queue{transport, timer, options};
    queue.start({});
    ASSERT_EQ(queue.enqueue({"jo@example.org", "reset", message_to("jo@example.org", "s")}),
              enqueue_result::queued);
    ASSERT_TRUE(within(10s, [&] { return queue.counters().dropped() == 1; }));
    EXPECT_EQ(queue.counters().failed(), 3U);
    EXPECT_EQ(queue.counters().sent(), 0U);
}

TEST_F(smtp_delivery, the_mailer_sends_through_libcurl) {
    manual_clock clock;
    mailer sender{parse_mailbox("Accounts <noreply@example.com>").value(),
                  mail_templates::built_in(),
                  std::make_unique<smtp_transport>(options_for(sink_->url())),
                  clock,
                  {}};
    sender.start("https://auth.example.com", {});
    EXPECT_EQ(sender.send(mail_kind::verify_email, "new.user@example.org", "TOKEN-1", 24h),
              enqueue_result::queued);
    EXPECT_EQ(sender.send(mail_kind::verify_email, "x@example.org\r\nBcc: evil@example.com",
                          "TOKEN-2", 24h),
              enqueue_result::not_composed);
    ASSERT_TRUE(within(10s, [&] { return sender.counters().sent() == 1; }));
    sender.stop();
    auto const mails = sink_->mails();
    ASSERT_EQ(mails.size(), 1U);
    EXPECT_EQ(mails[0].rcpt_tos, std::vector<std::string>{"new.user@example.org"});
    auto const mail = test::parse_mail(mails[0].raw);
    EXPECT_EQ(mail.headers.get("To"), "new.user@example.org");
    EXPECT_NE(mail.text.find("https://auth.example.com/verify-email?token=TOKEN-1"),
              std::string::npos);
}

}  // namespace
}  // namespace warden::app
