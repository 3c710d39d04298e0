#include "support/postgres_database.hpp"

#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <libpq-fe.h>

namespace {

using warden::test::postgres_database;
using warden::test::with_database;

struct connection_closer {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
using connection_ptr = std::unique_ptr<PGconn, connection_closer>;

connection_ptr connect(std::string const& url) {
    char const* keywords[] = {"dbname", "connect_timeout", nullptr};
    char const* values[] = {url.c_str(), "10", nullptr};
    return connection_ptr{PQconnectdbParams(keywords, values, 1)};
}

// The single value of a one-row, one-column query, or the error message.
std::string query_value(PGconn* connection, char const* sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result{PQexec(connection, sql), &PQclear};
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) != 1) {
        return std::string{"error: "} + PQerrorMessage(connection);
    }
    return PQgetvalue(result.get(), 0, 0);
}

class postgres_database_test : public ::testing::Test {
  protected:
    void SetUp() override { WARDEN_REQUIRE_POSTGRES(first_); }
    std::optional<postgres_database> first_;
};

TEST_F(postgres_database_test, gives_two_distinct_connectable_empty_databases) {
    std::optional<postgres_database> second;
    WARDEN_REQUIRE_POSTGRES(second);
    EXPECT_NE(first_->name(), second->name());
    EXPECT_NE(first_->url(), second->url());
    for (auto const* db : {&*first_, &*second}) {
        auto connection = connect(db->url());
        ASSERT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
        EXPECT_EQ(query_value(connection.get(), "SELECT current_database()"), db->name());
        EXPECT_EQ(query_value(connection.get(),
                              "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                              "n.oid = c.relnamespace WHERE n.nspname = 'public'"),
                  "0");
    }
}

TEST_F(postgres_database_test, a_table_in_one_database_is_not_in_the_other) {
    std::optional<postgres_database> second;
    WARDEN_REQUIRE_POSTGRES(second);
    auto a = connect(first_->url());
    ASSERT_EQ(PQstatus(a.get()), CONNECTION_OK) << PQerrorMessage(a.get());
    std::unique_ptr<PGresult, decltype(&PQclear)> created{
        PQexec(a.get(), "CREATE TABLE t (x integer)"), &PQclear};
    ASSERT_EQ(PQresultStatus(created.get()), PGRES_COMMAND_OK) << PQerrorMessage(a.get());
    auto b = connect(second->url());
    EXPECT_EQ(query_value(b.get(), "SELECT count(*) FROM pg_tables WHERE tablename = 't'"), "0");
}

TEST_F(postgres_database_test, is_dropped_on_destruction_even_with_a_connection_open) {
    std::string const name = first_->name();
    std::string why;
    auto const server = warden::test::postgres_server_url(&why);
    ASSERT_TRUE(server) << why;
    auto open = connect(first_->url());  // left open: DROP ... WITH (FORCE) ends it
    ASSERT_EQ(PQstatus(open.get()), CONNECTION_OK);
    first_.reset();
    auto admin = connect(*server);
    std::string const sql = "SELECT count(*) FROM pg_database WHERE datname = '" + name + "'";
    EXPECT_EQ(query_value(admin.get(), sql.c_str()), "0");
}

TEST_F(postgres_database_test, moved_from_database_is_not_dropped_twice) {
    postgres_database moved = std::move(*first_);
    first_.reset();  // the moved-from object drops nothing
    auto connection = connect(moved.url());
    EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK) << PQerrorMessage(connection.get());
}

TEST(postgres_database_url, replaces_only_the_database_name) {
    EXPECT_EQ(with_database("postgresql://warden@127.0.0.1:5432/postgres", "x"),
              "postgresql://warden@127.0.0.1:5432/x");
    EXPECT_EQ(with_database("postgresql://u:p@h:1/postgres?sslmode=disable", "x"),
              "postgresql://u:p@h:1/x?sslmode=disable");
    EXPECT_EQ(with_database("postgres://h:1", "x"), "postgres://h:1/x");
    EXPECT_EQ(with_database("postgresql://h?connect_timeout=3", "x"),
              "postgresql://h/x?connect_timeout=3");
}

}  // namespace
