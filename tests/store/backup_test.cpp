// backup_sqlite: a consistent, checked copy of a SQLite store while writers commit.
#include <warden/store/backup.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <boost/system/errc.hpp>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include <sqlite3.h>
#include <sys/stat.h>

#include <warden/store.hpp>

#include "support/numbered.hpp"
#include "support/temp_dir.hpp"
#include "support/without_permission_override.hpp"

namespace warden::store {
namespace {

namespace fs = std::filesystem;

std::string url_of(fs::path const& file) { return "sqlite:///" + file.string(); }

// Raw access to a database file, outside the store.
class raw_db {
  public:
    explicit raw_db(fs::path const& file) {
        EXPECT_EQ(sqlite3_open(file.c_str(), &db_), SQLITE_OK) << file;
        sqlite3_busy_timeout(db_, 10'000);
    }
    raw_db(raw_db const&) = delete;
    raw_db& operator=(raw_db const&) = delete;
    ~raw_db() { sqlite3_close(db_); }
    bool exec(char const* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) == 0; }
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
    std::int64_t number(char const* sql) { return std::stoll(text(sql)); }

  private:
    sqlite3* db_ = nullptr;
};

std::vector<new_user> users_named(std::string const& prefix, int count) {
    std::vector<new_user> batch;
    for (int i = 0; i < count; ++i) {
        // Long names: more pages, so a copy a page per step takes many steps.
        batch.push_back({.email = test::numbered(prefix, i, "@example.com"),
                         .password_hash = "$argon2id$x",
                         .full_name = std::string(180, 'n')});
    }
    return batch;
}

class backup_test : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        auto opened = open(url_of(source_), &why);
        ASSERT_TRUE(opened.has_value()) << why;
        store_ = *opened;
    }

    void add_users(std::string const& prefix, int count) {
        std::size_t failed_at = 0;
        auto created = store_.users->create_users(users_named(prefix, count), 1000, &failed_at);
        ASSERT_TRUE(created.has_value()) << created.error().message();
    }

    // The copy opens as a store; its users, or -1.
    static std::int64_t users_in(fs::path const& copy) {
        std::string why;
        auto opened = open(url_of(copy), &why);
        EXPECT_TRUE(opened.has_value()) << why;
        if (!opened) return -1;
        auto page = opened->users->list_users(1, 0);
        EXPECT_TRUE(page.has_value());
        return page ? page->total : -1;
    }

    test::temp_dir dir_;
    fs::path source_ = dir_.path() / "warden.db";
    fs::path copy_ = dir_.path() / "copy.db";
    backends store_;
};

TEST_F(backup_test, the_copy_holds_every_user_passes_the_integrity_check_and_is_mode_0600) {
    add_users("u", 300);
    std::string why;
    ASSERT_TRUE(backup_sqlite(url_of(source_), copy_, &why).has_value()) << why;
    {
        raw_db copy{copy_};
        EXPECT_EQ(copy.text("PRAGMA integrity_check"), "ok");
        EXPECT_EQ(copy.text("PRAGMA application_id"), "2002874980");  // 'ward'
        EXPECT_EQ(copy.text("PRAGMA journal_mode"), "wal");
    }
    EXPECT_EQ(users_in(copy_), 300);
    struct stat st {};
    ASSERT_EQ(::stat(copy_.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);
    // Only the source's files and the copy are left: no temporary file, no -wal or -shm.
    for (auto const& entry : fs::directory_iterator{dir_.path()}) {
        auto const name = entry.path().filename().string();
        EXPECT_TRUE(name.starts_with("warden.db") || name == "copy.db") << name;
    }
}

TEST_F(backup_test, a_copy_taken_while_another_store_commits_is_one_snapshot_and_blocks_no_writer) {
    add_users("seed", 2000);  // ~120 pages: a page per step makes many steps
    std::string why;
    auto other = open(url_of(source_), &why);  // its own connections: another process's view
    ASSERT_TRUE(other.has_value()) << why;
    std::atomic<bool> stop{false};
    std::atomic<int> committed{0};
    std::thread writer{[&] {
        for (int i = 0; !stop.load(); ++i) {
            auto r = other->users->create_user(
                {.email = test::numbered("w", i, "@example.com"), .password_hash = "$argon2id$x"},
                1000);
            if (r) committed.fetch_add(1);
        }
    }};
    while (committed.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    int const before = 2000 + committed.load();
    backup_options slow;
    slow.pages_per_step = 1;
    slow.pause = std::chrono::milliseconds{2};
    auto const started = std::chrono::steady_clock::now();
    int const at_start = committed.load();
    auto const copied = backup_sqlite(url_of(source_), copy_, &why, slow);
    int const during = committed.load() - at_start;
    auto const took = std::chrono::steady_clock::now() - started;
    stop = true;
    writer.join();
    ASSERT_TRUE(copied.has_value()) << why;
    // The writer kept committing while the copy was read (WAL: the snapshot blocks nobody).
    EXPECT_GT(during, 0) << "in " << std::chrono::duration<double>(took).count() << " s";
    raw_db copy{copy_};
    EXPECT_EQ(copy.text("PRAGMA integrity_check"), "ok");
    auto const count = copy.number("SELECT count(*) FROM users");
    EXPECT_GE(count, before);
    // One snapshot: ids are handed out in commit order, so the copy holds exactly 1..count.
    EXPECT_EQ(copy.number("SELECT max(id) FROM users"), count);
}

TEST_F(backup_test, refuses_an_existing_target_unless_overwrite_then_replaces_it) {
    add_users("u", 3);
    { std::ofstream{copy_} << "keep me"; }
    fs::permissions(copy_, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
    std::string why;
    auto refused = backup_sqlite(url_of(source_), copy_, &why);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error(), boost::system::errc::file_exists);
    EXPECT_NE(why.find("exists"), std::string::npos) << why;
    EXPECT_EQ(fs::file_size(copy_), 7U);

    // Companions of an older database of that name must not be read with the new copy.
    { std::ofstream{copy_.string() + "-wal"} << "stale"; }
    backup_options overwrite;
    overwrite.overwrite = true;
    ASSERT_TRUE(backup_sqlite(url_of(source_), copy_, &why, overwrite).has_value()) << why;
    EXPECT_FALSE(fs::exists(copy_.string() + "-wal"));
    EXPECT_EQ(users_in(copy_), 3);
    EXPECT_EQ(fs::status(copy_).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(backup_test, refuses_to_overwrite_the_database_itself_under_any_spelling) {
    add_users("u", 2);
    backup_options overwrite;
    overwrite.overwrite = true;
    for (auto const& target : {source_, dir_.path() / "." / "warden.db"}) {
        std::string why;
        auto r = backup_sqlite(url_of(source_), target, &why, overwrite);
        ASSERT_FALSE(r.has_value()) << target;
        EXPECT_EQ(r.error(), errc::invalid_argument);
        EXPECT_NE(why.find("the database itself"), std::string::npos) << why;
    }
    EXPECT_EQ(users_in(source_), 2);
}

TEST_F(backup_test, refuses_postgresql_without_echoing_the_password_and_other_urls) {
    std::string why;
    auto r = backup_sqlite("postgresql://warden:hunter2@db.example/warden", copy_, &why);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::bad_url);
    EXPECT_NE(why.find("PostgreSQL"), std::string::npos) << why;
    EXPECT_EQ(why.find("hunter2"), std::string::npos) << why;
    for (char const* url : {"mysql://x/y", "sqlite:///:memory:", "sqlite://", "/a/path.db"}) {
        EXPECT_EQ(backup_sqlite(url, copy_, &why).error(), errc::bad_url) << url;
    }
    EXPECT_FALSE(fs::exists(copy_));
}

TEST_F(backup_test, a_missing_or_foreign_source_is_unavailable_and_leaves_no_file) {
    std::string why;
    auto missing = backup_sqlite(url_of(dir_.path() / "none.db"), copy_, &why);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error(), errc::unavailable);
    EXPECT_NE(why.find("none.db"), std::string::npos) << why;
    EXPECT_FALSE(fs::exists(dir_.path() / "none.db"));  // not created by the attempt

    auto const junk = dir_.path() / "junk.db";
    { std::ofstream{junk} << std::string(8192, 'x'); }
    auto foreign = backup_sqlite(url_of(junk), copy_, &why);
    ASSERT_FALSE(foreign.has_value());
    EXPECT_EQ(foreign.error(), errc::unavailable) << why;
    for (auto const& entry : fs::directory_iterator{dir_.path()}) {
        auto const name = entry.path().filename().string();
        EXPECT_TRUE(name.starts_with("warden.db") || name == "junk.db") << name;
    }
}

TEST_F(backup_test, an_unwritable_target_directory_is_unavailable) {
    add_users("u", 1);
    auto const locked = dir_.path() / "locked";
    fs::create_directory(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    std::string why;
    result<void> r = make_error_code(errc::backend_error);
    {
        test::without_permission_override as_a_user;
        r = backup_sqlite(url_of(source_), locked / "copy.db", &why);
    }
    fs::permissions(locked, fs::perms::owner_all);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), errc::unavailable);
    EXPECT_NE(why.find("locked"), std::string::npos) << why;
    EXPECT_TRUE(fs::is_empty(locked));
}

TEST(backup, copies_a_rollback_journal_database_while_a_writer_commits) {
    // Not the store's mode, but any SQLite file: the copy restarts when a writer commits between
    // steps, and after a few restarts takes the rest in one step.
    test::temp_dir dir;
    auto const source = dir.path() / "plain.db";
    {
        raw_db db{source};
        ASSERT_TRUE(
            db.exec("PRAGMA journal_mode = DELETE; CREATE TABLE t (id INTEGER PRIMARY KEY, "
                    "v TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM "
                    "n WHERE i < 3000) INSERT INTO t (v) SELECT printf('%0200d', i) FROM n"));
    }
    std::atomic<bool> stop{false};
    std::atomic<int> committed{0};
    std::thread writer{[&] {
        raw_db db{source};
        while (!stop.load()) {
            if (db.exec("INSERT INTO t (v) VALUES ('w')")) committed.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
        }
    }};
    while (committed.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    backup_options slow;
    slow.pages_per_step = 4;
    slow.pause = std::chrono::milliseconds{2};
    std::string why;
    auto const copy = dir.path() / "copy.db";
    auto const copied = backup_sqlite(url_of(source), copy, &why, slow);
    stop = true;
    writer.join();
    ASSERT_TRUE(copied.has_value()) << why;
    raw_db db{copy};
    EXPECT_EQ(db.text("PRAGMA integrity_check"), "ok");
    auto const count = db.number("SELECT count(*) FROM t");
    EXPECT_GE(count, 3003);
    EXPECT_EQ(db.number("SELECT max(id) FROM t"), count);
}

}  // namespace
}  // namespace warden::store
