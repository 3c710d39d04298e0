#include "app/mail/quoted_printable.hpp"

#include <gtest/gtest.h>

#include <string>

#include "mail/parsed_mail.hpp"

namespace warden::app {
namespace {

using namespace std::string_literals;

std::vector<std::string> crlf_lines(std::string const& text) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    for (;;) {
        auto const end = text.find("\r\n", at);
        lines.push_back(text.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 2;
    }
    return lines;
}

TEST(quoted_printable, keeps_plain_ascii) {
    EXPECT_EQ(quoted_printable("Hello, world!"), "Hello, world!");
}

TEST(quoted_printable, encodes_equals_and_non_ascii) {
    EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
    EXPECT_EQ(quoted_printable("é"), "=C3=A9");
    EXPECT_EQ(quoted_printable("nul\0x"s), "nul=00x");
}

TEST(quoted_printable, makes_every_line_break_crlf) {
    EXPECT_EQ(quoted_printable("a\nb\r\nc\rd"), "a\r\nb\r\nc\r\nd");
}

TEST(quoted_printable, encodes_trailing_whitespace_and_a_leading_dot) {
    EXPECT_EQ(quoted_printable("end \nnext\t"), "end=20\r\nnext=09");
    EXPECT_EQ(quoted_printable(".\n.x"), "=2E\r\n=2Ex");
}

TEST(quoted_printable, breaks_long_lines_and_decodes_back) {
    std::string text;
    for (int i = 0; i < 50; ++i) text += "a long line with = signs and ünïcödé ";
    text += "\nhttps://auth.example.com/verify-email?token=" + std::string(200, 'T') + "\n";
    auto const encoded = quoted_printable(text);
    for (auto const& line : crlf_lines(encoded)) {
        EXPECT_LE(line.size(), 76U) << line;
        for (char const c : line) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
    }
    std::string expected;
    for (char const c : text) expected += c == '\n' ? "\r\n"s : std::string(1, c);
    EXPECT_EQ(test::decode_quoted_printable(encoded), expected);
}

TEST(quoted_printable, never_writes_the_boundary_prefix) {
    EXPECT_EQ(quoted_printable("=_ =_boundary\n=_").find("=_"), std::string::npos);
}

}  // namespace
}  // namespace warden::app
