#pragma once
#include <string_view>

namespace warden {

/// Compares two byte strings in time that depends only on their lengths (CRYPTO_memcmp).
/// Use it for every comparison of a secret, MAC or hash; never `==`.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace warden
