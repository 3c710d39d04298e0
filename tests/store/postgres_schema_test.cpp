// The PostgreSQL schema: versioned migrations at open, serialized across processes by an
// advisory lock; a newer schema or another application's tables are refused.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <libpq-fe.h>

#include <warden/store.hpp>

#include "store/postgres/schema.hpp"
#include "support/postgres_database.hpp"

namespace warden::store {
namespace {

class postgres_schema : public ::testing::Test {
  protected:
    void SetUp() override { WARDEN_REQUIRE_POSTGRES(db_); }

    // Runs `sql` on the test database; the first column of the first row, "" if none.
    std::string sql(std::string const& text) {
        std::unique_ptr<PGconn, decltype(&PQfinish)> c{PQconnectdb(db_->url().c_str()), PQfinish};
        EXPECT_EQ(PQstatus(c.get()), CONNECTION_OK) << PQerrorMessage(c.get());
        std::unique_ptr<PGresult, decltype(&PQclear)> r{PQexec(c.get(), text.c_str()), PQclear};
        auto const status = PQresultStatus(r.get());
        EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            << text << ": " << PQerrorMessage(c.get());
        if (status != PGRES_TUPLES_OK || PQntuples(r.get()) == 0) return "";
        return PQgetvalue(r.get(), 0, 0);
    }

    std::optional<test::postgres_database> db_;
};

TEST_F(postgres_schema, a_fresh_database_gets_the_schema_and_reopening_changes_nothing) {
    std::string why;
    ASSERT_TRUE(open(db_->url(), &why).has_value()) << why;
    EXPECT_EQ(sql("SELECT version FROM warden_schema"), "4");
    auto first = open(db_->url(), &why);
    ASSERT_TRUE(first.has_value()) << why;
    ASSERT_TRUE(first->users->create_user({.email = "a@x.io", .password_hash = "h"}, 1));
    ASSERT_TRUE(open(db_->url(), &why).has_value()) << why;
    EXPECT_EQ(sql("SELECT count(*) FROM warden_schema"), "1");
    EXPECT_EQ(sql("SELECT count(*) FROM users"), "1");
}

TEST_F(postgres_schema, processes_opening_at_once_apply_each_migration_once) {
    constexpr int openers = 6;
    // Not vector<bool>: its packed bits are one shared word, a race between the threads.
    std::vector<char> opened(openers, 0);
    std::vector<std::string> reasons(openers);
    {
        std::vector<std::jthread> threads;
        for (int i = 0; i < openers; ++i) {
            threads.emplace_back([&, i] {
                opened[static_cast<std::size_t>(i)] = static_cast<char>(
                    open(db_->url(), &reasons[static_cast<std::size_t>(i)]).has_value());
            });
        }
    }
    for (int i = 0; i < openers; ++i) {
        EXPECT_EQ(opened[static_cast<std::size_t>(i)], 1) << reasons[static_cast<std::size_t>(i)];
    }
    EXPECT_EQ(sql("SELECT version FROM warden_schema"), "4");
    EXPECT_EQ(sql("SELECT count(*) FROM warden_schema"), "1");
}

TEST_F(postgres_schema, a_newer_schema_is_refused_with_a_clear_message) {
    ASSERT_TRUE(open(db_->url()).has_value());
    sql("UPDATE warden_schema SET version = 7");
    std::string why;
    auto r = open(db_->url(), &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::migration_failed);
    EXPECT_NE(why.find("version 7, newer than this build knows (4)"), std::string::npos) << why;
    EXPECT_EQ(sql("SELECT version FROM warden_schema"), "7");  // left as it was
}

TEST_F(postgres_schema, another_applications_users_table_is_refused_and_left_alone) {
    sql("CREATE TABLE users (name text)");
    sql("INSERT INTO users VALUES ('theirs')");
    std::string why;
    auto r = open(db_->url(), &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::migration_failed);
    EXPECT_NE(why.find("not a warden database"), std::string::npos) << why;
    EXPECT_EQ(sql("SELECT name FROM users"), "theirs");
    EXPECT_EQ(sql("SELECT to_regclass('warden_schema') IS NULL"), "t");
}

TEST_F(postgres_schema, emails_are_unique_in_ascii_case_only) {
    ASSERT_TRUE(open(db_->url()).has_value());
    sql("INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at, "
        "updated_at) VALUES ('Ada@X.io', 'h', '', true, '', 1, 1)");
    auto s = open(db_->url());
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->users->create_user({.email = "ada@x.IO", .password_hash = "h"}, 1).error(),
              errc::email_taken);
    // Non-ASCII letters compare exactly, as on SQLite (the application folds them first).
    ASSERT_TRUE(s->users->create_user({.email = "\xc3\x89@x.io", .password_hash = "h"}, 1));
    EXPECT_TRUE(s->users->create_user({.email = "\xc3\xa9@x.io", .password_hash = "h"}, 1));
}

TEST_F(postgres_schema, a_server_that_refuses_for_good_fails_at_once) {
    // Waiting would not create the database: no retrying for the whole connect timeout.
    auto const missing = test::with_database(db_->url(), "no_such_warden_database");
    std::string why;
    auto const started = std::chrono::steady_clock::now();
    auto r = open(missing, {.connect_timeout = std::chrono::seconds{20}}, &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{10});
    EXPECT_NE(why.find("does not exist"), std::string::npos) << why;
}

// The schema itself keeps at most one current key and bumps the revision, whoever writes.
TEST_F(postgres_schema, one_key_is_current_and_every_key_change_bumps_the_revision) {
    ASSERT_TRUE(open(db_->url()).has_value());
    sql("INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_key, created_at,"
        " activated_at) VALUES ('a', 'ES256', '{}', '\\x00', 1, 1)");
    EXPECT_EQ(sql("SELECT revision FROM signing_key_revision"), "1");
    std::unique_ptr<PGconn, decltype(&PQfinish)> c{PQconnectdb(db_->url().c_str()), PQfinish};
    auto const refused = [&](char const* text) {
        std::unique_ptr<PGresult, decltype(&PQclear)> r{PQexec(c.get(), text), PQclear};
        return std::string{PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) != nullptr
                               ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE)
                               : ""};
    };
    EXPECT_EQ(refused("INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_key,"
                      " created_at, activated_at) VALUES ('b', 'ES256', '{}', '\\x00', 2, 2)"),
              "23505");  // unique_violation: a second current key
    EXPECT_EQ(refused("INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_key,"
                      " created_at, expires_at) VALUES ('c', 'ES256', '{}', '\\x00', 2, 9)"),
              "23514");  // check_violation: an expiry without a retirement
    EXPECT_EQ(sql("SELECT revision FROM signing_key_revision"), "1");  // refused: no bump
    sql("UPDATE signing_keys SET retired_at = 5, expires_at = 6 WHERE kid = 'a'");
    sql("DELETE FROM signing_keys");
    EXPECT_EQ(sql("SELECT revision FROM signing_key_revision"), "3");
}

TEST_F(postgres_schema, a_version_3_database_gets_migration_4_and_its_users_stay_unverified) {
    {
        std::string why;
        auto c = pg_connection::connect(db_->url(), &why);
        ASSERT_TRUE(c.has_value()) << why;
        ASSERT_TRUE(migrate(**c, pg_migrations().first(3), &why)) << why;
    }
    EXPECT_EQ(sql("SELECT version FROM warden_schema"), "3");
    sql("INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at,"
        " updated_at) VALUES ('a@x.io', 'h', 'A', true, '', 1, 1)");
    std::string why;
    auto s = open(db_->url(), &why);
    ASSERT_TRUE(s.has_value()) << why;
    EXPECT_EQ(sql("SELECT version FROM warden_schema"), "4");
    auto const u = s->users->find_user_by_email("a@x.io");
    ASSERT_TRUE(u.has_value());
    EXPECT_FALSE(u->is_verified);
    EXPECT_EQ(u->password_hash, "h");
    EXPECT_EQ(s->totp->totp_of(u->id).error(), errc::not_found);
}

TEST_F(postgres_schema, the_tables_of_migration_4_refuse_bad_rows) {
    ASSERT_TRUE(open(db_->url()).has_value());
    sql("INSERT INTO users (email, password_hash, full_name, is_active, scopes, created_at,"
        " updated_at) VALUES ('a@x.io', 'h', 'A', true, '', 1, 1)");
    std::unique_ptr<PGconn, decltype(&PQfinish)> c{PQconnectdb(db_->url().c_str()), PQfinish};
    auto const refused = [&](char const* text) {
        std::unique_ptr<PGresult, decltype(&PQclear)> r{PQexec(c.get(), text), PQclear};
        return std::string{PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) != nullptr
                               ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE)
                               : ""};
    };
    EXPECT_EQ(refused("INSERT INTO one_time_tokens (token_hash, kind, user_id, created_at,"
                      " expires_at) VALUES ('\\x01', 'login', 1, 1, 2)"),
              "23514");  // check_violation: no such kind
    EXPECT_EQ(refused("INSERT INTO one_time_tokens (token_hash, kind, user_id, created_at,"
                      " expires_at) VALUES ('\\x01', 'verify', 99, 1, 2)"),
              "23503");  // foreign_key_violation: no such user
    EXPECT_EQ(refused("INSERT INTO totp_recovery_codes (user_id, code_hash) VALUES (1, '\\x01')"),
              "23503");  // no TOTP to hang off
    EXPECT_EQ(refused("INSERT INTO totp (user_id, sealed_secret, last_accepted_step, created_at)"
                      " VALUES (1, '', 0, 1)"),
              "23514");  // an empty secret
}

}  // namespace
}  // namespace warden::store
