#pragma once
// The Redis backend (docs/store.md "Redis"): revoked jtis and login-failure counters, shared by
// every process that uses one Redis. Keys `warden:revoked:<jti>` (a string with a TTL) and
// `warden:failures:<key>` (a hash: count, start; TTL = the window), so Redis expires them and
// nothing needs purging. What must be atomic is one Lua script (store/redis/scripts.hpp).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <warden/store/change_feed.hpp>
#include <warden/store/counter_store.hpp>
#include <warden/store/revocation_store.hpp>

#include "store/redis/pool.hpp"
#include "store/redis/redis_url.hpp"
#include "store/redis/scripts.hpp"

namespace warden::store {

class redis_store final : public revocation_store, public counter_store, public change_feed {
  public:
    /// The stream every revocation is appended to, in the script that revokes it.
    static constexpr std::string_view feed_key = "warden:feed";
    /// The stream is capped at about this many entries (XADD MAXLEN ~), whatever trim_feed does.
    static constexpr std::int64_t feed_length_cap = 100'000;

    struct options {
        std::size_t max_connections = 4;                    ///< bounded pool (0: 4)
        std::chrono::milliseconds connect_timeout{30'000};  ///< open(): retry with back-off
        std::chrono::milliseconds io_timeout{2'000};  ///< each call: free connection, connect,
                                                      ///< reply
    };

    /// A revocation is kept until this long after the token's `expires_at` (at least this long
    /// from the call, for a token already expired): more than any verifier's clock leeway, so a
    /// revoked token is never accepted again within its leeway. SQLite keeps it until purged.
    static constexpr std::chrono::seconds revocation_margin{300};

    /// Connects to `url` (`redis://[[user]:password@]host:port[/N]`,
    /// `unix:///path/to/socket[?db=N]`), retrying with back-off (100 ms doubling to 2 s) for up
    /// to `connect_timeout`. Errors, with `*why`: `errc::bad_url` (malformed: what is wrong),
    /// `errc::unavailable` (not reachable in time, or the server refused AUTH/SELECT: why).
    /// The password never appears in `*why`.
    [[nodiscard]] static result<std::shared_ptr<redis_store>> open(std::string_view url,
                                                                   options opts, std::string* why);

    redis_store(redis_endpoint at, options opts);

    /// A PING round trip (readiness). Errors: `errc::unavailable` when Redis does not answer in
    /// time.
    [[nodiscard]] result<void> ping() override;

    // revocation_store
    [[nodiscard]] result<void> revoke_jti(std::string_view jti, std::int64_t expires_at) override;
    /// Every jti in one pipelined round trip (each one atomic: keeps the later expiry). An empty
    /// jti: `errc::invalid_argument` and nothing is sent.
    [[nodiscard]] result<void> revoke_jtis(jti_list const& jtis) override;
    [[nodiscard]] result<bool> is_revoked(std::string_view jti) override;
    /// 0: Redis expires revocations by their TTL.
    [[nodiscard]] result<std::int64_t> purge_expired_revocations(std::int64_t now) override;

    // counter_store
    [[nodiscard]] result<failure_count> add_failure(std::string_view key, std::int64_t now,
                                                    std::int64_t window_seconds) override;
    [[nodiscard]] result<attempt_reservation> reserve_attempt(std::vector<std::string> const& keys,
                                                              std::int64_t now,
                                                              std::int64_t window_seconds,
                                                              std::int64_t limit) override;
    [[nodiscard]] result<void> release_attempt(std::string_view key, std::int64_t now,
                                               std::int64_t window_seconds) override;
    [[nodiscard]] result<failure_count> failures(std::string_view key, std::int64_t now,
                                                 std::int64_t window_seconds) override;
    [[nodiscard]] result<void> reset_failures(std::string_view key) override;
    /// 0: a counter's key expires with its window.
    [[nodiscard]] result<std::int64_t> purge_expired_failures(std::int64_t now,
                                                              std::int64_t window_seconds) override;

    // change_feed: the revocations only (the database's feed has the users). Cursor: a stream id
    // `<ms>-<seq>`, "0-0" before the first entry.
    [[nodiscard]] result<std::string> feed_end() override;
    [[nodiscard]] result<feed_page> read_feed(std::string_view cursor, std::size_t limit) override;
    /// Sleeps for `timeout` (the combined feed waits on the database's).
    [[nodiscard]] result<void> wait_for_changes(std::chrono::milliseconds timeout) override;
    /// Every `warden:revoked:*` key (SCAN) whose expires_at, its value, is after `now`.
    [[nodiscard]] result<jti_list> revoked_jtis(std::int64_t now) override;
    /// XTRIM MINID: entries Redis added before `before` (its clock, in ms), but the newest.
    [[nodiscard]] result<std::int64_t> trim_feed(std::int64_t before) override;

  private:
    struct script_call {
        redis_script script;
        std::vector<std::string> keys;
        std::vector<std::string> args;
    };
    // Runs the calls pipelined (EVALSHA, and EVAL for those the server's script cache lacks).
    [[nodiscard]] result<std::vector<redis_reply>> run_scripts(
        std::vector<script_call> const& calls);
    [[nodiscard]] result<redis_reply> run(redis_command const& command);
    [[nodiscard]] result<redis_reply> run(redis_command const& command, redis_pool& on);
    [[nodiscard]] redis_clock::time_point deadline() const noexcept;

    options const opts_;
    redis_pool pool_;
    // The change feed's reads have a connection of their own: when the guard's cache stops
    // trusting itself, every request reads the store through pool_, and a feed read queued
    // behind them could not bring the trust back (it would wait for the flood it is there to end).
    redis_pool feed_pool_;
};

}  // namespace warden::store
