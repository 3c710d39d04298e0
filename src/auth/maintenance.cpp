#include <warden/auth/maintenance.hpp>

namespace warden::auth {

boost::asio::awaitable<result<std::int64_t>> purge_expired(database& db, std::int64_t now,
                                                           std::chrono::seconds window) {
    co_return co_await db.run([&db, now, window]() -> result<std::int64_t> {
        auto const revocations = db.revocations().purge_expired_revocations(now);
        if (!revocations) return revocations;
        auto const sessions = db.sessions().purge_expired_sessions(now);
        if (!sessions) return sessions;
        auto const counters = db.counters().purge_expired_failures(now, window.count());
        if (!counters) return counters;
        std::int64_t tokens = 0;
        if (db.has_one_time_tokens()) {
            auto const spent = db.one_time_tokens().purge_expired_one_time_tokens(now);
            if (!spent) return spent;
            tokens = *spent;
        }
        std::int64_t trimmed = 0;
        if (auto* feed = db.feed()) {
            auto const removed = feed->trim_feed(now - change_feed_retention.count());
            if (!removed) return removed;
            trimmed = *removed;
        }
        return *revocations + *sessions + *counters + tokens + trimmed;
    });
}

}  // namespace warden::auth
