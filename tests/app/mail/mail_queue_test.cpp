#include "app/mail/mail_queue.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "app/mail/mail_errc.hpp"
#include "mail/fake_mail_transport.hpp"

namespace warden::app {
namespace {

using namespace std::chrono_literals;
using test::eventually;

struct log_lines {
    std::mutex mutex;
    std::vector<std::string> lines;

    mail_log sink() {
        return [this](spdlog::level::level_enum, std::string const& line) {
            std::lock_guard const lock{mutex};
            lines.push_back(line);
        };
    }
    std::string all() {
        std::lock_guard const lock{mutex};
        std::string text;
        for (auto const& l : lines) text += l + "\n";
        return text;
    }
};

outgoing_mail mail_to(std::string recipient) {
    return {std::move(recipient), "verify", "Subject: x\r\n\r\nsecret-token-abc\r\n"};
}

class mail_queue_test : public ::testing::Test {
  protected:
    mail_queue_options options(unsigned retries = 3) {
        mail_queue_options o;
        o.capacity = 4;
        o.retry = {.retries = retries, .first_delay = 1s, .max_delay = 4s};
        o.stop_grace = 2s;
        return o;
    }

    test::fake_queue_timer timer_;
    test::fake_mail_transport transport_{timer_};
    log_lines log_;
};

TEST(retry_policy, doubles_the_delay_up_to_the_ceiling) {
    retry_policy const policy{.retries = 5, .first_delay = 1s, .max_delay = 5s};
    EXPECT_EQ(policy.delay_after(1), 1s);
    EXPECT_EQ(policy.delay_after(2), 2s);
    EXPECT_EQ(policy.delay_after(3), 4s);
    EXPECT_EQ(policy.delay_after(4), 5s);
    EXPECT_EQ(policy.delay_after(60), 5s);
    EXPECT_TRUE(policy.may_retry(5));
    EXPECT_FALSE(policy.may_retry(6));
}

TEST_F(mail_queue_test, sends_mails_in_order_and_counts_them) {
    mail_queue queue{transport_, timer_, options()};
    queue.start(log_.sink());
    EXPECT_EQ(queue.enqueue(mail_to("a@example.com")), enqueue_result::queued);
    EXPECT_EQ(queue.enqueue(mail_to("b@example.com")), enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return queue.counters().sent() == 2; }));
    auto const attempts = transport_.attempts();
    ASSERT_EQ(attempts.size(), 2U);
    EXPECT_EQ(attempts[0].recipient, "a@example.com");
    EXPECT_EQ(attempts[1].recipient, "b@example.com");
    EXPECT_EQ(queue.counters().failed(), 0U);
    EXPECT_EQ(queue.counters().queued(), 0U);
}

TEST_F(mail_queue_test, retries_with_exponential_back_off_until_it_goes_through) {
    transport_.script({mail_errc::send_failed, mail_errc::send_failed, mail_errc::send_failed});
    mail_queue queue{transport_, timer_, options()};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("jo@example.com")), enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return queue.counters().sent() == 1; }));
    auto const attempts = transport_.attempts();
    ASSERT_EQ(attempts.size(), 4U);
    auto const start = attempts[0].at;
    EXPECT_EQ(attempts[1].at - start, 1s);
    EXPECT_EQ(attempts[2].at - start, 3s);  // +2s
    EXPECT_EQ(attempts[3].at - start, 7s);  // +4s
    EXPECT_EQ(queue.counters().failed(), 3U);
    EXPECT_EQ(queue.counters().dropped(), 0U);
    auto const text = log_.all();
    EXPECT_NE(text.find("attempt 1 failed (scripted failure); next in 1s"), std::string::npos)
        << text;
    EXPECT_NE(text.find("next in 4s"), std::string::npos) << text;
}

TEST_F(mail_queue_test, drops_a_mail_when_its_retries_are_spent) {
    transport_.script({mail_errc::send_failed, mail_errc::send_failed, mail_errc::send_failed});
    mail_queue queue{transport_, timer_, options(2)};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("jo@example.com")), enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return queue.counters().dropped() == 1; }));
    EXPECT_EQ(transport_.attempts().size(), 3U);
    EXPECT_EQ(queue.counters().failed(), 3U);
    EXPECT_EQ(queue.counters().sent(), 0U);
    EXPECT_NE(log_.all().find("dropped after 3 attempts"), std::string::npos) << log_.all();
}

TEST_F(mail_queue_test, does_not_retry_a_mail_the_server_refused_for_good) {
    transport_.script({mail_errc::rejected});
    mail_queue queue{transport_, timer_, options()};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("jo@example.com")), enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return queue.counters().dropped() == 1; }));
    EXPECT_EQ(transport_.attempts().size(), 1U);
    EXPECT_NE(log_.all().find("refused by the SMTP server"), std::string::npos);
}

TEST_F(mail_queue_test, refuses_at_once_when_full_while_the_sender_is_stuck) {
    transport_.hold();
    mail_queue queue{transport_, timer_, options()};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("first@example.com")), enqueue_result::queued);
    ASSERT_TRUE(transport_.wait_for_attempts(1));  // the sender is now held in the transport
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(queue.enqueue(mail_to("q@example.com")), enqueue_result::queued);
    }
    EXPECT_EQ(queue.counters().queued(), 4U);
    auto const before = std::chrono::steady_clock::now();
    EXPECT_EQ(queue.enqueue(mail_to("late@example.net")), enqueue_result::queue_full);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    EXPECT_EQ(queue.counters().queue_full(), 1U);
    EXPECT_NE(log_.all().find("mail queue full (4 mails waiting): mail verify to a recipient at "
                              "example.net not sent"),
              std::string::npos)
        << log_.all();
    transport_.release();
    ASSERT_TRUE(eventually([&] { return queue.counters().sent() == 5; }));
}

TEST_F(mail_queue_test, takes_nothing_before_start_or_after_stop) {
    mail_queue queue{transport_, timer_, options()};
    EXPECT_EQ(queue.enqueue(mail_to("jo@example.com")), enqueue_result::not_running);
    queue.start(log_.sink());
    queue.stop();
    EXPECT_EQ(queue.enqueue(mail_to("jo@example.com")), enqueue_result::not_running);
    EXPECT_EQ(queue.counters().dropped(), 2U);
    EXPECT_TRUE(transport_.attempts().empty());
}

TEST_F(mail_queue_test, stop_drops_a_retry_due_after_the_grace) {
    timer_.freeze();  // the retry, 1 s away, never comes due
    transport_.script({mail_errc::send_failed});
    auto opts = options();
    opts.stop_grace = 200ms;
    mail_queue queue{transport_, timer_, opts};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("retry@example.com")), enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return queue.counters().failed() == 1; }));
    queue.stop();
    EXPECT_EQ(transport_.attempts().size(), 1U);
    EXPECT_EQ(queue.counters().dropped(), 1U);
    EXPECT_EQ(queue.counters().queued(), 0U);
    EXPECT_NE(log_.all().find("stopped with 1 mails not sent"), std::string::npos) << log_.all();
}

TEST(mail_queue_real_time, stop_still_sends_a_retry_due_within_the_grace) {
    steady_queue_timer timer;
    test::fake_mail_transport transport{timer};
    transport.script({mail_errc::send_failed});
    mail_queue_options opts;
    opts.retry = {.retries = 3, .first_delay = 1s, .max_delay = 1s};
    opts.stop_grace = 5s;
    mail_queue queue{transport, timer, opts};
    queue.start({});
    ASSERT_EQ(queue.enqueue(mail_to("retry@example.com")), enqueue_result::queued);
    ASSERT_TRUE(eventually([&] { return queue.counters().failed() == 1; }));
    queue.stop();  // well before the retry is due
    EXPECT_EQ(queue.counters().sent(), 1U);
    EXPECT_EQ(queue.counters().dropped(), 0U);
    auto const attempts = transport.attempts();
    ASSERT_EQ(attempts.size(), 2U);
    EXPECT_GE(attempts[1].at - attempts[0].at, 1s);
}

TEST_F(mail_queue_test, stop_aborts_a_delivery_that_outlasts_the_grace) {
    transport_.hold();
    auto opts = options();
    opts.stop_grace = 200ms;
    mail_queue queue{transport_, timer_, opts};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("slow@example.com")), enqueue_result::queued);
    ASSERT_EQ(queue.enqueue(mail_to("next@example.com")), enqueue_result::queued);
    ASSERT_TRUE(transport_.wait_for_attempts(1));
    auto const before = std::chrono::steady_clock::now();
    queue.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
    EXPECT_EQ(transport_.attempts().size(), 1U);
    EXPECT_EQ(queue.counters().dropped(), 2U);  // the aborted one and the one behind it
    EXPECT_EQ(queue.counters().sent(), 0U);
}

TEST_F(mail_queue_test, logs_the_domain_never_the_address_or_the_message) {
    transport_.script({mail_errc::send_failed, mail_errc::rejected});
    mail_queue queue{transport_, timer_, options()};
    queue.start(log_.sink());
    ASSERT_EQ(queue.enqueue(mail_to("jo.secret@example.com")), enqueue_result::queued);
    ASSERT_EQ(queue.enqueue(mail_to("ann@example.org")), enqueue_result::queued);
    ASSERT_TRUE(
        eventually([&] { return queue.counters().sent() + queue.counters().dropped() == 2; }));
    auto const text = log_.all();
    EXPECT_NE(text.find("mail verify to a recipient at example.com"), std::string::npos) << text;
    EXPECT_EQ(text.find("jo.secret"), std::string::npos) << text;
    EXPECT_EQ(text.find("ann@"), std::string::npos) << text;
    EXPECT_EQ(text.find("secret-token-abc"), std::string::npos) << text;
}

}  // namespace
}  // namespace warden::app
