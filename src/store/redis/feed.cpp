// change_feed over Redis: the revocations, appended to the stream warden:feed by the revoke
// script (scripts.hpp) in the same atomic step as the key. The cursor is a stream id.
#include <algorithm>
#include <charconv>
#include <compare>
#include <limits>
#include <optional>
#include <thread>

#include <hiredis/hiredis.h>

#include "store/feed_cursor.hpp"
#include "store/redis/redis_store.hpp"

namespace warden::store {
namespace {

constexpr std::string_view revoked_pattern = "warden:revoked:*";
constexpr std::size_t revoked_prefix_size = revoked_pattern.size() - 1;

struct stream_id {
    std::uint64_t ms = 0;
    std::uint64_t seq = 0;
    auto operator<=>(stream_id const&) const = default;
    [[nodiscard]] std::string text() const {
        return std::to_string(ms) + "-" + std::to_string(seq);
    }
};

// Canonical decimal, as Redis writes ids: digits, no leading zero but "0".
std::optional<std::uint64_t> parse_part(std::string_view text) noexcept {
    if (text.empty() || (text.size() > 1 && text.front() == '0')) return std::nullopt;
    std::uint64_t v = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

std::optional<stream_id> parse_stream_id(std::string_view text) noexcept {
    auto const dash = text.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    auto ms = parse_part(text.substr(0, dash));
    auto seq = parse_part(text.substr(dash + 1));
    if (!ms || !seq) return std::nullopt;
    return stream_id{*ms, *seq};
}

std::string_view text_of(redisReply const& r) noexcept {
    return r.str == nullptr ? std::string_view{} : std::string_view{r.str, r.len};
}

std::optional<std::int64_t> int_of(std::string_view text) noexcept {
    std::int64_t v = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

std::int64_t unix_now() noexcept {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

result<std::string> redis_store::feed_end() {
    // The newest entry: trimming always keeps it, so it is the last id the stream handed out.
    auto r = run({"XREVRANGE", feed_key, "+", "-", "COUNT", "1"}, feed_pool_);
    if (!r) return r.error();
    auto const& reply = **r;
    if (reply.type != REDIS_REPLY_ARRAY) return errc::backend_error;
    if (reply.elements == 0) return std::string{"0-0"};
    auto const& entry = *reply.element[0];
    if (entry.type != REDIS_REPLY_ARRAY || entry.elements < 1 ||
        !parse_stream_id(text_of(*entry.element[0]))) {
        return errc::backend_error;
    }
    return std::string{text_of(*entry.element[0])};
}

result<feed_page> redis_store::read_feed(std::string_view cursor, std::size_t limit) {
    auto const from = parse_stream_id(cursor);
    if (!from || limit == 0) return errc::invalid_argument;
    constexpr auto top = std::numeric_limits<std::uint64_t>::max();
    if (*from == stream_id{top, top}) return errc::invalid_argument;  // no id can follow it
    std::string start = "(";  // exclusive (Redis 6.2); appended, not "(" + text: GCC 12 -O3's
    start += from->text();    // -Wrestrict misfires on that concatenation
    std::string const count = std::to_string(feed_limit(limit));
    auto r = run({"XRANGE", feed_key, start, "+", "COUNT", count}, feed_pool_);
    if (!r) return r.error();
    auto const& reply = **r;
    if (reply.type != REDIS_REPLY_ARRAY) return errc::backend_error;
    feed_page page;
    page.cursor = from->text();
    for (std::size_t i = 0; i < reply.elements; ++i) {
        auto const& entry = *reply.element[i];
        if (entry.type != REDIS_REPLY_ARRAY || entry.elements != 2 ||
            entry.element[1]->type != REDIS_REPLY_ARRAY) {
            return errc::backend_error;
        }
        feed_entry out;
        auto const& fields = *entry.element[1];
        for (std::size_t f = 0; f + 1 < fields.elements; f += 2) {
            auto const name = text_of(*fields.element[f]);
            auto const value = text_of(*fields.element[f + 1]);
            if (name == "jti") out.jti = value;
            if (name == "exp") out.expires_at = int_of(value).value_or(0);
        }
        page.cursor = text_of(*entry.element[0]);
        if (!out.jti.empty()) page.entries.push_back(std::move(out));
    }
    page.more = reply.elements == limit;
    if (reply.elements == 0) {
        // Past the end: a cursor of another Redis (or of this one before it lost its data).
        auto end = feed_end();
        if (!end) return end.error();
        if (*from > *parse_stream_id(*end)) return errc::invalid_argument;
    }
    return page;
}

result<void> redis_store::wait_for_changes(std::chrono::milliseconds timeout) {
    if (timeout.count() > 0) std::this_thread::sleep_for(timeout);
    return {};
}

result<jti_list> redis_store::revoked_jtis(std::int64_t now) {
    jti_list out;
    std::string cursor = "0";
    do {
        // SCAN walks the keyspace in small steps (it never blocks Redis as KEYS would).
        auto scanned = run({"SCAN", cursor, "MATCH", revoked_pattern, "COUNT", "1000"}, feed_pool_);
        if (!scanned) return scanned.error();
        auto const& reply = **scanned;
        if (reply.type != REDIS_REPLY_ARRAY || reply.elements != 2 ||
            reply.element[1]->type != REDIS_REPLY_ARRAY) {
            return errc::backend_error;
        }
        cursor = text_of(*reply.element[0]);
        auto const& keys = *reply.element[1];
        if (keys.elements == 0) continue;
        redis_command mget{"MGET"};
        for (std::size_t i = 0; i < keys.elements; ++i) mget.push_back(text_of(*keys.element[i]));
        auto values = run(mget, feed_pool_);
        if (!values) return values.error();
        if ((*values)->type != REDIS_REPLY_ARRAY || (*values)->elements != keys.elements) {
            return errc::backend_error;
        }
        for (std::size_t i = 0; i < keys.elements; ++i) {
            auto const& value = *(*values)->element[i];
            if (value.type != REDIS_REPLY_STRING) continue;  // expired since the SCAN
            auto const key = text_of(*keys.element[i]);
            auto expires_at = int_of(text_of(value));
            if (!expires_at) {
                // A key written before values held the expiry ("1"): it is kept until the
                // margin past the token's expiry; take the key's own expiry (later, so safe).
                auto ttl = run({"PTTL", key}, feed_pool_);
                if (!ttl) return ttl.error();
                if ((*ttl)->type != REDIS_REPLY_INTEGER || (*ttl)->integer == -2) continue;
                expires_at = (*ttl)->integer < 0 ? std::numeric_limits<std::int64_t>::max()
                                                 : unix_now() + (*ttl)->integer / 1000 + 1;
            }
            if (*expires_at > now) {
                out.emplace_back(std::string{key.substr(revoked_prefix_size)}, *expires_at);
            }
        }
    } while (cursor != "0");
    // SCAN may return a key twice.
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end(),
                          [](auto const& a, auto const& b) { return a.first == b.first; }),
              out.end());
    return out;
}

result<std::int64_t> redis_store::trim_feed(std::int64_t before) {
    auto end = feed_end();
    if (!end) return end.error();
    auto const newest = *parse_stream_id(*end);
    if (newest == stream_id{}) return 0;
    // Ids start with Redis's clock in ms; the newest entry always stays.
    std::uint64_t const before_ms =
        before <= 0 ? 0
                    : static_cast<std::uint64_t>(std::min<std::int64_t>(
                          before, std::numeric_limits<std::int64_t>::max() / 1000)) *
                          1000;
    auto const min_id = std::min(stream_id{before_ms, 0}, newest).text();
    auto r = run({"XTRIM", feed_key, "MINID", min_id});
    if (!r) return r.error();
    if ((*r)->type != REDIS_REPLY_INTEGER) return errc::backend_error;
    return (*r)->integer;
}

}  // namespace warden::store
