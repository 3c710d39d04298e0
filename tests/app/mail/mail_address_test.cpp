#include "app/mail/mail_address.hpp"

#include <gtest/gtest.h>

#include <string>

#include "app/mail/mail_errc.hpp"
#include "mail/parsed_mail.hpp"

namespace warden::app {
namespace {

using namespace std::string_literals;

TEST(parse_address, accepts_an_address_and_names_its_domain) {
    auto const parsed = parse_address("jo.doe+tag@mail.example.com").value();
    EXPECT_EQ(parsed.address, "jo.doe+tag@mail.example.com");
    EXPECT_EQ(parsed.display_name, "");
    EXPECT_EQ(parsed.domain(), "mail.example.com");
}

TEST(parse_address, accepts_utf8_addresses) { EXPECT_TRUE(parse_address("jösé@exämple.com")); }

TEST(parse_address, refuses_anything_that_could_change_the_headers_or_recipients) {
    for (auto const& hostile :
         {"x\r\nBcc: evil@x"s, "jo@example.com\r\nBcc: evil@example.com"s, "jo@example.com\n"s,
          "jo@example.com\0evil@example.com"s, "jo@example.com, evil@example.com"s,
          "jo@example.com;evil@example.com"s, "<jo@example.com>"s, "Jo <jo@example.com>"s,
          "jo@example.com>"s, "\"jo\"@example.com"s, "jo doe@example.com"s, "group:jo@example.com"s,
          "jo(comment)@example.com"s, "jo@[127.0.0.1]"s, ""s, "jo"s, "@example.com"s,
          "jo@localhost"s, std::string(300, 'a') + "@example.com"}) {
        auto const parsed = parse_address(hostile);
        ASSERT_FALSE(parsed) << hostile;
        EXPECT_EQ(parsed.error(), mail_errc::bad_address);
    }
}

TEST(parse_mailbox, reads_an_address_with_or_without_a_display_name) {
    auto const bare = parse_mailbox("noreply@example.com").value();
    EXPECT_EQ(bare.address, "noreply@example.com");
    EXPECT_EQ(bare.display_name, "");
    auto const named = parse_mailbox("Example Service <noreply@example.com>").value();
    EXPECT_EQ(named.display_name, "Example Service");
    EXPECT_EQ(named.address, "noreply@example.com");
    auto const quoted = parse_mailbox("\"Example, Inc.\" <noreply@example.com>").value();
    EXPECT_EQ(quoted.display_name, "Example, Inc.");
}

TEST(parse_mailbox, refuses_a_bad_name_or_address) {
    for (auto const& bad :
         {"Evil\r\nBcc: x@example.com <noreply@example.com>"s, "<noreply@example.com>"s,
          "Name <noreply@example.com"s, "Name <a@example.com, b@example.com>"s,
          "Name <x\r\n@example.com>"s, "\"a\"b\" <noreply@example.com>"s}) {
        EXPECT_FALSE(parse_mailbox(bad)) << bad;
    }
}

TEST(format_mailbox, writes_plain_names_as_they_are_and_encodes_the_rest) {
    EXPECT_EQ(format_mailbox({"", "a@example.com"}), "a@example.com");
    EXPECT_EQ(format_mailbox({"Warden", "a@example.com"}), "Warden <a@example.com>");
    auto const encoded = format_mailbox({"Zoë, \"Admin\"", "a@example.com"});
    EXPECT_EQ(encoded.find_first_of(",\""), std::string::npos) << encoded;
    EXPECT_EQ(test::decode_header_value(encoded), "Zoë, \"Admin\" <a@example.com>");
}

TEST(format_mailbox, leaves_out_a_name_it_cannot_write_safely) {
    EXPECT_EQ(format_mailbox({"Evil\r\nBcc: x@example.com", "a@example.com"}), "a@example.com");
}

}  // namespace
}  // namespace warden::app
