#include <warden/http/trusted_proxies.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace warden::http {
namespace {

namespace bhttp = boost::beast::http;

trusted_proxies trusting(std::initializer_list<char const*> cidrs) {
    std::vector<network_range> ranges;
    for (char const* cidr : cidrs) ranges.push_back(network_range::parse(cidr).value());
    return trusted_proxies{std::move(ranges)};
}

bhttp::fields headers(std::initializer_list<std::pair<char const*, char const*>> lines) {
    bhttp::fields out;
    for (auto const& [name, value] : lines) out.insert(name, value);
    return out;
}

std::string forwarded_by(trusted_proxies const& proxies, char const* header, char const* value,
                         char const* peer = "10.0.0.1") {
    return proxies.client_address(peer, headers({{header, value}}));
}

auto const proxy = trusting({"10.0.0.0/8", "fd00::/8"});

TEST(trusted_proxies, trusting_no_one_keeps_the_peer_whatever_the_headers_say) {
    trusted_proxies const none;
    EXPECT_TRUE(none.empty());
    EXPECT_EQ(none.client_address("10.0.0.1", headers({{"X-Forwarded-For", "203.0.113.7"}})),
              "10.0.0.1");
}

TEST(trusted_proxies, an_untrusted_peer_cannot_name_the_client) {
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7", "192.0.2.1"), "192.0.2.1");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=203.0.113.7", "192.0.2.1"), "192.0.2.1");
}

TEST(trusted_proxies, a_trusted_peer_without_forwarding_headers_is_the_client) {
    EXPECT_EQ(proxy.client_address("10.0.0.1", headers({})), "10.0.0.1");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", ""), "10.0.0.1");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", " , ,"), "10.0.0.1");
}

TEST(trusted_proxies, one_hop_names_the_client) {
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "x-forwarded-for", " 203.0.113.7 "), "203.0.113.7");
}

TEST(trusted_proxies, the_rightmost_untrusted_hop_is_the_client) {
    // The client wrote the first two entries itself; our proxies appended the last two.
    EXPECT_EQ(
        forwarded_by(proxy, "X-Forwarded-For", "1.1.1.1, 198.51.100.9, 203.0.113.7, 10.2.3.4"),
        "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7,10.2.3.4,10.9.9.9"),
              "203.0.113.7");
}

TEST(trusted_proxies, when_every_hop_is_trusted_the_leftmost_is_the_client) {
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "10.1.1.1, 10.2.2.2"), "10.1.1.1");
}

TEST(trusted_proxies, several_header_lines_are_one_list_in_order) {
    auto const h = headers(
        {{"X-Forwarded-For", "198.51.100.9, 203.0.113.7"}, {"X-Forwarded-For", "10.2.3.4"}});
    EXPECT_EQ(proxy.client_address("10.0.0.1", h), "203.0.113.7");
    auto const reversed = headers(
        {{"X-Forwarded-For", "10.2.3.4"}, {"X-Forwarded-For", "198.51.100.9, 203.0.113.7"}});
    EXPECT_EQ(proxy.client_address("10.0.0.1", reversed), "203.0.113.7");
}

TEST(trusted_proxies, many_hops_are_walked_to_the_first_untrusted_one) {
    std::string chain = "203.0.113.7";
    for (int i = 0; i < 500; ++i) {
        chain += ", 10.0.0.";
        chain += std::to_string(i % 250);
    }
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", chain.c_str()), "203.0.113.7");
}

TEST(trusted_proxies, ipv6_hops_are_canonical_and_ipv4_mapped_ones_become_ipv4) {
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "2001:DB8:0:0::1"), "2001:db8::1");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "2001:db8::1, fd00::5"), "2001:db8::1");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "::ffff:203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "[2001:db8::1]:8443"), "2001:db8::1");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7:51234"), "203.0.113.7");
}

TEST(trusted_proxies, an_ipv6_or_ipv4_mapped_peer_is_matched_against_the_ranges) {
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7", "fd00::1"), "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7", "::ffff:10.0.0.1"),
              "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "203.0.113.7", "2001:db8::9"), "2001:db8::9");
}

TEST(trusted_proxies, a_malformed_hop_before_any_untrusted_one_keeps_the_peer) {
    for (char const* chain :
         {"unknown", "203.0.113.7, unknown", "203.0.113.7, garbage", "203.0.113.7, 300.1.1.1",
          "203.0.113.7, 1.2.3", "203.0.113.7, [203.0.113.8]", "203.0.113.7, [2001:db8::1",
          "203.0.113.7, [2001:db8::1]x", "203.0.113.7, fe80::1%eth0", "203.0.113.7, 1.2.3.4:123456",
          "203.0.113.7, 1.2.3.4:", "203.0.113.7 198.51.100.1", "203.0.113.7, \"198.51.100.1\""}) {
        EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", chain), "10.0.0.1") << chain;
    }
}

TEST(trusted_proxies, a_malformed_hop_left_of_the_client_does_not_matter) {
    EXPECT_EQ(forwarded_by(proxy, "X-Forwarded-For", "garbage, 203.0.113.7"), "203.0.113.7");
}

TEST(trusted_proxies, forwarded_for_names_the_client) {
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=203.0.113.7"), "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=203.0.113.7;"), "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "For=203.0.113.7;proto=https;by=10.0.0.1"),
              "203.0.113.7");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "proto=https; for=\"203.0.113.7:4711\""),
              "203.0.113.7");
}

TEST(trusted_proxies, forwarded_ipv6_in_quotes_brackets_and_with_ports) {
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=\"[2001:db8:cafe::17]\""), "2001:db8:cafe::17");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=\"[2001:db8:cafe::17]:4711\""),
              "2001:db8:cafe::17");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=\"[2001:db8:cafe::17]:_port-1\""),
              "2001:db8:cafe::17");
    EXPECT_EQ(forwarded_by(proxy, "Forwarded", "for=\"\\[2001:db8::17\\]\""), "2001:db8::17");
}

TEST(trusted_proxies, forwarded_hops_are_walked_from_the_right_over_elements_and_lines) {
    EXPECT_EQ(forwarded_by(proxy, "Forwarded",
                           "for=198.51.100.9, for=203.0.113.7;proto=https, for=\"[fd00::2]\""),
              "203.0.113.7");
    auto const h = headers(
        {{"Forwarded", "for=198.51.100.9"}, {"Forwarded", "for=203.0.113.7, for=10.3.3.3"}});
    EXPECT_EQ(proxy.client_address("10.0.0.1", h), "203.0.113.7");
}

TEST(trusted_proxies, x_forwarded_for_wins_over_forwarded) {
    auto const h = headers({{"Forwarded", "for=198.51.100.9"}, {"X-Forwarded-For", "203.0.113.7"}});
    EXPECT_EQ(proxy.client_address("10.0.0.1", h), "203.0.113.7");
}

TEST(trusted_proxies, malformed_forwarded_keeps_the_peer) {
    for (char const* value :
         {"for=", "for", "=203.0.113.7", "for=203.0.113.7;;x", "for=\"203.0.113.7",
          "for=203.0.113.7;for=198.51.100.9", "for=[2001:db8::1]", "for=unknown", "for=_hidden",
          "proto=https", "for=203.0.113.7 proto=https", "for =203.0.113.7", "for=\"203.0.113.7\"x",
          "for=203.0.113.7, by=10.0.0.1", "for=\"\\"}) {
        EXPECT_EQ(forwarded_by(proxy, "Forwarded", value), "10.0.0.1") << value;
    }
}

TEST(trusted_proxies, a_malformed_forwarded_line_spoils_the_whole_header) {
    auto const h = headers({{"Forwarded", "for=203.0.113.7"}, {"Forwarded", "for=\"broken"}});
    EXPECT_EQ(proxy.client_address("10.0.0.1", h), "10.0.0.1");
}

TEST(trusted_proxies, trusts_only_addresses_in_its_ranges) {
    EXPECT_TRUE(proxy.trusts("10.255.0.1"));
    EXPECT_TRUE(proxy.trusts("::ffff:10.0.0.1"));
    EXPECT_TRUE(proxy.trusts("fd12::1"));
    EXPECT_FALSE(proxy.trusts("11.0.0.1"));
    EXPECT_FALSE(proxy.trusts("fe80::1"));
    EXPECT_FALSE(proxy.trusts("not an address"));
    EXPECT_FALSE(proxy.trusts(""));
}

}  // namespace
}  // namespace warden::http
