#pragma once
// The store test suite runs on every backend from one source: a fresh store per test, on SQLite
// (a temp file) or on PostgreSQL (a fresh database on the shared test cluster). Each test file
// writes TEST_P and instantiates its suites with WARDEN_ON_EVERY_BACKEND.
#include <optional>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include <warden/store.hpp>

#include "support/postgres_database.hpp"
#include "support/temp_dir.hpp"

namespace warden::test {

/// `sqlite:///` + an absolute path: the SQLAlchemy form with four slashes.
inline std::string sqlite_url(std::filesystem::path const& file) {
    return "sqlite:///" + file.string();
}

enum class backend { sqlite, postgresql };

inline char const* to_string(backend b) noexcept {
    return b == backend::sqlite ? "sqlite" : "postgresql";
}
inline std::string backend_name(::testing::TestParamInfo<backend> const& info) {
    return to_string(info.param);
}
/// GoogleTest prints the parameter by this (CTest case names show it).
inline void PrintTo(backend b, std::ostream* out) { *out << to_string(b); }

class store_test : public ::testing::TestWithParam<backend> {
  protected:
    void SetUp() override {
        if (GetParam() == backend::postgresql) {
            WARDEN_REQUIRE_POSTGRES(database_);
            url_ = database_->url();
        } else {
            url_ = sqlite_url(dir_.path() / "warden.db");
        }
        std::string why;
        auto r = store::open(url_, &why);
        ASSERT_TRUE(r.has_value()) << why;
        s_ = *r;
    }

    /// A second, independent store on the same database: another process, as far as the
    /// database can tell (its own connections).
    [[nodiscard]] store::backends open_again() const {
        std::string why;
        auto r = store::open(url_, &why);
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

    temp_dir dir_;
    std::optional<postgres_database> database_;
    std::string url_;
    store::backends s_;
};

}  // namespace warden::test

/// Runs every TEST_P of `suite` on SQLite and on PostgreSQL.
#define WARDEN_ON_EVERY_BACKEND(suite)                                                           \
    INSTANTIATE_TEST_SUITE_P(                                                                    \
        on, suite,                                                                               \
        ::testing::Values(::warden::test::backend::sqlite, ::warden::test::backend::postgresql), \
        ::warden::test::backend_name)
