#include "app/logging.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/json/parse.hpp>

#include "app/log_safe.hpp"

namespace warden::app {
namespace {

/// The access line written for `method` and `path` in `format`.
std::string access_line(log_format format, std::string_view method, std::string_view path) {
    std::ostringstream out;
    auto log = std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
    log->set_pattern("%v");
    make_access_logger(
        log, format)(http::access_entry{method, path, 200, {}, {}, "rid-1", "127.0.0.1", {}});
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

/// A temporary file the logger under test writes to.
class log_file {
  public:
    log_file() : file_(std::tmpfile()) {}
    ~log_file() { std::fclose(file_); }
    log_file(log_file const&) = delete;
    log_file& operator=(log_file const&) = delete;

    [[nodiscard]] int fd() const { return fileno(file_); }
    [[nodiscard]] std::string contents() const {
        std::string out;
        char chunk[65536];
        for (off_t at = 0;;) {
            auto const n = ::pread(fd(), chunk, sizeof chunk, at);
            if (n <= 0) return out;
            out.append(chunk, static_cast<std::size_t>(n));
            at += n;
        }
    }
    [[nodiscard]] std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::istringstream in{contents()};
        for (std::string line; std::getline(in, line);) out.push_back(line);
        return out;
    }

  private:
    std::FILE* file_;
};

config settings_in(log_format format) {
    config settings;
    settings.log_format = format;
    settings.log_level = log_level::info;
    return settings;
}

http::access_entry entry(std::string_view path, std::string_view rid = "rid-1") {
    return http::access_entry{"GET", path, 200,         std::chrono::microseconds{1250},
                              {},    rid,  "127.0.0.1", {}};
}

/// True if `text` is a UTC time as the patterns write it, with `digits` digits after the second.
bool utc_time(std::string_view text, std::size_t digits) {
    std::string_view const shape = "0000-00-00T00:00:00.";
    if (text.size() != shape.size() + digits + 1 || !text.ends_with('Z')) return false;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        bool const digit = text[i] >= '0' && text[i] <= '9';
        if (i < shape.size() && shape[i] != '0' ? text[i] != shape[i] : !digit) return false;
    }
    return true;
}

TEST(access_log, text_lines_keep_their_format) {
    log_file file;
    auto log = make_logger(settings_in(log_format::text), file.fd());
    make_access_logger(log, log_format::text)(entry("/api/users/me"));
    log->flush();
    auto const lines = file.lines();
    ASSERT_EQ(lines.size(), 1U) << file.contents();
    auto const space = lines[0].find(' ');
    ASSERT_NE(space, std::string::npos) << lines[0];
    EXPECT_TRUE(utc_time(std::string_view{lines[0]}.substr(0, space), 3)) << lines[0];
    EXPECT_EQ(lines[0].substr(space),
              " info GET /api/users/me 200 1.250ms user=- rid=rid-1 client=127.0.0.1");
}

TEST(access_log, json_lines_keep_their_format) {
    log_file file;
    auto log = make_logger(settings_in(log_format::json), file.fd());
    make_access_logger(log, log_format::json)(entry("/api/users/me"));
    log->flush();
    auto const lines = file.lines();
    ASSERT_EQ(lines.size(), 1U) << file.contents();
    std::string_view const line = lines[0];
    std::string_view const head = R"({"time":")";
    ASSERT_TRUE(line.starts_with(head)) << line;
    auto const time_end = line.find('"', head.size());
    ASSERT_NE(time_end, std::string_view::npos) << line;
    EXPECT_TRUE(utc_time(line.substr(head.size(), time_end - head.size()), 6)) << line;
    EXPECT_EQ(line.substr(time_end),
              R"(","level":"info","msg":{"method":"GET","path":"/api/users/me","status":200,)"
              R"("latency_ms":1.25E0,"user":"-","request_id":"rid-1","client":"127.0.0.1"}})");
}

TEST(access_log, lines_wait_in_their_threads_buffer_until_a_flush) {
    log_file file;
    auto log = make_logger(settings_in(log_format::text), file.fd());
    auto const access = make_access_logger(log, log_format::text);
    access(entry("/one"));
    access(entry("/two"));
    EXPECT_EQ(file.contents(), "");  // no write(2) per request
    log->flush();
    auto const lines = file.lines();
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_NE(lines[0].find(" /one "), std::string::npos);
    EXPECT_NE(lines[1].find(" /two "), std::string::npos);
}

TEST(access_log, a_message_goes_out_at_once_after_the_lines_buffered_before_it) {
    log_file file;
    auto log = make_logger(settings_in(log_format::text), file.fd());
    auto const access = make_access_logger(log, log_format::text);
    std::thread{[&] { access(entry("/from-another-thread")); }}.join();
    access(entry("/from-this-thread"));
    log->warn("the store is down");
    auto const lines = file.lines();
    ASSERT_EQ(lines.size(), 3U) << file.contents();
    EXPECT_NE(lines[2].find(" warning the store is down"), std::string::npos) << lines[2];
    log->info("stopped");
    EXPECT_EQ(file.lines().size(), 4U);  // info too: messages are rare, they are not buffered
}

TEST(access_log, nothing_is_lost_when_the_logger_goes) {
    log_file file;
    {
        auto log = make_logger(settings_in(log_format::text), file.fd());
        auto const access = make_access_logger(log, log_format::text);
        std::thread{[&] { access(entry("/a")); }}.join();  // its thread is gone, its lines not
        access(entry("/b"));
    }
    EXPECT_EQ(file.lines().size(), 2U) << file.contents();
}

TEST(access_log, lines_from_many_threads_are_whole_in_order_per_thread_and_all_there) {
    log_file file;
    constexpr int threads = 4;
    constexpr int per_thread = 5000;  // ~500 KiB per thread: its 64 KiB buffer fills many times
    {
        auto log = make_logger(settings_in(log_format::text), file.fd());
        auto const access = make_access_logger(log, log_format::text);
        std::vector<std::thread> writers;
        for (int t = 0; t < threads; ++t) {
            writers.emplace_back([&access, t] {
                for (int i = 0; i < per_thread; ++i) {
                    auto const path = "/t" + std::to_string(t) + "/" + std::to_string(i) + "/" +
                                      std::string(40, 'x');
                    access(entry(path));
                }
            });
        }
        // The periodic flush runs meanwhile.
        for (int i = 0; i < 20; ++i) {
            log->flush();
            std::this_thread::sleep_for(std::chrono::milliseconds{1});
        }
        for (auto& w : writers) w.join();
    }
    std::string const tail =
        "/" + std::string(40, 'x') + " 200 1.250ms user=- rid=rid-1 client=127.0.0.1";
    std::vector<int> next(threads, 0);
    auto const lines = file.lines();
    ASSERT_EQ(lines.size(), std::size_t{threads} * per_thread);
    for (auto const& text : lines) {
        // "<time> info GET /t<thread>/<sequence>/xxx... 200 ...": whole, and next of its thread.
        auto const at = text.find(" info GET /t");
        ASSERT_TRUE(at != std::string::npos && text.ends_with(tail)) << text;
        auto const numbers = text.substr(at + 12, text.size() - tail.size() - at - 12);
        auto const slash = numbers.find('/');
        ASSERT_NE(slash, std::string::npos) << text;
        auto const t = static_cast<std::size_t>(std::stoi(numbers.substr(0, slash)));
        ASSERT_LT(t, next.size()) << text;
        ASSERT_EQ(numbers.substr(slash + 1), std::to_string(next[t])) << text;
        ++next[t];
    }
}

}  // namespace
}  // namespace warden::app
