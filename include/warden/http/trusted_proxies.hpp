#pragma once
// Who the client is behind a reverse proxy (`--trusted-proxy`). The TCP peer is the client
// unless the peer is one of the trusted proxies; then the forwarding headers it sent name the
// client: the rightmost address in them that is not itself a trusted proxy. Every proxy appends
// the address it received the request from, so entries to the right of the first untrusted one
// were written by our proxies, and anything to its left may be the client's own invention.
//
// `X-Forwarded-For` is read when present (nginx, HAProxy, Envoy, cloud load balancers), else
// RFC 7239 `Forwarded: for=`. A proxy that writes only `Forwarded` must drop an incoming
// `X-Forwarded-For`, or a client could name itself through it.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/fields.hpp>

#include <warden/core/network_range.hpp>

namespace warden::http {

class trusted_proxies {
  public:
    /// Trusts no one: every peer is the client.
    trusted_proxies() = default;
    explicit trusted_proxies(std::vector<network_range> ranges) : ranges_(std::move(ranges)) {}

    [[nodiscard]] bool empty() const noexcept { return ranges_.empty(); }
    /// Whether `address` (IPv4 or IPv6 text) is in one of the ranges.
    [[nodiscard]] bool trusts(std::string_view address) const;

    /// The client's address for a request with `headers` from the TCP peer `peer`: `peer`
    /// unless it is trusted and a forwarding header names someone; then, walking the header's
    /// addresses from the right, the first one not trusted (or the leftmost, if all are). An
    /// entry that is not an IP address (`unknown`, an obfuscated `_name`, garbage) ends the walk
    /// at `peer`: what lies beyond it cannot be told apart from the client's own words.
    /// IPv6 comes back without brackets or port, IPv4-mapped IPv6 as IPv4.
    [[nodiscard]] std::string client_address(std::string_view peer,
                                             boost::beast::http::fields const& headers) const;

  private:
    std::vector<network_range> ranges_;
};

}  // namespace warden::http
