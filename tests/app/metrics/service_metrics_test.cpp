#include "app/metrics/service_metrics.hpp"

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace warden::app {
namespace {

using ::testing::HasSubstr;

TEST(service_metrics, exports_every_outcome_and_reason_zero_included) {
    auth::events counts;
    counts.login(auth::login_outcome::success);
    counts.login(auth::login_outcome::success);
    counts.login(auth::login_outcome::bad_credentials);
    counts.token_rejected(auth::token_rejection::expired);
    counts.refresh(auth::refresh_outcome::reused);
    counts.store_failed();
    exposition out;
    write_auth_metrics(out, counts);
    auto const& text = out.text();
    EXPECT_THAT(text, HasSubstr("# TYPE warden_logins_total counter\n"
                                "warden_logins_total{outcome=\"success\"} 2\n"
                                "warden_logins_total{outcome=\"bad_credentials\"} 1\n"
                                "warden_logins_total{outcome=\"locked\"} 0\n"
                                "warden_logins_total{outcome=\"inactive\"} 0\n"
                                "warden_logins_total{outcome=\"unverified\"} 0\n"
                                "warden_logins_total{outcome=\"mfa_required\"} 0\n"));
    EXPECT_THAT(text, HasSubstr("warden_tokens_rejected_total{reason=\"expired\"} 1\n"));
    for (auto const* reason :
         {"malformed", "bad_signature", "revoked", "user_gone", "insufficient_scope"}) {
        EXPECT_THAT(text, HasSubstr(std::string{"warden_tokens_rejected_total{reason=\""} + reason +
                                    "\"} 0\n"));
    }
    EXPECT_THAT(text, HasSubstr("warden_refresh_total{outcome=\"reused\"} 1\n"));
    EXPECT_THAT(text, HasSubstr("warden_refresh_total{outcome=\"success\"} 0\n"));
    EXPECT_THAT(text, HasSubstr("# TYPE warden_store_errors_total counter\n"
                                "warden_store_errors_total 1\n"));
}

TEST(service_metrics, the_hash_pool_shows_an_empty_queue_and_no_refusal_at_rest) {
    auto context = password::context::create({}).value();
    password::hash_pool pool{std::move(context), {.threads = 1, .queue_limit = 2}};
    exposition out;
    write_hash_pool_metrics(out, pool);
    EXPECT_EQ(out.text(),
              "# HELP warden_hash_pool_queue_depth Password hashing calls waiting for a hashing "
              "thread.\n"
              "# TYPE warden_hash_pool_queue_depth gauge\n"
              "warden_hash_pool_queue_depth 0\n"
              "# HELP warden_hash_pool_rejected_total Password hashing calls refused because the "
              "queue was full (503).\n"
              "# TYPE warden_hash_pool_rejected_total counter\n"
              "warden_hash_pool_rejected_total 0\n");
}

TEST(service_metrics, the_mail_queue_exports_its_counts_and_what_waits_now) {
    mail_counters counts;
    counts.count_sent();
    counts.count_sent();
    counts.count_sent();
    counts.count_failed();
    counts.count_failed();
    counts.count_dropped(4);
    counts.count_queue_full();
    counts.set_queued(7);
    exposition out;
    write_mail_metrics(out, counts);
    EXPECT_EQ(
        out.text(),
        "# HELP warden_mail_sent_total Mails the SMTP server accepted.\n"
        "# TYPE warden_mail_sent_total counter\n"
        "warden_mail_sent_total 3\n"
        "# HELP warden_mail_failed_total Mail delivery attempts that failed (a mail tried "
        "three times counts three).\n"
        "# TYPE warden_mail_failed_total counter\n"
        "warden_mail_failed_total 2\n"
        "# HELP warden_mail_dropped_total Mails given up: refused by the SMTP server, out of "
        "retries, not composable, or left at shutdown.\n"
        "# TYPE warden_mail_dropped_total counter\n"
        "warden_mail_dropped_total 4\n"
        "# HELP warden_mail_queue_full_total Mails not sent because the mail queue was full.\n"
        "# TYPE warden_mail_queue_full_total counter\n"
        "warden_mail_queue_full_total 1\n"
        "# HELP warden_mail_queued Mails waiting for their first attempt or a retry.\n"
        "# TYPE warden_mail_queued gauge\n"
        "warden_mail_queued 7\n");
}

}  // namespace
}  // namespace warden::app
