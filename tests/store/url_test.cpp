// Database URLs: SQLAlchemy's sqlite forms, PostgreSQL, everything else refused.
#include "store/url.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include <warden/store.hpp>

#include "support/temp_dir.hpp"

namespace warden::store {
namespace {

using backend = database_url::backend;

std::string path_of(std::string_view url) {
    std::string why;
    auto r = parse_database_url(url, &why);
    EXPECT_TRUE(r.has_value()) << url << ": " << why;
    if (!r) return {};
    EXPECT_EQ(r->kind, backend::sqlite);
    return r->path;
}

TEST(database_url, sqlite_paths_are_everything_after_three_slashes) {
    EXPECT_EQ(path_of("sqlite:///warden.db"), "warden.db");
    EXPECT_EQ(path_of("sqlite:///./warden-data/warden.db"), "./warden-data/warden.db");
    EXPECT_EQ(path_of("sqlite:///../up/warden.db"), "../up/warden.db");
    EXPECT_EQ(path_of("sqlite:////var/lib/warden/warden.db"), "/var/lib/warden/warden.db");
    EXPECT_EQ(path_of("sqlite:///with space/%41.db"), "with space/%41.db");  // taken literally
    EXPECT_EQ(path_of("SQLite:///x.db"), "x.db");  // scheme case-insensitive
}

TEST(database_url, postgresql_urls_are_recognised) {
    for (auto const* url : {"postgresql://u:p@localhost:5432/warden", "postgres://localhost/warden",
                            "POSTGRESQL://h/db"}) {
        auto r = parse_database_url(url, nullptr);
        ASSERT_TRUE(r.has_value()) << url;
        EXPECT_EQ(r->kind, backend::postgresql);
    }
}

TEST(database_url, refuses_everything_else) {
    for (std::string_view url : {"",
                                 "warden.db",
                                 "/var/lib/warden.db",
                                 "sqlite",
                                 "sqlite:",
                                 "sqlite:x.db",
                                 "sqlite:/x.db",
                                 "sqlite://x.db",
                                 "sqlite://host/x.db",
                                 "sqlite://",
                                 "sqlite:///",
                                 "sqlite:///:memory:",
                                 "sqlite:///x.db?mode=ro",
                                 "sqlite:///x.db#frag",
                                 "sqlite+pysqlite:///x.db",
                                 "sqlite3:///x.db",
                                 "mysql://u@h/db",
                                 "redis://localhost",
                                 "http://example.com/x.db",
                                 "file:///x.db",
                                 "postgresql+psycopg2://h/db",
                                 ":///x.db"}) {
        std::string why;
        auto r = parse_database_url(url, &why);
        ASSERT_FALSE(r.has_value()) << url;
        EXPECT_EQ(r.error(), errc::bad_url) << url;
        EXPECT_EQ(r.error(), condition::invalid_configuration);
        EXPECT_FALSE(why.empty()) << url;
    }
    EXPECT_FALSE(parse_database_url(std::string_view{"sqlite:///a\0b", 13}, nullptr).has_value());
}

TEST(database_url, explains_memory_databases) {
    std::string why;
    ASSERT_FALSE(parse_database_url("sqlite:///:memory:", &why).has_value());
    EXPECT_NE(why.find("memory"), std::string::npos) << why;
}

TEST(store_open, an_unreachable_postgresql_is_unavailable_after_the_connect_timeout) {
    std::string why;
    auto const started = std::chrono::steady_clock::now();
    // Port 1 on loopback: nothing listens, every attempt is refused at once.
    auto r = open("postgresql://warden:secret@127.0.0.1:1/warden",
                  {.connect_timeout = std::chrono::milliseconds{400}}, &why);
    auto const waited = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_GE(waited, std::chrono::milliseconds{400});  // retried until the timeout
    EXPECT_EQ(why.find("secret"), std::string::npos) << why;
    EXPECT_NE(why.find("postgresql://warden:***@127.0.0.1:1/warden"), std::string::npos) << why;
}

TEST(store_open, refuses_bad_urls_without_touching_the_disk) {
    std::string why;
    auto r = open("mysql://localhost/warden", &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::bad_url);
    EXPECT_NE(why.find("mysql"), std::string::npos) << why;
    EXPECT_EQ(open("sqlite:///:memory:").error(), errc::bad_url);  // without `why`
}

// Runs `f` with `dir` as the working directory.
template <class F>
void in_directory(std::filesystem::path const& dir, F f) {
    auto const before = std::filesystem::current_path();
    std::filesystem::current_path(dir);
    f();
    std::filesystem::current_path(before);
}

TEST(store_open, relative_paths_are_relative_to_the_working_directory) {
    test::temp_dir dir;
    std::filesystem::create_directory(dir.path() / "warden-data");
    in_directory(dir.path(), [] {
        std::string why;
        ASSERT_TRUE(open("sqlite:///./warden-data/warden.db", &why).has_value()) << why;
        ASSERT_TRUE(open("sqlite:///warden.db", &why).has_value()) << why;
    });
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "warden-data" / "warden.db"));
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "warden.db"));
}

TEST(store_open, absolute_paths_take_four_slashes) {
    test::temp_dir dir;
    auto const file = dir.path() / "abs.db";
    ASSERT_TRUE(file.is_absolute());
    std::string why;
    ASSERT_TRUE(open("sqlite:///" + file.string(), &why).has_value()) << why;
    EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(store_open, a_path_starting_with_file_colon_is_a_file_name_not_a_uri) {
    test::temp_dir dir;
    in_directory(dir.path(), [] {
        std::string why;
        ASSERT_TRUE(open("sqlite:///file:odd.db", &why).has_value()) << why;
    });
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "file:odd.db"));
}

}  // namespace
}  // namespace warden::store
