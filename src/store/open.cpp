// store::open: the URL picks the backend; a Redis URL moves the revocation list and the
// login-failure counters there.
#include <algorithm>
#include <thread>

#include <warden/store/store.hpp>

#include "store/postgres/postgres_store.hpp"
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
    if (!options.redis_url.empty()) {
        if (why != nullptr) *why = "Redis is not available in this build";
        return errc::bad_url;
    }
    std::size_t const connections =
        options.max_connections != 0 ? options.max_connections : default_connections();
    if (parsed->kind == database_url::backend::postgresql) {
        auto store = postgres_store::open(std::string{url}, {.max_connections = connections},
                                          options.connect_timeout, nullptr, why);
        if (!store) return store.error();
        return backends{*store, *store, *store, *store};
    }
    sqlite_pool::options opts;
    opts.max_connections = connections;
    auto store = sqlite_store::open(as_file_name(std::move(parsed->path)), opts, why);
    if (!store) return store.error();
    return backends{*store, *store, *store, *store};
}

}  // namespace warden::store
