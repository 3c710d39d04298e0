#include "app/mail/header_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "app/mail/mail_errc.hpp"
#include "mail/parsed_mail.hpp"

namespace warden::app {
namespace {

using namespace std::string_literals;

// Every physical line of a folded value, with `name: ` in front of the first.
std::vector<std::string> lines_of(std::string const& name, std::string const& value) {
    std::vector<std::string> lines;
    std::string const text = name + ": " + value;
    std::size_t at = 0;
    for (;;) {
        auto const end = text.find("\r\n", at);
        lines.push_back(text.substr(at, end - at));
        if (end == std::string::npos) break;
        at = end + 2;
    }
    return lines;
}

TEST(encode_unstructured, keeps_a_short_printable_ascii_subject_as_it_is) {
    EXPECT_EQ(encode_unstructured("Verify your e-mail address", 7).value(),
              "Verify your e-mail address");
    EXPECT_EQ(encode_unstructured("", 7).value(), "");
}

TEST(encode_unstructured, encodes_unicode_and_decodes_back) {
    auto const subject = "Bestätigen Sie Ihre E-Mail-Adresse — ✓ 日本語"s;
    auto const encoded = encode_unstructured(subject, 7).value();
    EXPECT_EQ(encoded.rfind("=?UTF-8?Q?", 0), 0U) << encoded;
    for (char const c : encoded) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
    EXPECT_EQ(test::decode_header_value(
                  test::parse_headers("Subject: " + encoded + "\r\n").raw("Subject")),
              subject);
}

TEST(encode_unstructured, refuses_every_control_character) {
    for (auto const& hostile :
         {"x\r\nBcc: evil@x"s, "\n"s, "\r"s, "a\0b"s, "tab\there"s, "del\x7f"s,
          "next line \xC2\x85 (U+0085)"s, "x\nBcc: evil@example.com"s}) {
        auto const encoded = encode_unstructured(hostile, 7);
        ASSERT_FALSE(encoded) << hostile;
        EXPECT_EQ(encoded.error(), mail_errc::bad_header_text);
    }
}

TEST(encode_unstructured, refuses_invalid_utf8) {
    for (auto const& bad : {"\xff"s, "\xC3"s, "\xE2\x82"s, "\xC0\xAF"s, "\xED\xA0\x80"s}) {
        EXPECT_FALSE(encode_unstructured(bad, 7)) << bad.size();
    }
}

TEST(encode_unstructured, folds_a_long_subject_into_short_lines_that_decode_back) {
    std::string subject;
    for (int i = 0; i < 40; ++i) subject += "wörd ";
    subject += "end";
    auto const encoded = encode_unstructured(subject, 7).value();
    auto const lines = lines_of("Subject", encoded);
    EXPECT_GT(lines.size(), 3U);
    for (auto const& line : lines) {
        EXPECT_LE(line.size(), 78U) << line;
        // A continuation line starts with a space: never a header of its own.
        if (&line != &lines.front()) {
            EXPECT_EQ(line.front(), ' ');
        }
    }
    EXPECT_EQ(test::decode_header_value(
                  test::parse_headers("Subject: " + encoded + "\r\n").raw("Subject")),
              subject);
}

TEST(encode_unstructured, folds_a_long_ascii_subject_without_losing_spaces) {
    std::string const subject(120, 'a');
    auto const spaced = subject + "  two  spaces ";
    auto const encoded = encode_unstructured(spaced, 7).value();
    EXPECT_NE(encoded.find("\r\n "), std::string::npos);
    EXPECT_EQ(test::decode_header_value(
                  test::parse_headers("Subject: " + encoded + "\r\n").raw("Subject")),
              spaced);
}

TEST(encode_unstructured, never_splits_a_character_across_encoded_words) {
    std::string const subject(60, 'x');
    auto const encoded = encode_unstructured(subject + "€€€€€€€€€€€€€€€€€€€€", 7).value();
    std::size_t at = 0;
    while ((at = encoded.find("=?UTF-8?Q?", at)) != std::string::npos) {
        auto const end = encoded.find("?=", at + 10);
        auto const word = encoded.substr(at, end + 2 - at);
        EXPECT_LE(word.size(), 75U);
        auto const decoded = test::decode_header_value(word);
        EXPECT_TRUE(is_header_safe(decoded)) << word;  // whole UTF-8 characters
        at = end;
    }
}

TEST(encode_unstructured, encodes_text_that_looks_like_an_encoded_word) {
    auto const encoded = encode_unstructured("=?UTF-8?Q?fake?=", 7).value();
    EXPECT_EQ(test::decode_header_value(encoded), "=?UTF-8?Q?fake?=");
}

TEST(encode_phrase, keeps_a_plain_name_and_encodes_specials) {
    EXPECT_EQ(encode_phrase("Warden Service").value(), "Warden Service");
    for (auto const& name :
         {"Doe, John"s, "\"quoted\""s, "a <b@c.d>"s, "Zoë"s, "a@b"s, " leading"s, "semi;colon"s}) {
        auto const encoded = encode_phrase(name).value();
        EXPECT_EQ(encoded.rfind("=?UTF-8?Q?", 0), 0U) << name;
        EXPECT_EQ(encoded.find_first_of(",\"<>@; "), std::string::npos) << encoded;
        EXPECT_EQ(test::decode_header_value(encoded), name);
    }
}

TEST(encode_phrase, refuses_empty_and_control_characters) {
    EXPECT_FALSE(encode_phrase(""));
    EXPECT_FALSE(encode_phrase("Evil\r\nBcc: x@y.z"));
    EXPECT_FALSE(encode_phrase("nul\0"s));
}

}  // namespace
}  // namespace warden::app
