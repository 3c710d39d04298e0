#pragma once
#include <string>
#include <string_view>

namespace warden {

/// The SHA-256 digest of `data` (32 raw bytes). Used to store opaque tokens by their hash.
[[nodiscard]] std::string sha256(std::string_view data);

}  // namespace warden
