#pragma once
// An IP network in CIDR notation (`--trusted-proxy`): which peers may name the client address.
// IPv4 ranges are kept as IPv4-mapped IPv6 ranges, so one comparison serves both families and a
// peer seen as `::ffff:10.0.0.1` on a dual-stack socket matches `10.0.0.0/8`.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden {

class network_range {
  public:
    using bytes = std::array<std::uint8_t, 16>;

    /// `10.0.0.0/8`, `fd00::/8`, or one address (`127.0.0.1` is `/32`, `::1` is `/128`). Host
    /// bits must be zero (`10.0.0.1/8` is refused as the likely typo it is); nullopt on anything
    /// else, spaces included.
    [[nodiscard]] static std::optional<network_range> parse(std::string_view text);

    /// An address in text (IPv4, IPv6, IPv4-mapped IPv6) as the 16 bytes ranges compare;
    /// nullopt when it is not an address.
    [[nodiscard]] static std::optional<bytes> address_bytes(std::string_view address);

    [[nodiscard]] bool contains(bytes const& address) const noexcept;
    /// False for text that is not an address.
    [[nodiscard]] bool contains(std::string_view address) const;

    /// The canonical CIDR text (`10.0.0.0/8`, `fd00::/8`).
    [[nodiscard]] std::string to_string() const;

  private:
    network_range(bytes network, unsigned prefix) noexcept : network_{network}, prefix_{prefix} {}
    bytes network_{};
    unsigned prefix_ = 0;  ///< of the 128-bit form (an IPv4 /8 is 104)
};

}  // namespace warden
