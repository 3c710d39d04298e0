#pragma once
// A fresh SQLite store in a temp directory for each test.
#include <string>

#include <gtest/gtest.h>

#include <warden/store.hpp>

#include "support/temp_dir.hpp"

namespace warden::test {

/// `sqlite:///` + an absolute path: the SQLAlchemy form with four slashes.
inline std::string sqlite_url(std::filesystem::path const& file) {
    return "sqlite:///" + file.string();
}

class store_test : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        auto r = store::open(sqlite_url(db_file()), &why);
        ASSERT_TRUE(r.has_value()) << why;
        s_ = *r;
    }

    [[nodiscard]] std::filesystem::path db_file() const { return dir_.path() / "warden.db"; }

    /// A user with a unique email, created at `now`.
    store::user add_user(std::string const& email, std::int64_t now = 1000) {
        auto r = s_.users->create_user(
            {.email = email, .password_hash = "$argon2id$x", .full_name = "N"}, now);
        EXPECT_TRUE(r.has_value()) << email;
        return r.has_value() ? *r : store::user{};
    }

    temp_dir dir_;
    store::backends s_;
};

}  // namespace warden::test
