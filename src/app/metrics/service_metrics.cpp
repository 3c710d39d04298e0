#include "app/metrics/service_metrics.hpp"

#include <cstdint>

namespace warden::app {

void write_auth_metrics(exposition& out, auth::events const& counts) {
    out.family("warden_logins_total", "Password grants at the token endpoint, by outcome.",
               metric_type::counter);
    for (auto const o : auth::all_login_outcomes)
        out.sample("warden_logins_total", {{"outcome", auth::to_string(o)}}, counts.logins(o));

    out.family("warden_tokens_rejected_total",
               "Requests the guard refused on a protected route, by reason.", metric_type::counter);
    for (auto const r : auth::all_token_rejections) {
        out.sample("warden_tokens_rejected_total", {{"reason", auth::to_string(r)}},
                   counts.tokens_rejected(r));
    }

    out.family("warden_refresh_total", "Refresh-token grants at the token endpoint, by outcome.",
               metric_type::counter);
    for (auto const o : auth::all_refresh_outcomes)
        out.sample("warden_refresh_total", {{"outcome", auth::to_string(o)}}, counts.refreshes(o));

    out.family("warden_store_errors_total",
               "Store calls that failed: database or Redis unreachable, busy, or an unexpected "
               "error.",
               metric_type::counter);
    out.sample("warden_store_errors_total", {}, counts.store_failures());
}

void write_hash_pool_metrics(exposition& out, password::hash_pool const& pool) {
    // pending() counts the calls running on the pool's threads too: the queue is the rest.
    auto const pending = pool.pending();
    auto const waiting = pending > pool.threads() ? pending - pool.threads() : 0;
    out.family("warden_hash_pool_queue_depth",
               "Password hashing calls waiting for a hashing thread.", metric_type::gauge);
    out.sample("warden_hash_pool_queue_depth", {}, static_cast<std::uint64_t>(waiting));
    out.family("warden_hash_pool_rejected_total",
               "Password hashing calls refused because the queue was full (503).",
               metric_type::counter);
    out.sample("warden_hash_pool_rejected_total", {}, static_cast<std::uint64_t>(pool.rejected()));
}

void write_mail_metrics(exposition& out, mail_counters const& counts) {
    out.family("warden_mail_sent_total", "Mails the SMTP server accepted.", metric_type::counter);
    out.sample("warden_mail_sent_total", {}, counts.sent());
    out.family("warden_mail_failed_total",
               "Mail delivery attempts that failed (a mail tried three times counts three).",
               metric_type::counter);
    out.sample("warden_mail_failed_total", {}, counts.failed());
    out.family("warden_mail_dropped_total",
               "Mails given up: refused by the SMTP server, out of retries, not composable, or "
               "left at shutdown.",
               metric_type::counter);
    out.sample("warden_mail_dropped_total", {}, counts.dropped());
    out.family("warden_mail_queue_full_total", "Mails not sent because the mail queue was full.",
               metric_type::counter);
    out.sample("warden_mail_queue_full_total", {}, counts.queue_full());
    out.family("warden_mail_queued", "Mails waiting for their first attempt or a retry.",
               metric_type::gauge);
    out.sample("warden_mail_queued", {}, counts.queued());
}

}  // namespace warden::app
