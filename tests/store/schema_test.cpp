// Opening SQLite files: migrations, foreign files, unwritable places.
#include "store/sqlite/schema.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <vector>

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warden/store.hpp>

#include "store_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/without_permission_override.hpp"

namespace warden::store {
namespace {

using test::sqlite_url;

// Raw access to a database file, outside the store (to inspect or tamper with it).
class raw_db {
  public:
    explicit raw_db(std::filesystem::path const& file) {
        EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK);
    }
    raw_db(raw_db const&) = delete;
    raw_db& operator=(raw_db const&) = delete;
    ~raw_db() { sqlite3_close(db_); }
    void exec(char const* sql) {
        EXPECT_EQ(sqlite3_exec(db_, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    }
    std::string text(char const* sql) {
        sqlite3_stmt* s = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db_, sql, -1, &s, nullptr), SQLITE_OK) << sql;
        std::string out;
        if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
            out = reinterpret_cast<char const*>(sqlite3_column_text(s, 0));
        }
        sqlite3_finalize(s);
        return out;
    }

  private:
    sqlite3* db_ = nullptr;
};

using test::without_permission_override;

TEST(schema, a_new_database_gets_the_current_version_wal_and_the_warden_id) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    std::string why;
    ASSERT_TRUE(open(sqlite_url(file), &why).has_value()) << why;
    raw_db db{file};
    EXPECT_EQ(db.text("PRAGMA user_version"), std::to_string(sqlite_schema_version()));
    EXPECT_EQ(db.text("PRAGMA application_id"), std::to_string(sqlite_application_id));
    EXPECT_EQ(db.text("PRAGMA journal_mode"), "wal");
}

TEST(schema, opening_twice_keeps_the_data) {
    test::temp_dir dir;
    auto const url = sqlite_url(dir.path() / "w.db");
    user_id id = 0;
    {
        auto s = open(url);
        ASSERT_TRUE(s.has_value());
        id = s->users->create_user({.email = "keep@x.io", .password_hash = "h"}, 1)->id;
        ASSERT_TRUE(s->revocations->revoke_jti("j", 100));
    }
    for (int i = 0; i < 2; ++i) {
        auto s = open(url);
        ASSERT_TRUE(s.has_value());
        EXPECT_EQ(s->users->find_user(id)->email, "keep@x.io");
        EXPECT_TRUE(*s->revocations->is_revoked("j"));
    }
}

TEST(schema, two_stores_on_one_file_see_each_others_writes) {
    test::temp_dir dir;
    auto const url = sqlite_url(dir.path() / "w.db");
    auto a = open(url);
    auto b = open(url);
    ASSERT_TRUE(a.has_value() && b.has_value());
    auto const u = a->users->create_user({.email = "x@x.io", .password_hash = "h"}, 1);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(b->users->find_user(u->id)->email, "x@x.io");
    EXPECT_EQ(b->users->create_user({.email = "X@x.io", .password_hash = "h"}, 1).error(),
              errc::email_taken);
}

TEST(schema, concurrent_first_opens_migrate_once) {
    test::temp_dir dir;
    auto const url = sqlite_url(dir.path() / "w.db");
    std::vector<std::jthread> threads;
    std::atomic<int> opened{0};
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            std::string why;
            auto s = open(url, &why);
            EXPECT_TRUE(s.has_value()) << why;
            if (s) ++opened;
        });
    }
    threads.clear();
    EXPECT_EQ(opened.load(), 4);
    raw_db db{dir.path() / "w.db"};
    EXPECT_EQ(db.text("PRAGMA user_version"), std::to_string(sqlite_schema_version()));
}

TEST(schema, a_newer_schema_is_refused_with_a_clear_error) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    ASSERT_TRUE(open(sqlite_url(file)).has_value());
    raw_db{file}.exec("PRAGMA user_version = 99");
    std::string why;
    auto r = open(sqlite_url(file), &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::migration_failed);
    EXPECT_EQ(r.error(), condition::invalid_configuration);
    EXPECT_NE(why.find("version 99"), std::string::npos) << why;
    EXPECT_NE(why.find("newer"), std::string::npos) << why;
    EXPECT_EQ(raw_db{file}.text("PRAGMA user_version"), "99");  // left alone
}

TEST(schema, a_file_that_is_not_a_database_is_refused) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    std::ofstream{file} << std::string(8192, 'x');
    std::string why;
    auto r = open(sqlite_url(file), &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("not a database"), std::string::npos) << why;
}

TEST(schema, another_applications_database_is_refused) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    raw_db{file}.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY)");
    std::string why;
    auto r = open(sqlite_url(file), &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::migration_failed);
    EXPECT_NE(why.find("not a warden database"), std::string::npos) << why;
    EXPECT_EQ(raw_db{file}.text("SELECT count(*) FROM sqlite_schema"), "1");  // untouched

    auto const other = dir.path() / "other.db";
    raw_db{other}.exec("PRAGMA application_id = 1234");
    EXPECT_EQ(open(sqlite_url(other)).error(), errc::migration_failed);
}

TEST(schema, a_missing_directory_is_unavailable) {
    test::temp_dir dir;
    std::string why;
    auto r = open(sqlite_url(dir.path() / "missing" / "w.db"), &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_EQ(r.error(), condition::unavailable);
    EXPECT_NE(why.find("cannot open"), std::string::npos) << why;
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing"));
}

TEST(schema, a_directory_that_is_not_writable_is_unavailable) {
    test::temp_dir dir;
    auto const ro = dir.path() / "ro";
    std::filesystem::create_directory(ro);
    ASSERT_EQ(chmod(ro.c_str(), 0555), 0);
    std::string why;
    result<backends> r = errc::backend_error;
    {
        without_permission_override as_a_plain_user;
        r = open(sqlite_url(ro / "w.db"), &why);
    }
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("cannot open"), std::string::npos) << why;
    chmod(ro.c_str(), 0755);
}

TEST(schema, a_database_in_a_directory_that_became_read_only_is_unavailable) {
    test::temp_dir dir;
    auto const ro = dir.path() / "ro";
    std::filesystem::create_directory(ro);
    ASSERT_TRUE(open(sqlite_url(ro / "w.db")).has_value());  // closed again: -wal/-shm removed
    ASSERT_EQ(chmod(ro.c_str(), 0555), 0);
    std::string why;
    result<backends> r = errc::backend_error;
    {
        without_permission_override as_a_plain_user;
        r = open(sqlite_url(ro / "w.db"), &why);
    }
    chmod(ro.c_str(), 0755);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("cannot use"), std::string::npos) << why;
}

TEST(schema, a_read_only_file_is_unavailable) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    ASSERT_TRUE(open(sqlite_url(file)).has_value());
    ASSERT_EQ(chmod(file.c_str(), 0444), 0);
    std::string why;
    result<backends> r = errc::backend_error;
    {
        without_permission_override as_a_plain_user;
        r = open(sqlite_url(file), &why);
    }
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("read-only"), std::string::npos) << why;
}

// migrate() with lists of migrations other than the built-in one.
class migrations : public ::testing::Test {
  protected:
    std::unique_ptr<sqlite_connection> connect() {
        std::string why;
        auto c = sqlite_connection::open((dir_.path() / "m.db").string(), 1000, &why);
        EXPECT_TRUE(c.has_value()) << why;
        return c ? std::move(*c) : nullptr;
    }
    std::string version() { return raw_db{dir_.path() / "m.db"}.text("PRAGMA user_version"); }

    test::temp_dir dir_;
    sqlite_migration const first_ = sqlite_migrations().front();
};

TEST_F(migrations, apply_in_order_and_only_once) {
    std::vector<sqlite_migration> const list{first_, {2, "CREATE TABLE extra (x INTEGER) STRICT"}};
    auto c = connect();
    std::string why;
    ASSERT_TRUE(migrate(*c, list, &why)) << why;
    EXPECT_EQ(version(), "2");
    ASSERT_TRUE(migrate(*c, list, &why)) << why;  // CREATE TABLE again would fail
    EXPECT_EQ(version(), "2");
}

TEST_F(migrations, upgrade_an_older_database) {
    auto c = connect();
    ASSERT_TRUE(migrate(*c, std::vector<sqlite_migration>{first_}, nullptr));
    EXPECT_EQ(version(), "1");
    std::vector<sqlite_migration> const list{first_, {2, "CREATE TABLE extra (x INTEGER) STRICT"}};
    ASSERT_TRUE(migrate(*c, list, nullptr));
    EXPECT_EQ(version(), "2");
    EXPECT_EQ(raw_db{dir_.path() / "m.db"}.text("SELECT count(*) FROM users"), "0");
}

TEST_F(migrations, a_failing_migration_is_rolled_back_whole) {
    auto c = connect();
    std::vector<sqlite_migration> const list{
        first_, {2, "CREATE TABLE extra (x INTEGER) STRICT; INSERT INTO no_such_table VALUES (1)"}};
    std::string why;
    auto r = migrate(*c, list, &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::migration_failed);
    EXPECT_NE(why.find("migration 2"), std::string::npos) << why;
    EXPECT_NE(why.find("no_such_table"), std::string::npos) << why;
    EXPECT_EQ(version(), "1");  // migration 1 committed on its own, 2 not at all
    EXPECT_EQ(raw_db{dir_.path() / "m.db"}.text(
                  "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"),
              "0");
}

TEST_F(migrations, a_database_ahead_of_the_list_is_refused) {
    auto c = connect();
    std::vector<sqlite_migration> const list{first_, {2, "CREATE TABLE extra (x INTEGER) STRICT"}};
    ASSERT_TRUE(migrate(*c, list, nullptr));
    std::string why;
    auto r = migrate(*c, std::vector<sqlite_migration>{first_}, &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::migration_failed);
    EXPECT_NE(why.find("newer than this build knows (1)"), std::string::npos) << why;
}

TEST_F(migrations, a_version_1_database_gets_the_change_feed_and_keeps_its_users) {
    {
        auto c = connect();
        ASSERT_TRUE(migrate(*c, std::vector<sqlite_migration>{first_}, nullptr));
    }
    auto const file = dir_.path() / "m.db";
    raw_db{file}.exec(
        "INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at,"
        " updated_at) VALUES ('a@x.io', 'h', 'A', 1, '', 1, 1)");
    std::string why;
    auto s = open(sqlite_url(file), &why);
    ASSERT_TRUE(s.has_value()) << why;
    EXPECT_EQ(version(), std::to_string(sqlite_schema_version()));
    auto const start = s->feed->feed_end().value();
    EXPECT_EQ(start, "0");
    user_update rename;
    rename.full_name = "B";
    ASSERT_TRUE(s->users->update_user(1, rename, 2));
    auto page = s->feed->read_feed(start, 10);
    ASSERT_TRUE(page.has_value());
    ASSERT_EQ(page->entries.size(), 1U);
    EXPECT_EQ(page->entries[0].user, 1);
}

TEST_F(migrations, a_version_2_database_gets_the_keys_and_clients_and_keeps_its_users) {
    {
        auto c = connect();
        auto const first_two = sqlite_migrations().first(2);
        ASSERT_TRUE(migrate(*c, first_two, nullptr));
    }
    auto const file = dir_.path() / "m.db";
    raw_db{file}.exec(
        "INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at,"
        " updated_at) VALUES ('a@x.io', 'h', 'A', 1, '', 1, 1)");
    std::string why;
    auto s = open(sqlite_url(file), &why);
    ASSERT_TRUE(s.has_value()) << why;
    EXPECT_EQ(version(), std::to_string(sqlite_schema_version()));
    EXPECT_EQ(s->users->find_user(1)->email, "a@x.io");
    EXPECT_EQ(*s->keys->key_set_revision(), 0);
    EXPECT_TRUE(s->keys->signing_keys()->empty());
    EXPECT_TRUE(s->clients->clients()->empty());
}

TEST_F(migrations, a_version_3_database_gets_migration_4_and_its_users_stay_unverified) {
    {
        auto c = connect();
        ASSERT_TRUE(migrate(*c, sqlite_migrations().first(3), nullptr));
    }
    EXPECT_EQ(version(), "3");
    auto const file = dir_.path() / "m.db";
    raw_db{file}.exec(
        "INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at,"
        " updated_at) VALUES ('a@x.io', 'h', 'A', 1, '', 1, 1)");
    std::string why;
    auto s = open(sqlite_url(file), &why);
    ASSERT_TRUE(s.has_value()) << why;
    EXPECT_EQ(version(), "4");
    auto const u = s->users->find_user(1);
    ASSERT_TRUE(u.has_value());
    EXPECT_EQ(u->email, "a@x.io");
    EXPECT_FALSE(u->is_verified);
    EXPECT_EQ(s->totp->totp_of(1).error(), errc::not_found);
    EXPECT_EQ(s->one_time_tokens->redeem_verification("x", 1).error(), errc::not_found);
}

// The tables of migration 4 refuse rows no call writes, whoever writes.
TEST(schema, the_tables_of_migration_4_refuse_bad_rows) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    ASSERT_TRUE(open(sqlite_url(file)).has_value());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
    auto const rc = [db](char const* sql) {
        return sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    };
    ASSERT_EQ(rc("INSERT INTO users (email, password_hash, full_name, is_active, scopes,"
                 " created_at, updated_at) VALUES ('a@x.io', 'h', 'A', 1, '', 1, 1)"),
              SQLITE_OK);
    EXPECT_EQ(rc("UPDATE users SET is_verified = 2"), SQLITE_CONSTRAINT_CHECK);
    EXPECT_EQ(rc("INSERT INTO one_time_tokens (token_hash, kind, user_id, created_at, expires_at)"
                 " VALUES (x'01', 'login', 1, 1, 2)"),
              SQLITE_CONSTRAINT_CHECK);
    EXPECT_EQ(rc("INSERT INTO one_time_tokens (token_hash, kind, user_id, created_at, expires_at)"
                 " VALUES (x'01', 'verify', 99, 1, 2)"),
              SQLITE_CONSTRAINT_FOREIGNKEY);
    EXPECT_EQ(rc("INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (1, x'01')"),
              SQLITE_CONSTRAINT_FOREIGNKEY);
    EXPECT_EQ(rc("INSERT INTO totp (user_id, sealed_secret, last_accepted_step, created_at)"
                 " VALUES (1, x'', 0, 1)"),
              SQLITE_CONSTRAINT_CHECK);
    sqlite3_close(db);
}

// The schema itself keeps at most one current key and bumps the revision, whoever writes.
TEST(schema, one_key_is_current_and_every_key_change_bumps_the_revision) {
    test::temp_dir dir;
    auto const file = dir.path() / "w.db";
    ASSERT_TRUE(open(sqlite_url(file)).has_value());
    raw_db db{file};
    db.exec(
        "INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_key, created_at,"
        " activated_at) VALUES ('a', 'ES256', '{}', x'00', 1, 1)");
    EXPECT_EQ(db.text("SELECT revision FROM signing_key_revision"), "1");
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &raw), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(raw,
                           "INSERT INTO signing_keys (kid, algorithm, public_jwk,"
                           " sealed_private_key, created_at, activated_at)"
                           " VALUES ('b', 'ES256', '{}', x'00', 2, 2)",
                           nullptr, nullptr, nullptr),
              SQLITE_CONSTRAINT);
    // An expiry without a retirement is refused too.
    EXPECT_EQ(sqlite3_exec(raw,
                           "INSERT INTO signing_keys (kid, algorithm, public_jwk,"
                           " sealed_private_key, created_at, expires_at)"
                           " VALUES ('c', 'ES256', '{}', x'00', 2, 9)",
                           nullptr, nullptr, nullptr),
              SQLITE_CONSTRAINT);
    sqlite3_close(raw);
    EXPECT_EQ(db.text("SELECT revision FROM signing_key_revision"), "1");  // refused: no bump
    db.exec("UPDATE signing_keys SET retired_at = 5, expires_at = 6 WHERE kid = 'a'");
    db.exec("DELETE FROM signing_keys");
    EXPECT_EQ(db.text("SELECT revision FROM signing_key_revision"), "3");
}

}  // namespace
}  // namespace warden::store
