#include "app/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "app/log_safe.hpp"

namespace warden::app {
namespace {

/// The access line written for `method` and `path` in `format`.
std::string access_line(log_format format, std::string_view method, std::string_view path) {
    std::ostringstream out;
    auto log = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    log->set_pattern("%v");
    make_access_logger(log,
                       format)(http::access_entry{method, path, 200, {}, {}, "rid-1", "127.0.0.1"});
    return out.str();
}

/// True if every byte is printable ASCII (the line's own newline aside).
bool plain_ascii(std::string_view line) {
    if (line.ends_with('\n')) line.remove_suffix(1);
    for (char const c : line) {
        auto const byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte >= 0x7f) return false;
    }
    return true;
}

constexpr std::string_view hostile_path =
    "/a\xff\xc3\x28\x9b"
    "31m\x1b[2J\r\nfake line\\x41";

TEST(log_safe, escapes_controls_high_bytes_and_the_backslash_and_keeps_printable_ascii) {
    EXPECT_EQ(log_safe("/api/users/me?x=1"), "/api/users/me?x=1");
    EXPECT_EQ(log_safe("\x9b\xff\x1b\x7f\\"), "\\x9b\\xff\\x1b\\x7f\\x5c");
    EXPECT_EQ(log_safe(std::string_view{"\0", 1}), "\\x00");
}

TEST(access_log, a_hostile_path_is_one_plain_ascii_text_line) {
    auto const line = access_line(log_format::text, "GET", hostile_path);
    EXPECT_TRUE(plain_ascii(line)) << line;
    EXPECT_NE(line.find("/a\\xff\\xc3(\\x9b31m\\x1b[2J\\x0d\\x0afake line\\x5cx41"),
              std::string::npos)
        << line;
}

TEST(access_log, a_hostile_path_or_method_is_valid_json) {
    auto const line = access_line(log_format::json, "G\x85T", hostile_path);
    EXPECT_TRUE(plain_ascii(line)) << line;
    auto const parsed = boost::json::parse(line);
    EXPECT_EQ(parsed.at("path").as_string(), log_safe(hostile_path));
    EXPECT_EQ(parsed.at("method").as_string(), "G\\x85T");
}

}  // namespace
}  // namespace warden::app
