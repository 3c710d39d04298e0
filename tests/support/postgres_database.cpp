#include "support/postgres_database.hpp"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <random>
#include <utility>

#include <fmt/format.h>
#include <libpq-fe.h>
#include <unistd.h>

namespace warden::test {
namespace {

struct connection_closer {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct result_clearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using connection_ptr = std::unique_ptr<PGconn, connection_closer>;
using result_ptr = std::unique_ptr<PGresult, result_clearer>;

std::string environment(char const* name) {
    char const* value = std::getenv(name);
    return value == nullptr ? std::string{} : std::string{value};
}

std::string trimmed_message(char const* message) {
    std::string text = message == nullptr ? std::string{} : std::string{message};
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

// Runs one statement (no parameters: CREATE/DROP DATABASE take none) on the server's maintenance
// database; false with *why on any error.
bool execute(std::string const& server_url, std::string const& sql, std::string* why) {
    // connect_timeout: a cluster that is gone must not hang the test.
    char const* keywords[] = {"dbname", "connect_timeout", nullptr};
    char const* values[] = {server_url.c_str(), "10", nullptr};
    connection_ptr connection{PQconnectdbParams(keywords, values, 1)};
    if (!connection || PQstatus(connection.get()) != CONNECTION_OK) {
        *why = fmt::format("cannot connect to the test PostgreSQL at {}: {}", server_url,
                           trimmed_message(PQerrorMessage(connection.get())));
        return false;
    }
    result_ptr result{PQexec(connection.get(), sql.c_str())};
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
        *why = fmt::format("{}: {}", sql, trimmed_message(PQerrorMessage(connection.get())));
        return false;
    }
    return true;
}

std::string unique_database_name() {
    static std::atomic<unsigned long> counter{0};
    // Random bits per process: a pid reused by a later run never meets a database left behind.
    static std::uint32_t const salt = [] {
        std::random_device device;
        return static_cast<std::uint32_t>(device());
    }();
    return fmt::format("warden_test_{}_{}_{:08x}", static_cast<long>(getpid()), ++counter, salt);
}

}  // namespace

bool postgres_required() {
    std::string ci = environment("CI");
    return ci == "true" || ci == "TRUE" || ci == "True" || ci == "1" || ci == "yes";
}

std::optional<std::string> postgres_server_url(std::string* why) {
    if (std::string url = environment("WARDEN_TEST_POSTGRES_URL"); !url.empty()) return url;
    std::string file = environment("WARDEN_TEST_POSTGRES_URL_FILE");
#ifdef WARDEN_TEST_POSTGRES_URL_FILE_DEFAULT
    if (file.empty()) file = WARDEN_TEST_POSTGRES_URL_FILE_DEFAULT;
#endif
    if (file.empty()) {
        *why =
            "no test PostgreSQL: neither WARDEN_TEST_POSTGRES_URL nor "
            "WARDEN_TEST_POSTGRES_URL_FILE is set";
        return std::nullopt;
    }
    std::ifstream in{file};
    std::string url;
    if (!in || !std::getline(in, url) || url.empty()) {
        *why = fmt::format(
            "no test PostgreSQL: {} does not exist (the CTest fixture "
            "test_servers.postgres.start did not run, or found no PostgreSQL server binaries: "
            "apt-get install postgresql)",
            file);
        return std::nullopt;
    }
    return url;
}

std::string with_database(std::string const& url, std::string const& name) {
    auto const scheme = url.find("://");
    auto const authority = scheme == std::string::npos ? 0 : scheme + 3;
    auto path_end = url.find_first_of("?#", authority);
    if (path_end == std::string::npos) path_end = url.size();
    auto path = url.find('/', authority);
    if (path == std::string::npos || path > path_end) path = path_end;
    return url.substr(0, path) + "/" + name + url.substr(path_end);
}

std::optional<postgres_database> postgres_database::create(std::string* why) {
    auto server_url = postgres_server_url(why);
    if (!server_url) return std::nullopt;
    std::string name = unique_database_name();
    if (!execute(*server_url, fmt::format("CREATE DATABASE \"{}\"", name), why)) {
        return std::nullopt;
    }
    std::string url = with_database(*server_url, name);
    return postgres_database{std::move(*server_url), std::move(name), std::move(url)};
}

postgres_database::postgres_database(std::string server_url, std::string name, std::string url)
    : server_url_{std::move(server_url)}, name_{std::move(name)}, url_{std::move(url)} {}

postgres_database::postgres_database(postgres_database&& other) noexcept
    : server_url_{std::move(other.server_url_)},
      name_{std::exchange(other.name_, {})},
      url_{std::move(other.url_)} {}

postgres_database& postgres_database::operator=(postgres_database&& other) noexcept {
    if (this != &other) {
        drop();
        server_url_ = std::move(other.server_url_);
        name_ = std::exchange(other.name_, {});
        url_ = std::move(other.url_);
    }
    return *this;
}

postgres_database::~postgres_database() { drop(); }

void postgres_database::drop() noexcept {
    if (name_.empty()) return;
    try {
        std::string why;
        // FORCE: a connection the test left open (a pool not yet closed) does not keep it alive.
        if (!execute(server_url_, fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name_),
                     &why)) {
            std::fprintf(stderr, "warning: test database %s not dropped: %s\n", name_.c_str(),
                         why.c_str());
        }
    } catch (std::exception const& e) {
        std::fprintf(stderr, "warning: test database %s not dropped: %s\n", name_.c_str(),
                     e.what());
    }
    name_.clear();
}

postgres_outcome require_postgres(std::optional<postgres_database>& db, std::string* why) {
    db.reset();
    if (!postgres_server_url(why)) {
        return postgres_required() ? postgres_outcome::fail : postgres_outcome::skip;
    }
    db = postgres_database::create(why);
    return db ? postgres_outcome::ready : postgres_outcome::fail;
}

}  // namespace warden::test
