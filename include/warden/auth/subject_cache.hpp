#pragma once
// The guard's reads from memory (SPEC §4): a decorator of a subject source that keeps, per user,
// what the guard and `/me` need (least recently used out beyond `capacity`), and every revoked
// access-token jti that has not expired. It follows the store's change feed on a thread of its
// own, so a change made elsewhere (the CLI, another wardend) is enforced within
// `sync_interval`; a change this process makes is read from the feed before its response goes
// out (`catch_up`, run by `database::write`). When the feed cannot be read for `sync_interval`,
// every answer comes from the source again until a read succeeds: fail closed, never stale.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <warden/auth/subject.hpp>
#include <warden/core/clock.hpp>
#include <warden/store/change_feed.hpp>

namespace warden::auth {

struct cache_options {
    std::size_t capacity = 100'000;  ///< users held at most (the revoked jtis are not bounded)
    std::chrono::milliseconds sync_interval{1000};
    /// How long a revoked jti is kept past its token's expiry: the verifier's leeway and more.
    std::chrono::seconds revocation_margin{300};
};

class subject_cache final : public subject_source {
  public:
    /// `source`, `feed` and `clock` must outlive the cache. `capacity` must be at least 1.
    subject_cache(subject_source& source, store::change_feed& feed, warden::clock const& clock,
                  cache_options options);
    subject_cache(subject_cache const&) = delete;
    subject_cache& operator=(subject_cache const&) = delete;
    ~subject_cache() override;

    /// Loads the revoked jtis, takes the feed's end and starts following it. Blocking (a few
    /// store reads). Errors: store errors.
    [[nodiscard]] result<void> start();
    /// Stops following the feed (joins the thread); every answer then comes from the source.
    void stop();

    [[nodiscard]] boost::asio::awaitable<result<subject_read>> find(
        store::user_id id, std::string jti, std::int64_t expires_at) override;

    /// Reads the feed to its end now and applies it. Blocking: run it on a pool thread. On
    /// failure the cache is distrusted until a read succeeds.
    result<void> catch_up();
    /// Whether answers come from memory now: the feed was read less than `sync_interval` ago.
    [[nodiscard]] bool trusted() const noexcept;
    /// Users held now.
    [[nodiscard]] std::size_t size() const;

  private:
    struct shards;
    result<void> reload();
    result<void> read_to_end();
    void read(std::int64_t started) noexcept;
    void follow(std::stop_token const& stop);

    subject_source& source_;
    store::change_feed& feed_;
    warden::clock const& clock_;
    cache_options options_;
    std::unique_ptr<shards> shards_;
    std::mutex sync_mutex_;  // one reader of the feed at a time; guards cursor_
    std::string cursor_;
    /// When the last successful read of the feed started (steady clock, ns); min: distrusted.
    std::atomic<std::int64_t> synced_at_;
    /// As `synced_at_`, but kept when a read fails: how long the feed has gone unread.
    std::atomic<std::int64_t> last_read_;
    std::atomic<bool> following_{false};
    std::jthread follower_;
};

}  // namespace warden::auth
