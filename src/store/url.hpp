#pragma once
// Database URLs in SQLAlchemy's form: `sqlite:///relative/path`, `sqlite:////absolute/path`,
// `postgresql://user:password@host:port/db`.
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden::store {

struct database_url {
    enum class backend { sqlite, postgresql };
    backend kind = backend::sqlite;
    std::string path;  ///< sqlite: the file name, exactly as written after `sqlite:///`
};

/// Splits a URL into backend and location. Errors: `errc::bad_url` for anything but a sqlite
/// URL with a non-empty path (no host, no query, no fragment, not `:memory:`) or a PostgreSQL
/// URL; `*why` says what is wrong.
[[nodiscard]] result<database_url> parse_database_url(std::string_view url, std::string* why);

}  // namespace warden::store
