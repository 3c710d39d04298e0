// change_feed over PostgreSQL: the change_feed table, appended to by deferred triggers
// (schema.cpp, migration 2) at the commit of each change, in commit order.
#include "store/feed_cursor.hpp"
#include "store/postgres/postgres_store.hpp"

namespace warden::store {
namespace {

result<std::int64_t> last_position(pg_connection& c) {
    auto r = first_row(c, sql_pg::feed_end);
    if (!r) return r.error();
    return r->int64(0, 0);
}

}  // namespace

result<std::string> postgres_store::feed_end() {
    auto c = feed_pool_.acquire();
    if (!c) return c.error();
    auto end = last_position(**c);
    if (!end) return end.error();
    return std::to_string(*end);
}

result<feed_page> postgres_store::read_feed(std::string_view cursor, std::size_t limit) {
    auto const from = parse_feed_position(cursor);
    if (!from || limit == 0) return errc::invalid_argument;
    auto c = feed_pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::feed_read, *from, feed_limit(limit));
    if (!r) return r.error();
    feed_page page;
    std::int64_t position = *from;
    page.entries.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) {
        position = r->int64(row, 0);
        page.entries.push_back({r->int64(row, 1), std::string{r->text(row, 2)}, r->int64(row, 3)});
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

result<void> postgres_store::wait_for_changes(std::chrono::milliseconds timeout) {
    return listener_.wait(timeout);
}

result<jti_list> postgres_store::revoked_jtis(std::int64_t now) {
    auto c = feed_pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::feed_revoked, now);
    if (!r) return r.error();
    jti_list out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int row = 0; row < r->rows(); ++row) {
        out.emplace_back(std::string{r->text(row, 0)}, r->int64(row, 1));
    }
    return out;
}

result<std::int64_t> postgres_store::trim_feed(std::int64_t before) {
    auto c = pool_.acquire();
    if (!c) return c.error();
    auto r = run(**c, sql_pg::feed_trim, before);
    if (!r) return r.error();
    return r->affected();
}

}  // namespace warden::store
