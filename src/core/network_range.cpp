#include <warden/core/network_range.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

namespace warden {
namespace {

constexpr unsigned v4_offset = 96;  // bits before an IPv4 address in its mapped IPv6 form

bool is_v4_mapped(network_range::bytes const& b) noexcept {
    for (std::size_t i = 0; i < 10; ++i) {
        if (b[i] != 0) return false;
    }
    return b[10] == 0xff && b[11] == 0xff;
}

// Whether the bits of `b` past `prefix` are all zero.
bool host_bits_zero(network_range::bytes const& b, unsigned prefix) noexcept {
    for (unsigned bit = prefix; bit < 128; ++bit) {
        if ((b[bit / 8] >> (7 - bit % 8)) & 1U) return false;
    }
    return true;
}

}  // namespace

std::optional<network_range::bytes> network_range::address_bytes(std::string_view address) {
    // inet_pton needs a terminated string; no address is longer than INET6_ADDRSTRLEN.
    if (address.empty() || address.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    char text[INET6_ADDRSTRLEN] = {};
    std::memcpy(text, address.data(), address.size());
    bytes out{};
    in_addr v4{};
    if (inet_pton(AF_INET, text, &v4) == 1) {
        out[10] = 0xff;
        out[11] = 0xff;
        std::memcpy(out.data() + 12, &v4, 4);
        return out;
    }
    in6_addr v6{};
    if (inet_pton(AF_INET6, text, &v6) == 1) {
        std::memcpy(out.data(), &v6, 16);
        return out;
    }
    return std::nullopt;
}

std::optional<network_range> network_range::parse(std::string_view text) {
    auto const slash = text.find('/');
    auto const address = address_bytes(text.substr(0, slash));
    if (!address) return std::nullopt;
    bool const v4 = text.substr(0, slash).find(':') == std::string_view::npos;
    unsigned const width = v4 ? 32 : 128;
    unsigned prefix = width;
    if (slash != std::string_view::npos) {
        auto const digits = text.substr(slash + 1);
        auto const* end = digits.data() + digits.size();
        auto const [stop, ec] = std::from_chars(digits.data(), end, prefix);
        if (digits.empty() || digits.size() > 3 || ec != std::errc{} || stop != end ||
            prefix > width)
            return std::nullopt;
    }
    if (v4) prefix += v4_offset;
    if (!host_bits_zero(*address, prefix)) return std::nullopt;
    return network_range{*address, prefix};
}

bool network_range::contains(bytes const& address) const noexcept {
    unsigned const whole = prefix_ / 8;
    if (std::memcmp(address.data(), network_.data(), whole) != 0) return false;
    unsigned const rest = prefix_ % 8;
    if (rest == 0) return true;
    auto const mask = static_cast<std::uint8_t>(0xFFU << (8 - rest));
    return (address[whole] & mask) == (network_[whole] & mask);
}

bool network_range::contains(std::string_view address) const {
    auto const b = address_bytes(address);
    return b && contains(*b);
}

std::string network_range::to_string() const {
    char text[INET6_ADDRSTRLEN] = {};
    unsigned prefix = prefix_;
    if (is_v4_mapped(network_) && prefix_ >= v4_offset) {
        inet_ntop(AF_INET, network_.data() + 12, text, sizeof text);
        prefix -= v4_offset;
    } else {
        inet_ntop(AF_INET6, network_.data(), text, sizeof text);
    }
    return std::string{text} + '/' + std::to_string(prefix);
}

}  // namespace warden
