#pragma once
#include <string_view>

namespace warden {

/// True for well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code points above
/// U+10FFFF, no truncated sequences).
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace warden
