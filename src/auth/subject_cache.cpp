#include <warden/auth/subject_cache.hpp>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <functional>
#include <limits>
#include <unordered_map>

#include <warden/auth/maintenance.hpp>
#include <warden/store/errc.hpp>

#include "auth/lru_map.hpp"

namespace warden::auth {
namespace {

constexpr std::size_t shard_count = 16;
constexpr std::size_t feed_page_size = 1000;
constexpr auto never = std::numeric_limits<std::int64_t>::min();
/// A process that could not read the feed for half of its retention may have lost entries to
/// the trimming, and starts over from a fresh snapshot.
constexpr auto reload_after = change_feed_retention / 2;
constexpr auto prune_every = std::chrono::minutes{1};

std::int64_t steady_now() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

/// The users and the revoked jtis, each split in shards with a mutex of their own, so I/O
/// threads reading different users rarely meet on one. The bound on users is global (`held`):
/// shards may hold unequal shares, as user ids need not spread evenly; a shard making room
/// drops its own least recently used user.
struct subject_cache::shards {
    using user_ptr = std::shared_ptr<subject const>;
    struct user_shard {
        std::mutex mutex;
        lru_map<store::user_id, user_ptr> users;
        explicit user_shard(std::size_t capacity) : users(capacity) {}
    };
    struct jti_shard {
        std::mutex mutex;
        std::unordered_map<std::string, std::int64_t> expiry;  // jti -> its token's expiry
    };

    explicit shards(std::size_t cap) : capacity(cap) {
        for (std::size_t i = 0; i < shard_count; ++i)
            users.push_back(std::make_unique<user_shard>(capacity));
    }

    user_shard& of(store::user_id id) {
        return *users[static_cast<std::uint64_t>(id) % users.size()];
    }
    jti_shard& of(std::string const& jti) {
        return jtis[std::hash<std::string>{}(jti) % jtis.size()];
    }

    user_ptr find_user(store::user_id id) {
        auto& shard = of(id);
        std::lock_guard const lock{shard.mutex};
        auto const* found = shard.users.find(id);
        return found != nullptr ? *found : nullptr;
    }
    /// Caches `user` read from the source unless a change to any user was applied since the
    /// read began (`seen`): the row read might predate it.
    void put_user(user_ptr user, std::uint64_t seen) {
        auto const id = user->id;
        auto& shard = of(id);
        std::lock_guard const lock{shard.mutex};
        if (generation.load() != seen) return;
        if (!shard.users.contains(id) && !reserve_slot()) {
            // Full: this user takes the place of the shard's least recently used one.
            if (shard.users.size() == 0) return;  // nothing of this shard to give up
            shard.users.pop_oldest();
        }
        shard.users.put(id, std::move(user));
    }
    /// Counts one more user if the bound allows it.
    bool reserve_slot() noexcept {
        auto n = held.load();
        while (n < capacity) {
            if (held.compare_exchange_weak(n, n + 1)) return true;
        }
        return false;
    }
    void forget_user(store::user_id id) {
        auto& shard = of(id);
        generation.fetch_add(1);  // before the erase: see put_user
        std::lock_guard const lock{shard.mutex};
        if (shard.users.erase(id)) held.fetch_sub(1);
    }
    void forget_users() {
        generation.fetch_add(1);
        for (auto& shard : users) {
            std::lock_guard const lock{shard->mutex};
            held.fetch_sub(shard->users.size());
            shard->users.clear();
        }
    }

    bool revoked(std::string const& jti) {
        if (jti.empty()) return false;
        auto& shard = of(jti);
        std::lock_guard const lock{shard.mutex};
        return shard.expiry.contains(jti);
    }
    void revoke(std::string const& jti, std::int64_t expires_at) {
        auto& shard = of(jti);
        std::lock_guard const lock{shard.mutex};
        auto& kept = shard.expiry[jti];
        kept = std::max(kept, expires_at);
    }
    void replace_revoked(store::jti_list const& all) {
        for (auto& shard : jtis) {
            std::lock_guard const lock{shard.mutex};
            shard.expiry.clear();
        }
        for (auto const& [jti, expires_at] : all) revoke(jti, expires_at);
    }
    /// Drops revocations of tokens that expired before `cutoff`: the verifier refuses them.
    void prune_revoked(std::int64_t cutoff) {
        for (auto& shard : jtis) {
            std::lock_guard const lock{shard.mutex};
            std::erase_if(shard.expiry,
                          [cutoff](auto const& kept) { return kept.second < cutoff; });
        }
    }

    std::size_t const capacity;
    std::atomic<std::size_t> held{0};  // users in all shards
    std::vector<std::unique_ptr<user_shard>> users;
    std::array<jti_shard, shard_count> jtis;
    std::atomic<std::uint64_t> generation{0};
};

subject_cache::subject_cache(subject_source& source, store::change_feed& feed,
                             warden::clock const& clock, cache_options options)
    : source_(source),
      feed_(feed),
      clock_(clock),
      options_(options),
      shards_(std::make_unique<shards>(options.capacity)),
      synced_at_(never),
      last_read_(never) {}

subject_cache::~subject_cache() { stop(); }

result<void> subject_cache::start() {
    {
        std::lock_guard const lock{sync_mutex_};
        if (auto loaded = reload(); !loaded) return loaded;
    }
    following_.store(true);
    follower_ = std::jthread{[this](std::stop_token const& stop) { follow(stop); }};
    return {};
}

void subject_cache::stop() {
    following_.store(false);
    if (follower_.joinable()) {
        follower_.request_stop();
        follower_.join();
    }
    synced_at_.store(never);
}

bool subject_cache::trusted() const noexcept {
    auto const synced = synced_at_.load();
    return synced != never &&
           steady_now() - synced <
               std::chrono::duration_cast<std::chrono::nanoseconds>(options_.sync_interval).count();
}

std::size_t subject_cache::size() const { return shards_->held.load(); }

boost::asio::awaitable<result<subject_read>> subject_cache::find(store::user_id id, std::string jti,
                                                                 std::int64_t expires_at) {
    if (!trusted()) co_return co_await source_.find(id, std::move(jti), expires_at);
    if (auto user = shards_->find_user(id)) {
        co_return subject_read{std::move(user), shards_->revoked(jti)};
    }
    auto const seen = shards_->generation.load();
    auto read = co_await source_.find(id, jti, expires_at);
    if (read) {
        if (read->jti_revoked) shards_->revoke(jti, expires_at);
        shards_->put_user(read->user, seen);
    }
    co_return read;
}

result<void> subject_cache::catch_up() {
    if (!following_.load()) return {};  // not started, or stopped: nothing is served from memory
    std::lock_guard const lock{sync_mutex_};
    // After a long outage entries may have been trimmed unread: start over from a snapshot.
    auto const last = last_read_.load();
    if (last == never ||
        steady_now() - last >
            std::chrono::duration_cast<std::chrono::nanoseconds>(reload_after).count()) {
        return reload();
    }
    return read_to_end();
}

result<void> subject_cache::reload() {
    synced_at_.store(never);
    auto const started = steady_now();
    auto end = feed_.feed_end();
    if (!end) return end.error();
    auto const now = to_unix_seconds(clock_.now());
    auto revoked = feed_.revoked_jtis(now - options_.revocation_margin.count());
    if (!revoked) return revoked.error();
    shards_->forget_users();
    shards_->replace_revoked(*revoked);
    cursor_ = std::move(*end);
    read(started);
    return {};
}

void subject_cache::read(std::int64_t started) noexcept {
    last_read_.store(started);
    synced_at_.store(started);
}

result<void> subject_cache::read_to_end() {
    auto const started = steady_now();
    while (true) {
        auto page = feed_.read_feed(cursor_, feed_page_size);
        if (!page && page.error() == store::errc::invalid_argument) {
            // Our position is past the feed's end: the database was replaced (a restored
            // backup, `db copy --force`). Nothing read before can be trusted: start over.
            return reload();
        }
        if (!page) {
            synced_at_.store(never);  // this process's own change may be unread: distrust
            return page.error();
        }
        for (auto const& entry : page->entries) {
            if (entry.user != 0) shards_->forget_user(entry.user);
            if (!entry.jti.empty()) shards_->revoke(entry.jti, entry.expires_at);
        }
        cursor_ = std::move(page->cursor);
        if (!page->more) break;
    }
    read(started);
    return {};
}

void subject_cache::follow(std::stop_token const& stop) {
    // Four reads per interval: a change is enforced within a quarter of it after its commit,
    // and one slow read does not distrust the cache. Reads start every `poll` however long the
    // previous one took (back to back when they take longer): a read slowed by a busy machine
    // must not add its time to the wait before the next one, or the cache's trust (measured from
    // the start of the last read) lapses, and every request then reads the store.
    auto const poll = std::max(options_.sync_interval / 4, std::chrono::milliseconds{5});
    std::mutex idle;
    std::condition_variable_any stopped;
    auto pause = [&](std::chrono::milliseconds how_long) {
        std::unique_lock lock{idle};
        stopped.wait_for(lock, stop, how_long, [] { return false; });
    };
    auto pruned_at = std::chrono::steady_clock::now();
    auto next_read = pruned_at + poll;  // start() has just read
    while (!stop.stop_requested()) {
        // PostgreSQL wakes us on a commit; a failed wait (no listener) still paces the loop.
        auto const wait = std::chrono::duration_cast<std::chrono::milliseconds>(
            next_read - std::chrono::steady_clock::now());
        if (wait > std::chrono::milliseconds{0} && !feed_.wait_for_changes(wait)) pause(wait);
        if (stop.stop_requested()) break;
        next_read = std::chrono::steady_clock::now() + poll;
        if (!catch_up()) pause(poll);
        if (std::chrono::steady_clock::now() - pruned_at > prune_every) {
            pruned_at = std::chrono::steady_clock::now();
            shards_->prune_revoked(to_unix_seconds(clock_.now()) -
                                   options_.revocation_margin.count());
        }
    }
}

}  // namespace warden::auth
