#pragma once
// The full-name rule, shared by registration, the user APIs and the CLI (README "Full names").
#include <cstddef>
#include <string_view>

namespace warden::auth {

/// The most characters (Unicode code points) a full name may have, as FastAPI's `max_length`.
inline constexpr std::size_t max_full_name_length = 200;

enum class full_name_check {
    ok,
    too_long,      ///< more than `max_full_name_length` characters
    invalid_text,  ///< not UTF-8, or holds a control or bidi-control character or a line break
};

/// Checks a full name (empty is fine): valid UTF-8 of at most 200 characters with no control
/// character (Cc: NUL, ESC, TAB, CR, LF, DEL, C1 such as U+0085), no bidi control (U+061C,
/// U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and no line or paragraph separator (U+2028,
/// U+2029). Other format characters stay allowed: ZWJ/ZWNJ are needed by some scripts.
[[nodiscard]] full_name_check check_full_name(std::string_view name) noexcept;

}  // namespace warden::auth
