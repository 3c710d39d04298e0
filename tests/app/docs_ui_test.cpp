// The Swagger UI's files: read once from a directory, served by name from a fixed list only.
#include "app/docs_ui.hpp"

#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/temp_dir.hpp"

namespace warden::app {
namespace {

// Every file the page needs, with what the test writes into it.
std::vector<std::pair<std::string, std::string>> const installed_files{
    {"index.html", "<!doctype html>"},
    {"swagger-initializer.js", "window.addEventListener('load', () => {});"},
    {"swagger-ui-bundle.js", "var SwaggerUIBundle;"},
    {"swagger-ui.css", ".swagger-ui {}"},
    {"index.css", "body { margin: 0 }"},
    {"favicon-32x32.png", std::string{"\x89PNG\r\n\x1a\n", 8}},
    {"oauth2-redirect.html", "<!doctype html>"},
    {"oauth2-redirect.js", "// redirect"},
};

void write(std::filesystem::path const& path, std::string const& contents) {
    std::ofstream out{path, std::ios::binary};
    out << contents;
}

class docs_ui_files : public ::testing::Test {
  protected:
    void SetUp() override {
        for (auto const& [name, contents] : installed_files) write(dir_.path() / name, contents);
    }
    test::temp_dir dir_;
};

TEST_F(docs_ui_files, serves_every_installed_file_with_its_type_and_contents) {
    auto ui = docs_ui::load(dir_.path());
    ASSERT_TRUE(ui) << ui.error().message();
    for (auto const& [name, contents] : installed_files) {
        auto const* file = ui->find(name);
        ASSERT_NE(file, nullptr) << name;
        EXPECT_EQ(file->body, contents) << name;
    }
    EXPECT_EQ(ui->find("index.html")->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(ui->find("swagger-ui-bundle.js")->content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(ui->find("swagger-ui.css")->content_type, "text/css; charset=utf-8");
    EXPECT_EQ(ui->find("favicon-32x32.png")->content_type, "image/png");
    EXPECT_EQ(ui->find(docs_ui::page), ui->find("index.html"));
}

TEST_F(docs_ui_files, tags_each_file_with_a_quoted_digest_of_its_contents) {
    write(dir_.path() / "oauth2-redirect.html", "<!doctype html>");  // as index.html
    auto ui = docs_ui::load(dir_.path());
    ASSERT_TRUE(ui);
    auto const& etag = ui->find("index.html")->etag;
    EXPECT_EQ(etag.size(), 45U);  // '"' + 43 base64url characters of SHA-256 + '"'
    EXPECT_EQ(etag.front(), '"');
    EXPECT_EQ(etag.back(), '"');
    EXPECT_EQ(ui->find("oauth2-redirect.html")->etag, etag);
    EXPECT_NE(ui->find("swagger-ui.css")->etag, etag);
}

TEST_F(docs_ui_files, serves_no_other_name) {
    write(dir_.path() / "LICENSE", "Apache-2.0");
    write(dir_.path() / "secret.key", "00");
    auto ui = docs_ui::load(dir_.path());
    ASSERT_TRUE(ui);
    for (std::string_view name :
         {"LICENSE", "secret.key", "", ".", "..", "../index.html", "./index.html", "index.html/",
          "/index.html", "INDEX.HTML", "swagger-ui.css.map", "index.html%00"}) {
        EXPECT_EQ(ui->find(name), nullptr) << name;
    }
}

TEST_F(docs_ui_files, refuses_an_incomplete_install) {
    std::filesystem::remove(dir_.path() / "swagger-ui-bundle.js");
    auto ui = docs_ui::load(dir_.path());
    ASSERT_FALSE(ui);
    EXPECT_EQ(ui.error(), boost::system::errc::no_such_file_or_directory);
}

TEST(docs_ui, refuses_a_missing_directory) {
    test::temp_dir dir;
    auto ui = docs_ui::load(dir.path() / "not-there");
    ASSERT_FALSE(ui);
    EXPECT_EQ(ui.error(), boost::system::errc::no_such_file_or_directory);
}

TEST(docs_ui, refuses_a_directory_where_a_file_should_be) {
    test::temp_dir dir;
    for (auto const& [name, contents] : installed_files) write(dir.path() / name, contents);
    std::filesystem::remove(dir.path() / "swagger-ui.css");
    std::filesystem::create_directory(dir.path() / "swagger-ui.css");
    EXPECT_FALSE(docs_ui::load(dir.path()));
}

TEST(docs_ui, looks_beside_the_running_program_in_the_installed_layout) {
    auto const directory = docs_ui_directory();
    ASSERT_TRUE(directory) << directory.error().message();
    EXPECT_TRUE(directory->is_absolute());
    EXPECT_EQ(*directory, directory->lexically_normal());
    EXPECT_EQ(directory->filename(), "swagger-ui");
    EXPECT_EQ(directory->parent_path().filename(), "warden");
}

}  // namespace
}  // namespace warden::app
