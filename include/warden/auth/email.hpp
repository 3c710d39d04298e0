#pragma once
// The e-mail rule: what an account's address may be and the one form it is stored and looked
// up in, so that look-alike spellings of one address are one account (README "E-mail addresses").
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace warden::auth {

/// The longest login `username` worth looking up; a longer one is a wrong login at once and
/// never becomes a counter key (RFC 3696's 320; what registration accepts is shorter still).
inline constexpr std::size_t max_login_username = 320;

/// The stored form of an address, or nullopt when it is not an acceptable address.
/// The form: an all-ASCII address is kept as written (the store matches it ignoring ASCII case);
/// an address with any non-ASCII character is Unicode-case-folded (full folding: `ß` -> `ss`,
/// Kelvin sign -> `k`) and then NFC-normalized, so every case variant, NFC/NFD spelling and
/// ASCII twin of it is one address. The rule, checked on that form: at most 254 bytes of UTF-8,
/// one `@` with a non-empty local part of at most 64 bytes not starting or ending with `.`, a
/// domain of at least two dot-separated labels (1-63 bytes, not starting or ending with `-`),
/// none of `"<>\,;()[]`, and no control (Cc), format (Cf: zero-width, bidi controls, BOM) or
/// space/separator (Z*, also U+0085) characters anywhere.
[[nodiscard]] std::optional<std::string> normalize_email(std::string_view email);

/// True when `normalize_email` accepts `email`.
[[nodiscard]] bool is_valid_email(std::string_view email);

}  // namespace warden::auth
