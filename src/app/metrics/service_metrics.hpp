#pragma once
// The services' metrics for /metrics: logins, refused tokens and refresh grants by outcome,
// store failures (from `auth::events`), the password hash pool's queue, and the mail queue.
#include <warden/auth/events.hpp>
#include <warden/password/hash_pool.hpp>

#include "app/mail/mail_counters.hpp"
#include "app/metrics/exposition.hpp"

namespace warden::app {

/// `warden_logins_total{outcome}`, `warden_tokens_rejected_total{reason}`,
/// `warden_refresh_total{outcome}` (every label value, zero included) and
/// `warden_store_errors_total`. Thread-safe.
void write_auth_metrics(exposition& out, auth::events const& counts);

/// `warden_hash_pool_queue_depth` (calls waiting for a hashing thread) and
/// `warden_hash_pool_rejected_total` (calls refused with 503: queue full). Thread-safe.
void write_hash_pool_metrics(exposition& out, password::hash_pool const& pool);

/// `warden_mail_sent_total`, `warden_mail_failed_total` (attempts), `warden_mail_dropped_total`,
/// `warden_mail_queue_full_total` and the gauge `warden_mail_queued` (docs/mail.md). Thread-safe.
void write_mail_metrics(exposition& out, mail_counters const& counts);

}  // namespace warden::app
