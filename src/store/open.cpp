// store::open: the URL picks the backend; a Redis URL moves the revocation list and the
// login-failure counters there.
#include <algorithm>
#include <thread>

#include <warden/store/store.hpp>

#include "store/combined_feed.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/redis/redis_store.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/url.hpp"

namespace warden::store {
namespace {

// SQLite is built with URI file names on: a path starting with "file:" would be read as a URI.
std::string as_file_name(std::string path) {
    if (path.starts_with("file:")) path.insert(0, "./");
    return path;
}

std::size_t default_connections() {
    // Enough for every work_pool thread to hold one at once on common machines.
    return std::max<std::size_t>(4, 2 * std::thread::hardware_concurrency());
}

}  // namespace

result<backends> open(std::string_view url, open_options const& options, std::string* why) {
    auto parsed = parse_database_url(url, why);
    if (!parsed) return parsed.error();
    std::size_t const connections =
        options.max_connections != 0 ? options.max_connections : default_connections();
    std::shared_ptr<redis_store> redis;
    if (!options.redis_url.empty()) {
        auto opened = redis_store::open(
            options.redis_url,
            {.max_connections = connections, .connect_timeout = options.connect_timeout}, why);
        if (!opened) return opened.error();
        redis = std::move(*opened);
    }
    // With Redis, it keeps the revocation list and the counters; the database the rest (the
    // signing keys, the clients, the one-time tokens and TOTP included).
    // The feed: the database's, or with Redis both (users from the database, revocations from
    // Redis).
    auto const with_redis = [&redis](auto const& db) {
        backends out{db, db, db, db, db, db, db, db, db, db};
        if (redis == nullptr) return out;
        out.revocations = redis;
        out.counters = redis;
        out.feed = std::make_shared<combined_feed>(db, redis);
        return out;
    };
    if (parsed->kind == database_url::backend::postgresql) {
        auto store = postgres_store::open(std::string{url}, {.max_connections = connections},
                                          options.connect_timeout, redis, why);
        if (!store) return store.error();
        return with_redis(*store);
    }
    sqlite_pool::options opts;
    opts.max_connections = connections;
    auto store = sqlite_store::open(as_file_name(std::move(parsed->path)), opts, redis, why);
    if (!store) return store.error();
    return with_redis(*store);
}

}  // namespace warden::store
