#pragma once
// The Lua scripts of the Redis backend. A script runs atomically on the server, so what must
// hold across processes (counting a failure, reserving an attempt under several keys, giving one
// back, keeping the later expiry of a revocation) is one script call. Times come from the caller
// (`now`, Unix seconds, as decimal strings), never from the server's clock, so a fake clock
// works as with SQLite. Lua numbers are doubles: times are compared as decimal strings (`gt`),
// exactly for any 64-bit value.
#include <array>
#include <cstddef>
#include <string_view>

namespace warden::store {

enum class redis_script : std::size_t { revoke, add_failure, reserve_attempt, release_attempt };

// a > b for decimal integers as std::to_string writes them (no leading zeros, '-' for negatives):
// by sign, then length, then two exact halves of at most 9 and 10 digits.
#define WARDEN_REDIS_LUA_GT                                              \
    "local function gt(a, b)\n"                                          \
    "  local an, bn = a:sub(1, 1) == '-', b:sub(1, 1) == '-'\n"          \
    "  if an ~= bn then return bn end\n"                                 \
    "  if an then a, b = b:sub(2), a:sub(2) end\n"                       \
    "  if #a ~= #b then return #a > #b end\n"                            \
    "  local ha, hb = tonumber(a:sub(1, 9)), tonumber(b:sub(1, 9))\n"    \
    "  if ha ~= hb then return ha > hb end\n"                            \
    "  return (tonumber(a:sub(10)) or 0) > (tonumber(b:sub(10)) or 0)\n" \
    "end\n"

// One failure under `key` (a hash: count, start). The window goes on while it started after
// `cutoff` (= now - window, so now - start < window, as SQLite's UPSERT); otherwise it restarts at
// 1 from `now`, and the key expires `ttl` seconds later: nothing needs purging.
#define WARDEN_REDIS_LUA_COUNT_ONE                                 \
    "local function count_one(key, now, cutoff, ttl)\n"            \
    "  local start = redis.call('HGET', key, 'start')\n"           \
    "  if start and gt(start, cutoff) then\n"                      \
    "    return {redis.call('HINCRBY', key, 'count', 1), start}\n" \
    "  end\n"                                                      \
    "  redis.call('HSET', key, 'count', '1', 'start', now)\n"      \
    "  redis.call('EXPIRE', key, ttl)\n"                           \
    "  return {1, now}\n"                                          \
    "end\n"

inline constexpr std::array<std::string_view, 4> redis_script_text{
    // revoke: KEYS[1] warden:revoked:<jti>, KEYS[2] the feed stream; ARGV[1] how long to keep
    // it, in ms (>= 1), ARGV[2] the jti, ARGV[3] the token's expires_at, ARGV[4] the stream's
    // approximate length cap. The value is the later expires_at (revoked_jtis reads it). Keeps
    // the later expiry: never shortens one, never adds one to a key kept without expiry. Appends
    // the revocation to the feed in the same atomic step.
    WARDEN_REDIS_LUA_GT
    "local exp = ARGV[3]\n"
    "local old = redis.call('GET', KEYS[1])\n"
    "if old and tonumber(old) and gt(old, exp) then exp = old end\n"
    "local left = redis.call('PTTL', KEYS[1])\n"
    "if left ~= -1 and left < tonumber(ARGV[1]) then\n"
    "  redis.call('SET', KEYS[1], exp, 'PX', ARGV[1])\n"
    "else\n"
    "  redis.call('SET', KEYS[1], exp, 'KEEPTTL')\n"
    "end\n"
    "redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'jti', ARGV[2], 'exp', exp)\n"
    "return 1\n",

    // add_failure: KEYS[1] the counter; ARGV now, cutoff, ttl. Returns {count, window start}.
    WARDEN_REDIS_LUA_GT WARDEN_REDIS_LUA_COUNT_ONE
    "return count_one(KEYS[1], ARGV[1], ARGV[2], ARGV[3])\n",

    // reserve_attempt: KEYS the counters; ARGV now, cutoff, ttl, limit. Refused, counting
    // nothing, if one key holds `limit` or more in its window: {0, count, start} of that key.
    // Else one more under every key: {1, count1, start1, count2, start2, ...}.
    WARDEN_REDIS_LUA_GT WARDEN_REDIS_LUA_COUNT_ONE
    "for _, key in ipairs(KEYS) do\n"
    "  local v = redis.call('HMGET', key, 'count', 'start')\n"
    "  if v[1] and v[2] and gt(v[2], ARGV[2]) and not gt(ARGV[4], v[1]) then\n"
    "    return {0, v[1], v[2]}\n"
    "  end\n"
    "end\n"
    "local out = {1}\n"
    "for _, key in ipairs(KEYS) do\n"
    "  local c = count_one(key, ARGV[1], ARGV[2], ARGV[3])\n"
    "  out[#out + 1] = c[1]\n"
    "  out[#out + 1] = c[2]\n"
    "end\n"
    "return out\n",

    // release_attempt: KEYS[1] the counter; ARGV[1] cutoff. One less if the window goes on and
    // the count is above zero.
    WARDEN_REDIS_LUA_GT
    "local v = redis.call('HMGET', KEYS[1], 'count', 'start')\n"
    "if v[1] and v[2] and gt(v[2], ARGV[1]) and gt(v[1], '0') then\n"
    "  redis.call('HINCRBY', KEYS[1], 'count', -1)\n"
    "end\n"
    "return 0\n",
};

#undef WARDEN_REDIS_LUA_GT
#undef WARDEN_REDIS_LUA_COUNT_ONE

}  // namespace warden::store
