// store::open: the URL picks the backend.
#include <thread>

#include <warden/store/store.hpp>

#include "store/sqlite/sqlite_store.hpp"
#include "store/url.hpp"

namespace warden::store {
namespace {

// SQLite is built with URI file names on: a path starting with "file:" would be read as a URI.
std::string as_file_name(std::string path) {
    if (path.starts_with("file:")) path.insert(0, "./");
    return path;
}

}  // namespace

result<backends> open(std::string_view url, open_options const& options, std::string* why) {
    auto parsed = parse_database_url(url, why);
    if (!parsed) return parsed.error();
    if (parsed->kind == database_url::backend::postgresql) {
        if (why != nullptr) {
            *why = "the PostgreSQL backend is not available in this build; use sqlite:///path";
        }
        return errc::bad_url;
    }
    sqlite_pool::options opts;
    // Lazily opened: enough for every work_pool thread to hold one at once on common machines.
    opts.max_connections = std::max<std::size_t>(4, std::thread::hardware_concurrency());
    auto store = sqlite_store::open(as_file_name(std::move(parsed->path)), opts, why);
    if (!store) return store.error();
    return backends{*store, *store, *store, *store};
}

}  // namespace warden::store
