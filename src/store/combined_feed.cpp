#include "store/combined_feed.hpp"

#include <utility>

namespace warden::store {
namespace {

constexpr char separator = '/';

struct cursors {
    std::string_view database;
    std::string_view redis;
};

// Exactly one separator; each half is checked by its own feed.
result<cursors> split(std::string_view cursor) noexcept {
    auto const at = cursor.find(separator);
    if (at == std::string_view::npos || cursor.find(separator, at + 1) != std::string_view::npos) {
        return errc::invalid_argument;
    }
    return cursors{cursor.substr(0, at), cursor.substr(at + 1)};
}

std::string join(std::string_view database, std::string_view redis) {
    std::string out{database};
    out += separator;
    out += redis;
    return out;
}

}  // namespace

result<std::string> combined_feed::feed_end() {
    auto database = database_->feed_end();
    if (!database) return database.error();
    auto redis = redis_->feed_end();
    if (!redis) return redis.error();
    return join(*database, *redis);
}

result<feed_page> combined_feed::read_feed(std::string_view cursor, std::size_t limit) {
    auto const parts = split(cursor);
    if (!parts || limit == 0) return errc::invalid_argument;
    auto redis = redis_->read_feed(parts->redis, limit);
    if (!redis) return redis.error();
    feed_page page = std::move(*redis);
    std::string const redis_cursor = std::move(page.cursor);
    std::string database_cursor{parts->database};
    if (page.entries.size() < limit) {
        auto database = database_->read_feed(parts->database, limit - page.entries.size());
        if (!database) return database.error();
        page.entries.insert(page.entries.end(), std::make_move_iterator(database->entries.begin()),
                            std::make_move_iterator(database->entries.end()));
        page.more = page.more || database->more;
        database_cursor = std::move(database->cursor);
    } else {
        // The database's half is checked (and read) next time: this page is full.
        page.more = true;
    }
    page.cursor = join(database_cursor, redis_cursor);
    return page;
}

result<void> combined_feed::wait_for_changes(std::chrono::milliseconds timeout) {
    return database_->wait_for_changes(timeout);
}

result<jti_list> combined_feed::revoked_jtis(std::int64_t now) { return redis_->revoked_jtis(now); }

result<std::int64_t> combined_feed::trim_feed(std::int64_t before) {
    auto database = database_->trim_feed(before);
    if (!database) return database.error();
    auto redis = redis_->trim_feed(before);
    if (!redis) return redis.error();
    return *database + *redis;
}

}  // namespace warden::store
