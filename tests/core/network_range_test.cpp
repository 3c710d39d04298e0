#include <warden/core/network_range.hpp>

#include <gtest/gtest.h>

namespace warden {
namespace {

network_range range(std::string_view text) {
    auto parsed = network_range::parse(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    return parsed.value_or(*network_range::parse("::/0"));
}

TEST(network_range, ipv4_prefixes) {
    auto const r = range("10.0.0.0/8");
    EXPECT_TRUE(r.contains("10.0.0.1"));
    EXPECT_TRUE(r.contains("10.255.255.255"));
    EXPECT_FALSE(r.contains("11.0.0.0"));
    EXPECT_FALSE(r.contains("9.255.255.255"));
    auto const odd = range("192.168.4.0/22");
    EXPECT_TRUE(odd.contains("192.168.7.200"));
    EXPECT_FALSE(odd.contains("192.168.8.0"));
    EXPECT_FALSE(odd.contains("192.168.3.255"));
}

TEST(network_range, one_address_is_a_full_prefix) {
    auto const v4 = range("127.0.0.1");
    EXPECT_TRUE(v4.contains("127.0.0.1"));
    EXPECT_FALSE(v4.contains("127.0.0.2"));
    EXPECT_EQ(v4.to_string(), "127.0.0.1/32");
    auto const v6 = range("::1");
    EXPECT_TRUE(v6.contains("::1"));
    EXPECT_FALSE(v6.contains("::2"));
    EXPECT_EQ(v6.to_string(), "::1/128");
}

TEST(network_range, ipv6_prefixes) {
    auto const r = range("fd00::/8");
    EXPECT_TRUE(r.contains("fd12:3456::1"));
    EXPECT_FALSE(r.contains("fe80::1"));
    EXPECT_EQ(r.to_string(), "fd00::/8");
}

TEST(network_range, ipv4_mapped_peers_match_ipv4_ranges) {
    // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    EXPECT_TRUE(range("10.0.0.0/8").contains("::ffff:10.1.2.3"));
    EXPECT_FALSE(range("10.0.0.0/8").contains("::ffff:11.1.2.3"));
    EXPECT_FALSE(range("::1/128").contains("127.0.0.1"));
}

TEST(network_range, zero_prefix_matches_everything_of_its_family) {
    EXPECT_TRUE(range("0.0.0.0/0").contains("203.0.113.9"));
    EXPECT_FALSE(range("0.0.0.0/0").contains("2001:db8::1"));
    EXPECT_TRUE(range("::/0").contains("2001:db8::1"));
}

TEST(network_range, refuses_bad_text) {
    for (auto const* text :
         {"", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.1/8", "fd00::1/8", "10.0.0/8",
          "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/+8", "10.0.0.0/-1", "10.0.0.0/0008", "localhost",
          "10.0.0.0/8/8", "1.2.3.4.5", "[::1]", "::1%lo"}) {
        EXPECT_FALSE(network_range::parse(text).has_value()) << text;
    }
}

TEST(network_range, contains_refuses_non_addresses) {
    auto const r = range("0.0.0.0/0");
    EXPECT_FALSE(r.contains(""));
    EXPECT_FALSE(r.contains("unknown"));
    EXPECT_FALSE(r.contains("10.0.0.1:80"));
    EXPECT_FALSE(r.contains(std::string(100, '1')));
}

}  // namespace
}  // namespace warden
