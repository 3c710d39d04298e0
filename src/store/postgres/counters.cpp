// counter_store over PostgreSQL: fixed-window login-failure counters.
#include <algorithm>

#include "store/postgres/postgres_store.hpp"
#include "store/window.hpp"

namespace warden::store {

result<failure_count> postgres_store::add_failure(std::string_view key, std::int64_t now,
                                                  std::int64_t window_seconds) {
    if (key.empty()) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::failure_add, key, now, window_cutoff(now, window_seconds));
    if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
    return failure_count{q->int64(0, 0), q->int64(0, 1)};
}

result<attempt_reservation> postgres_store::reserve_attempt(std::vector<std::string> const& keys,
                                                            std::int64_t now,
                                                            std::int64_t window_seconds,
                                                            std::int64_t limit) {
    if (keys.empty()) return errc::invalid_argument;
    for (auto const& key : keys) {
        if (key.empty()) return errc::invalid_argument;
    }
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto tx = pg_transaction::begin(**c);
    if (!tx) return tx.error();
    // Every key's row locked (created if missing) in one order, so concurrent attempts in any
    // process are admitted one at a time and never deadlock: no more than `limit` get past a key
    // in one window. A refusal rolls back, removing the rows it created.
    std::vector<std::string> locking = keys;
    std::sort(locking.begin(), locking.end());
    locking.erase(std::unique(locking.begin(), locking.end()), locking.end());
    auto const cutoff = window_cutoff(now, window_seconds);
    for (auto const& key : locking) {
        auto q = first_row(**c, sql_pg::failure_lock, key, now);
        if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
        failure_count const count{q->int64(0, 0), q->int64(0, 1)};
        if (count.window_started_at > cutoff && count.count >= limit) {
            return attempt_reservation{false, {count}};  // rolled back: nothing counted
        }
    }
    attempt_reservation out{true, {}};
    for (auto const& key : keys) {
        auto q = first_row(**c, sql_pg::failure_add, key, now, cutoff);
        if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
        out.counts.push_back({q->int64(0, 0), q->int64(0, 1)});
    }
    if (auto r = tx->commit(); !r) return r.error();
    return out;
}

result<void> postgres_store::release_attempt(std::string_view key, std::int64_t now,
                                             std::int64_t window_seconds) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::failure_release, key, window_cutoff(now, window_seconds));
    if (!r) return r.error();
    return {};
}

result<failure_count> postgres_store::failures(std::string_view key, std::int64_t now,
                                               std::int64_t window_seconds) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql_pg::failure_get, key);
    if (!q) {
        return q.error() == errc::not_found || q.error() == errc::invalid_argument
                   ? result<failure_count>{failure_count{}}
                   : q.error();
    }
    failure_count const count{q->int64(0, 0), q->int64(0, 1)};
    // Passed when now - started >= window, i.e. started <= now - window (as add_failure and purge).
    if (count.window_started_at <= window_cutoff(now, window_seconds)) return failure_count{};
    return count;
}

result<void> postgres_store::reset_failures(std::string_view key) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::failure_delete, key);
    if (!r) return r.error();
    return {};
}

result<std::int64_t> postgres_store::purge_expired_failures(std::int64_t now,
                                                            std::int64_t window_seconds) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::failure_purge, window_cutoff(now, window_seconds));
    if (!r) return r.error();
    return r->affected();
}

}  // namespace warden::store
