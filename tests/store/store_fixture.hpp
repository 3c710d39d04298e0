#pragma once
// The store test suite runs on every backend from one source: a fresh store per test, on SQLite
// (a temp file) or on PostgreSQL (a fresh database on the shared test cluster), each also with a
// throwaway Redis holding the revocation list and the counters. Each test file writes TEST_P and
// instantiates its suites with WARDEN_ON_EVERY_BACKEND.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <warden/store.hpp>

#include "support/numbered.hpp"
#include "support/postgres_database.hpp"
#include "support/redis_server.hpp"
#include "support/temp_dir.hpp"

namespace warden::test {

/// `sqlite:///` + an absolute path: the SQLAlchemy form with four slashes.
inline std::string sqlite_url(std::filesystem::path const& file) {
    return "sqlite:///" + file.string();
}

enum class backend { sqlite, postgresql, sqlite_redis, postgresql_redis };

inline char const* to_string(backend b) noexcept {
    switch (b) {
        case backend::sqlite:
            return "sqlite";
        case backend::postgresql:
            return "postgresql";
        case backend::sqlite_redis:
            return "sqlite_redis";
        case backend::postgresql_redis:
            return "postgresql_redis";
    }
    return "?";
}
inline std::string backend_name(::testing::TestParamInfo<backend> const& info) {
    return to_string(info.param);
}
/// GoogleTest prints the parameter by this (CTest case names show it).
inline void PrintTo(backend b, std::ostream* out) { *out << to_string(b); }

class store_test : public ::testing::TestWithParam<backend> {
  protected:
    void SetUp() override {
        if (GetParam() == backend::postgresql || GetParam() == backend::postgresql_redis) {
            WARDEN_REQUIRE_POSTGRES(database_);
            url_ = database_->url();
        } else {
            url_ = sqlite_url(dir_.path() / "warden.db");
        }
        if (uses_redis()) {
            WARDEN_REQUIRE_REDIS_SERVER();
            redis_.emplace();
            options_.redis_url = redis_->url();
        }
        std::string why;
        auto r = store::open(url_, options_, &why);
        ASSERT_TRUE(r.has_value()) << why;
        s_ = *r;
    }

    /// A second, independent store on the same database: another process, as far as the
    /// database can tell (its own connections).
    [[nodiscard]] store::backends open_again() const {
        std::string why;
        auto r = store::open(url_, options_, &why);
        EXPECT_TRUE(r.has_value()) << why;
        return r.has_value() ? *r : store::backends{};
    }

    /// The URL of another empty database of this test's backend (`n` distinct for each call in
    /// one test), for tests that need several fresh stores; open it with `open_at`.
    [[nodiscard]] std::string fresh_database(int n) {
        if (GetParam() == backend::sqlite || GetParam() == backend::sqlite_redis) {
            return sqlite_url(dir_.path() / numbered("fresh-", n, ".db"));
        }
        std::string why;
        auto db = postgres_database::create(&why);
        EXPECT_TRUE(db.has_value()) << why;
        if (!db) return {};
        more_databases_.push_back(std::move(*db));
        return more_databases_.back().url();
    }

    /// A store on `url` with this test's options (Redis included).
    [[nodiscard]] store::backends open_at(std::string const& url) const {
        std::string why;
        auto r = store::open(url, options_, &why);
        EXPECT_TRUE(r.has_value()) << why;
        return r.has_value() ? *r : store::backends{};
    }

    /// A user with a unique email, created at `now`.
    store::user add_user(std::string const& email, std::int64_t now = 1000) {
        auto r = s_.users->create_user(
            {.email = email, .password_hash = "$argon2id$x", .full_name = "N"}, now);
        EXPECT_TRUE(r.has_value()) << email;
        return r.has_value() ? *r : store::user{};
    }

    /// Redis keeps the revocation list and the counters.
    [[nodiscard]] bool uses_redis() const {
        return GetParam() == backend::sqlite_redis || GetParam() == backend::postgresql_redis;
    }

    temp_dir dir_;
    std::optional<postgres_database> database_;
    std::vector<postgres_database> more_databases_;  ///< fresh_database's, dropped at the end
    std::optional<redis_server> redis_;
    store::open_options options_;
    std::string url_;
    store::backends s_;
};

}  // namespace warden::test

/// Runs every TEST_P of `suite` on SQLite and on PostgreSQL, each without and with Redis.
#define WARDEN_ON_EVERY_BACKEND(suite)                                                          \
    INSTANTIATE_TEST_SUITE_P(                                                                   \
        on, suite,                                                                              \
        ::testing::Values(::warden::test::backend::sqlite, ::warden::test::backend::postgresql, \
                          ::warden::test::backend::sqlite_redis,                                \
                          ::warden::test::backend::postgresql_redis),                           \
        ::warden::test::backend_name)
