// change_feed over SQLite: the change_feed table, appended to by triggers (schema.cpp,
// migration 2) in the transaction of each change.
#include <thread>

#include "store/feed_cursor.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace warden::store {
namespace {

result<std::int64_t> last_position(sqlite_connection& c) {
    auto q = first_row(c, sql::feed_end);
    if (!q) return q.error();
    return (*q)->column_int64(0);
}

}  // namespace

result<std::string> sqlite_store::feed_end() {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto end = last_position(**c);
    if (!end) return end.error();
    return std::to_string(*end);
}

result<feed_page> sqlite_store::read_feed(std::string_view cursor, std::size_t limit) {
    auto const from = parse_feed_position(cursor);
    if (!from || limit == 0) return errc::invalid_argument;
    auto c = pool_.acquire();
    if (!c) return c.error();
    feed_page page;
    std::int64_t position = *from;
    {
        auto q = bound(**c, sql::feed_read, *from, feed_limit(limit));
        if (!q) return q.error();
        for (;;) {
            auto row = (*q)->step();
            if (!row) return row.error();
            if (!*row) break;
            position = (*q)->column_int64(0);
            page.entries.push_back(
                {(*q)->column_int64(1), std::string{(*q)->column_text(2)}, (*q)->column_int64(3)});
        }
    }
    page.more = page.entries.size() == limit;
    if (page.entries.empty()) {
        // Past the end: not a cursor of this feed (another database, or one restored from an
        // older backup): the reader must start again rather than wait for positions it has seen.
        auto end = last_position(**c);
        if (!end) return end.error();
        if (*from > *end) return errc::invalid_argument;
    }
    page.cursor = std::to_string(position);
    return page;
}

result<void> sqlite_store::wait_for_changes(std::chrono::milliseconds timeout) {
    if (timeout.count() > 0) std::this_thread::sleep_for(timeout);
    return {};
}

result<jti_list> sqlite_store::revoked_jtis(std::int64_t now) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto q = bound(**c, sql::feed_revoked, now);
    if (!q) return q.error();
    jti_list out;
    for (;;) {
        auto row = (*q)->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.emplace_back(std::string{(*q)->column_text(0)}, (*q)->column_int64(1));
    }
}

result<std::int64_t> sqlite_store::trim_feed(std::int64_t before) {
    auto c = pool_.acquire_writer();
    if (!c) return c.error();
    if (auto r = execute(**c, sql::feed_trim, before); !r) return r.error();
    return (*c)->changes();
}

}  // namespace warden::store
