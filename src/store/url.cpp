#include "store/url.hpp"

#include <algorithm>
#include <cctype>

#include <warden/store/errc.hpp>

namespace warden::store {
namespace {

// URL schemes are case-insensitive (RFC 3986 §3.1).
bool has_scheme(std::string_view url, std::string_view scheme) noexcept {
    if (url.size() < scheme.size() + 1 || url[scheme.size()] != ':') return false;
    return std::equal(scheme.begin(), scheme.end(), url.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
    });
}

result<database_url> bad(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
    return errc::bad_url;
}

}  // namespace

result<database_url> parse_database_url(std::string_view url, std::string* why) {
    constexpr std::string_view usage =
        "use sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://...";
    if (has_scheme(url, "sqlite")) {
        std::string_view rest = url.substr(7);
        if (rest.substr(0, 3) != "///") {
            if (rest == "//" || rest.empty()) {
                return bad(why,
                           "sqlite:// names an in-memory database, which warden cannot share "
                           "between connections; " +
                               std::string{usage});
            }
            return bad(why, "a sqlite URL has no host: " + std::string{usage});
        }
        std::string_view path = rest.substr(3);
        if (path.empty()) return bad(why, "the sqlite URL names no file; " + std::string{usage});
        if (path == ":memory:") {
            return bad(why,
                       "sqlite:///:memory: gives each connection its own empty database; "
                       "use a file: " +
                           std::string{usage});
        }
        if (path.find_first_of("?#") != std::string_view::npos) {
            return bad(why, "sqlite URLs take no query or fragment (?, #) in this build");
        }
        if (path.find('\0') != std::string_view::npos) {
            return bad(why, "the sqlite path contains a NUL byte");
        }
        return database_url{database_url::backend::sqlite, std::string{path}};
    }
    if (has_scheme(url, "postgresql") || has_scheme(url, "postgres")) {
        return database_url{database_url::backend::postgresql, {}};
    }
    auto const colon = url.find(':');
    std::string scheme{url.substr(0, std::min<std::size_t>(colon, 32))};
    if (colon == std::string_view::npos || scheme.empty()) {
        return bad(why, "not a database URL; " + std::string{usage});
    }
    return bad(why, "unsupported database scheme '" + scheme + "'; " + std::string{usage});
}

}  // namespace warden::store
