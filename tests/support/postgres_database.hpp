#pragma once
// A fresh PostgreSQL database per test, on the shared throwaway cluster that CTest starts (the
// fixture `postgres_server`: tests/support/test_servers.py). A test that needs one is marked
// FIXTURES_REQUIRED postgres_server (warden_test(... FIXTURE ${WARDEN_POSTGRES_FIXTURE})) and
// writes in its SetUp:
//
//     std::optional<warden::test::postgres_database> db_;
//     void SetUp() override { WARDEN_REQUIRE_POSTGRES(db_); }   // then db_->url()
//
// No cluster (the server binaries are missing): the test skips with the reason, or fails when
// CI=true. A cluster that is configured but does not answer: the test fails.
#include <optional>
#include <string>

namespace warden::test {

/// The shared test cluster's URL (`postgresql://warden@127.0.0.1:PORT/postgres`): the
/// environment's WARDEN_TEST_POSTGRES_URL (an existing server), else the first line of the file
/// that WARDEN_TEST_POSTGRES_URL_FILE names (default: this build's test-servers/postgres/url).
/// nullopt with *why when there is none.
[[nodiscard]] std::optional<std::string> postgres_server_url(std::string* why);

/// True when CI=true in the environment: a test that needs PostgreSQL fails instead of skipping.
[[nodiscard]] bool postgres_required();

/// A new empty database with a unique name (pid, counter and random bits, so parallel test
/// processes never collide) on the shared cluster; dropped `WITH (FORCE)` on destruction.
class postgres_database {
  public:
    /// Creates the database; nullopt with *why when there is no cluster or it refuses.
    [[nodiscard]] static std::optional<postgres_database> create(std::string* why);

    postgres_database(postgres_database&& other) noexcept;
    postgres_database& operator=(postgres_database&& other) noexcept;
    postgres_database(postgres_database const&) = delete;
    postgres_database& operator=(postgres_database const&) = delete;
    ~postgres_database();

    /// `postgresql://warden@127.0.0.1:PORT/<name>`: the server URL with this database's name.
    [[nodiscard]] std::string const& url() const noexcept { return url_; }
    [[nodiscard]] std::string const& name() const noexcept { return name_; }

  private:
    postgres_database(std::string server_url, std::string name, std::string url);
    void drop() noexcept;

    std::string server_url_;
    std::string name_;
    std::string url_;
};

/// What a test does when it needs PostgreSQL.
enum class postgres_outcome {
    ready,  ///< `db` holds a fresh database
    skip,   ///< no cluster and not CI: skip with *why
    fail,   ///< no cluster under CI=true, or the cluster did not create the database: fail
};

/// Fills `db` with a fresh database, or says why not and whether to skip or fail.
[[nodiscard]] postgres_outcome require_postgres(std::optional<postgres_database>& db,
                                                std::string* why);

/// `url` with its database (the path) replaced by `name`; query parameters are kept.
[[nodiscard]] std::string with_database(std::string const& url, std::string const& name);

}  // namespace warden::test

/// In a GoogleTest SetUp (or test body): fills `db` (a std::optional<postgres_database>), or skips
/// the test (GTEST_SKIP), or fails it (FAIL), as require_postgres says. Returns from the function
/// unless the database is ready.
#define WARDEN_REQUIRE_POSTGRES(db)                                              \
    do {                                                                         \
        std::string warden_postgres_why_;                                        \
        switch (::warden::test::require_postgres((db), &warden_postgres_why_)) { \
            case ::warden::test::postgres_outcome::ready:                        \
                break;                                                           \
            case ::warden::test::postgres_outcome::skip:                         \
                GTEST_SKIP() << warden_postgres_why_;                            \
            case ::warden::test::postgres_outcome::fail:                         \
                FAIL() << warden_postgres_why_;                                  \
        }                                                                        \
    } while (false)
