// counter_store over SQLite: fixed-window login-failure counters.
#include "store/sqlite/sqlite_store.hpp"
#include "store/window.hpp"

namespace warden::store {

result<failure_count> sqlite_store::add_failure(std::string_view key, std::int64_t now,
                                                std::int64_t window_seconds) {
    if (key.empty()) return errc::invalid_argument;
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    auto q = first_row(**c, sql::failure_add, key, now, window_seconds);
    if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
    failure_count const count{(*q)->column_int64(0), (*q)->column_int64(1)};
    if (auto r = run_to_end(**q); !r) return r.error();  // the commit
    return count;
}

result<attempt_reservation> sqlite_store::reserve_attempt(std::vector<std::string> const& keys,
                                                          std::int64_t now,
                                                          std::int64_t window_seconds,
                                                          std::int64_t limit) {
    if (keys.empty()) return errc::invalid_argument;
    for (auto const& key : keys) {
        if (key.empty()) return errc::invalid_argument;
    }
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    // Read and count under the write lock: concurrent attempts are admitted one at a time, so
    // no more than `limit` ever get past a key in one window.
    auto tx = sqlite_transaction::begin_write(**c);
    if (!tx) return tx.error();
    auto const cutoff = window_cutoff(now, window_seconds);
    for (auto const& key : keys) {
        auto q = first_row(**c, sql::failure_get, key);
        if (!q && q.error() == errc::not_found) continue;
        if (!q) return q.error();
        failure_count const count{(*q)->column_int64(0), (*q)->column_int64(1)};
        if (count.window_started_at > cutoff && count.count >= limit) {
            return attempt_reservation{false, {count}};  // rolled back: nothing counted
        }
    }
    attempt_reservation out{true, {}};
    for (auto const& key : keys) {
        auto q = first_row(**c, sql::failure_add, key, now, window_seconds);
        if (!q) return q.error() == errc::not_found ? errc::backend_error : q.error();
        out.counts.push_back({(*q)->column_int64(0), (*q)->column_int64(1)});
    }
    if (auto r = tx->commit(); !r) return r.error();
    return out;
}

result<void> sqlite_store::release_attempt(std::string_view key, std::int64_t now,
                                           std::int64_t window_seconds) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    return execute(**c, sql::failure_release, key, window_cutoff(now, window_seconds));
}

result<failure_count> sqlite_store::failures(std::string_view key, std::int64_t now,
                                             std::int64_t window_seconds) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = first_row(**c, sql::failure_get, key);
    if (!q)
        return q.error() == errc::not_found ? result<failure_count>{failure_count{}} : q.error();
    failure_count const count{(*q)->column_int64(0), (*q)->column_int64(1)};
    // Passed when now - started >= window, i.e. started <= now - window (as add_failure and purge).
    if (count.window_started_at <= window_cutoff(now, window_seconds)) return failure_count{};
    return count;
}

result<void> sqlite_store::reset_failures(std::string_view key) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    return execute(**c, sql::failure_delete, key);
}

result<std::int64_t> sqlite_store::purge_expired_failures(std::int64_t now,
                                                          std::int64_t window_seconds) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::failure_purge, window_cutoff(now, window_seconds)); !r)
        return r.error();
    return (*c)->changes();
}

}  // namespace warden::store
