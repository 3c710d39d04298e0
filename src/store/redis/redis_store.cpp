// revocation_store and counter_store over Redis.
#include "store/redis/redis_store.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <limits>
#include <thread>
#include <utility>

#include <hiredis/hiredis.h>

#include <warden/store/errc.hpp>

namespace warden::store {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view revoked_prefix = "warden:revoked:";
constexpr std::string_view failures_prefix = "warden:failures:";
// The longest TTL this store sets (about 100 years): beyond any token or window, and well within
// what EXPIRE and SET PX accept.
constexpr std::int64_t max_ttl_seconds = 100LL * 366 * 24 * 3600;

std::string key_of(std::string_view prefix, std::string_view name) {
    std::string key;
    key.reserve(prefix.size() + name.size());
    key.append(prefix).append(name);
    return key;
}

// now - window, saturating (as the SQLite backend: a window of any size never wraps around).
std::int64_t window_cutoff(std::int64_t now, std::int64_t window_seconds) noexcept {
    std::int64_t cutoff = 0;
    if (__builtin_sub_overflow(now, window_seconds, &cutoff)) {
        return window_seconds > 0 ? std::numeric_limits<std::int64_t>::min()
                                  : std::numeric_limits<std::int64_t>::max();
    }
    return cutoff;
}

// A counter key lives as long as its window (at least 1 s: a window of 0 or less never goes on).
std::int64_t counter_ttl(std::int64_t window_seconds) noexcept {
    return std::clamp<std::int64_t>(window_seconds, 1, max_ttl_seconds);
}

// How long to keep a revocation, in ms from `now_ms` (Unix ms, this host's clock): until the
// margin past `expires_at`, and at least the margin.
std::int64_t revocation_ttl_ms(std::int64_t expires_at, std::int64_t now_ms) noexcept {
    std::int64_t const margin_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(redis_store::revocation_margin)
            .count();
    std::int64_t const now_s = now_ms / 1000;
    if (expires_at <= now_s) return margin_ms;
    std::int64_t const left_s = std::min(expires_at - now_s, max_ttl_seconds);
    return left_s * 1000 - now_ms % 1000 + margin_ms;
}

std::int64_t unix_now_ms() noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// An integer reply, or a string reply holding a decimal integer (a hash field, a Lua string).
bool read_int(redisReply const& r, std::int64_t& out) noexcept {
    if (r.type == REDIS_REPLY_INTEGER) {
        out = r.integer;
        return true;
    }
    if (r.type != REDIS_REPLY_STRING || r.str == nullptr) return false;
    auto const [end, ec] = std::from_chars(r.str, r.str + r.len, out);
    return ec == std::errc{} && end == r.str + r.len;
}

// {count, window start} from elements `at` and `at + 1` of an array reply.
bool read_count(redisReply const& r, std::size_t at, failure_count& out) noexcept {
    return r.type == REDIS_REPLY_ARRAY && r.elements >= at + 2 &&
           read_int(*r.element[at], out.count) &&
           read_int(*r.element[at + 1], out.window_started_at);
}

std::string seconds_text(std::chrono::milliseconds d) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", static_cast<double>(d.count()) / 1000.0);
    return text;
}

}  // namespace

redis_store::redis_store(redis_endpoint at, options opts)
    : opts_(opts),
      pool_(at, opts.max_connections == 0 ? 4 : opts.max_connections, redis_script_text),
      feed_pool_(std::move(at), 1, redis_script_text) {}

result<std::shared_ptr<redis_store>> redis_store::open(std::string_view url, options opts,
                                                       std::string* why) {
    auto at = parse_redis_url(url, why);
    if (!at) return at.error();
    auto store = std::make_shared<redis_store>(std::move(*at), opts);
    auto const& display = store->pool_.endpoint().display;
    auto const give_up = redis_clock::now() + std::max(opts.connect_timeout, 0ms);
    redis_clock::duration const attempt = std::max(opts.io_timeout, 1ms);
    redis_clock::duration backoff = 100ms;
    std::string last;
    for (;;) {
        // One attempt takes at most io_timeout, and ends (about) when the connect timeout does.
        auto const now = redis_clock::now();
        auto const lease = store->pool_.acquire(
            now + std::min(attempt, std::max<redis_clock::duration>(give_up - now, 50ms)), &last);
        if (lease) return store;  // connected, logged in and PINGed; it stays in the pool
        if (lease.error() == errc::backend_error) {
            // The server answered and refused (a wrong password, a database out of range).
            if (why != nullptr) *why = "cannot use Redis at " + display + ": " + last;
            return errc::unavailable;
        }
        auto const left = give_up - redis_clock::now();
        if (left <= redis_clock::duration::zero()) break;
        std::this_thread::sleep_for(std::min(backoff, left));
        backoff = std::min<redis_clock::duration>(backoff * 2, 2s);
    }
    if (why != nullptr) {
        *why = "cannot reach Redis at " + display + ": " + last + " (after " +
               seconds_text(opts.connect_timeout) + ")";
    }
    return errc::unavailable;
}

redis_clock::time_point redis_store::deadline() const noexcept {
    return redis_clock::now() + std::max(opts_.io_timeout, 1ms);
}

result<redis_reply> redis_store::run(redis_command const& command) { return run(command, pool_); }

result<redis_reply> redis_store::run(redis_command const& command, redis_pool& on) {
    auto const until = deadline();
    auto c = on.acquire(until);
    if (!c) return errc::unavailable;  // also a server that refuses AUTH now: it cannot serve
    auto r = (*c)->run(command, until);
    if (!r) return r.error();
    if (auto const e = reply_error(**r)) return e;
    return r;
}

result<std::vector<redis_reply>> redis_store::run_scripts(std::vector<script_call> const& calls) {
    auto const until = deadline();
    auto c = pool_.acquire(until);
    if (!c) return errc::unavailable;
    std::vector<std::string> key_counts;
    key_counts.reserve(calls.size());
    for (auto const& call : calls) key_counts.push_back(std::to_string(call.keys.size()));
    auto const command_of = [&](std::size_t i, bool by_sha) {
        auto const& call = calls[i];
        auto const script = static_cast<std::size_t>(call.script);
        redis_command command;
        command.reserve(3 + call.keys.size() + call.args.size());
        // push_back, not insert({...}): GCC 12 at -O3 reports a bogus overflow for the latter.
        if (auto const sha = (*c)->sha(script); by_sha && !sha.empty()) {
            command.push_back("EVALSHA");
            command.push_back(sha);
        } else {
            command.push_back("EVAL");
            command.push_back(redis_script_text[script]);
        }
        command.push_back(key_counts[i]);
        command.insert(command.end(), call.keys.begin(), call.keys.end());
        command.insert(command.end(), call.args.begin(), call.args.end());
        return command;
    };
    std::vector<redis_command> commands;
    commands.reserve(calls.size());
    for (std::size_t i = 0; i < calls.size(); ++i) commands.push_back(command_of(i, true));
    auto replies = (*c)->pipeline(commands, until);
    if (!replies) return replies.error();
    // NOSCRIPT: the server's script cache was emptied (SCRIPT FLUSH) since this connection loaded
    // the scripts, and the call did not run. EVAL runs it and caches it again.
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < replies->size(); ++i) {
        if (is_noscript(*(*replies)[i])) again.push_back(i);
    }
    if (!again.empty()) {
        commands.clear();
        for (auto const i : again) commands.push_back(command_of(i, false));
        auto retried = (*c)->pipeline(commands, until);
        if (!retried) return retried.error();
        for (std::size_t k = 0; k < again.size(); ++k) {
            (*replies)[again[k]] = std::move((*retried)[k]);
        }
    }
    for (auto const& r : *replies) {
        if (auto const e = reply_error(*r)) return e;
    }
    return replies;
}

result<void> redis_store::ping() {
    auto r = run({"PING"});
    if (!r) return r.error();
    return {};
}

// revocation_store

result<void> redis_store::revoke_jti(std::string_view jti, std::int64_t expires_at) {
    if (jti.empty()) return errc::invalid_argument;
    return revoke_jtis(jti_list{{std::string{jti}, expires_at}});
}

result<void> redis_store::revoke_jtis(jti_list const& jtis) {
    for (auto const& entry : jtis) {
        if (entry.first.empty()) return errc::invalid_argument;
    }
    if (jtis.empty()) return {};
    auto const now_ms = unix_now_ms();
    std::vector<script_call> calls;
    calls.reserve(jtis.size());
    for (auto const& [jti, expires_at] : jtis) {
        calls.push_back({redis_script::revoke,
                         {key_of(revoked_prefix, jti), std::string{feed_key}},
                         {std::to_string(revocation_ttl_ms(expires_at, now_ms)), jti,
                          std::to_string(expires_at), std::to_string(feed_length_cap)}});
    }
    auto r = run_scripts(calls);
    if (!r) return r.error();
    return {};
}

result<bool> redis_store::is_revoked(std::string_view jti) {
    auto const key = key_of(revoked_prefix, jti);
    auto r = run({"EXISTS", key});
    if (!r) return {boost::system::in_place_error, r.error()};
    if ((*r)->type != REDIS_REPLY_INTEGER) {
        return {boost::system::in_place_error, make_error_code(errc::backend_error)};
    }
    return (*r)->integer != 0;
}

result<std::int64_t> redis_store::purge_expired_revocations(std::int64_t) {
    return 0;  // every revocation has a TTL: Redis removes it
}

// counter_store

result<failure_count> redis_store::add_failure(std::string_view key, std::int64_t now,
                                               std::int64_t window_seconds) {
    if (key.empty()) return errc::invalid_argument;
    std::vector<script_call> const calls{
        {redis_script::add_failure,
         {key_of(failures_prefix, key)},
         {std::to_string(now), std::to_string(window_cutoff(now, window_seconds)),
          std::to_string(counter_ttl(window_seconds))}}};
    auto r = run_scripts(calls);
    if (!r) return r.error();
    failure_count count;
    if (!read_count(*r->front(), 0, count)) return errc::backend_error;
    return count;
}

result<attempt_reservation> redis_store::reserve_attempt(std::vector<std::string> const& keys,
                                                         std::int64_t now,
                                                         std::int64_t window_seconds,
                                                         std::int64_t limit) {
    if (keys.empty()) return errc::invalid_argument;
    script_call call{redis_script::reserve_attempt,
                     {},
                     {std::to_string(now), std::to_string(window_cutoff(now, window_seconds)),
                      std::to_string(counter_ttl(window_seconds)), std::to_string(limit)}};
    call.keys.reserve(keys.size());
    for (auto const& key : keys) {
        if (key.empty()) return errc::invalid_argument;
        call.keys.push_back(key_of(failures_prefix, key));
    }
    auto r = run_scripts({std::move(call)});
    if (!r) return r.error();
    auto const& reply = *r->front();
    std::int64_t admitted = 0;
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements < 1 ||
        !read_int(*reply.element[0], admitted)) {
        return errc::backend_error;
    }
    attempt_reservation out{admitted != 0, {}};
    std::size_t const counts = admitted != 0 ? keys.size() : 1;
    if (reply.elements != 1 + 2 * counts) return errc::backend_error;
    out.counts.resize(counts);
    for (std::size_t i = 0; i < counts; ++i) {
        if (!read_count(reply, 1 + 2 * i, out.counts[i])) return errc::backend_error;
    }
    return out;
}

result<void> redis_store::release_attempt(std::string_view key, std::int64_t now,
                                          std::int64_t window_seconds) {
    if (key.empty()) return {};  // never counted (add_failure refuses it): nothing to give back
    auto r = run_scripts({{redis_script::release_attempt,
                           {key_of(failures_prefix, key)},
                           {std::to_string(window_cutoff(now, window_seconds))}}});
    if (!r) return r.error();
    return {};
}

result<failure_count> redis_store::failures(std::string_view key, std::int64_t now,
                                            std::int64_t window_seconds) {
    auto const name = key_of(failures_prefix, key);
    auto r = run({"HMGET", name, "count", "start"});
    if (!r) return r.error();
    auto const& reply = **r;
    if (reply.type != REDIS_REPLY_ARRAY || reply.elements != 2) return errc::backend_error;
    if (reply.element[0]->type == REDIS_REPLY_NIL || reply.element[1]->type == REDIS_REPLY_NIL) {
        return failure_count{};
    }
    failure_count count;
    if (!read_count(reply, 0, count)) return errc::backend_error;
    // Passed when now - start >= window, i.e. start <= now - window (as add_failure).
    if (count.window_started_at <= window_cutoff(now, window_seconds)) return failure_count{};
    return count;
}

result<void> redis_store::reset_failures(std::string_view key) {
    auto const name = key_of(failures_prefix, key);
    auto r = run({"DEL", name});
    if (!r) return r.error();
    return {};
}

result<std::int64_t> redis_store::purge_expired_failures(std::int64_t, std::int64_t) {
    return 0;  // every counter key expires with its window: Redis removes it
}

}  // namespace warden::store
