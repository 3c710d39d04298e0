#pragma once
// The services' metrics for /metrics: logins, refused tokens and refresh grants by outcome,
// store failures (from `auth::events`), and the password hash pool's queue.
#include <warden/auth/events.hpp>
#include <warden/password/hash_pool.hpp>

#include "app/metrics/exposition.hpp"

namespace warden::app {

/// `warden_logins_total{outcome}`, `warden_tokens_rejected_total{reason}`,
/// `warden_refresh_total{outcome}` (every label value, zero included) and
/// `warden_store_errors_total`. Thread-safe.
void write_auth_metrics(exposition& out, auth::events const& counts);

/// `warden_hash_pool_queue_depth` (calls waiting for a hashing thread) and
/// `warden_hash_pool_rejected_total` (calls refused with 503: queue full). Thread-safe.
void write_hash_pool_metrics(exposition& out, password::hash_pool const& pool);

}  // namespace warden::app
