#pragma once
// The text encodings of the hash formats: base64 in three alphabets, strict decimals, UTF-8.
// Decoders accept exactly one spelling per value: no padding, no stray characters, zero
// trailing bits.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace warden::password {

enum class base64_alphabet {
    standard,  ///< RFC 4648 `A-Za-z0-9+/` (PHC strings, bcrypt_sha256's HMAC key)
    bcrypt,    ///< `./A-Za-z0-9` (bcrypt salts and digests)
    ab64,      ///< passlib's "adapted base64": standard with `.` for `+` (pbkdf2_sha256)
};

/// Encodes bytes; `pad` appends `=` to a multiple of 4 characters.
[[nodiscard]] std::string base64_encode(std::string_view bytes, base64_alphabet alphabet,
                                        bool pad = false);

/// Decodes unpadded text; nothing for a foreign character, a length of 1 mod 4 or non-zero
/// trailing bits.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text,
                                                       base64_alphabet alphabet);

/// Whether every character of `text` belongs to `alphabet`.
[[nodiscard]] bool base64_characters(std::string_view text, base64_alphabet alphabet) noexcept;

/// Whether the last character of unpadded text of this length leaves its unused bits at zero.
[[nodiscard]] bool base64_canonical_tail(std::string_view text, base64_alphabet alphabet) noexcept;

/// A plain decimal: digits only, no sign, no leading zero (but "0"), at most `max`.
[[nodiscard]] std::optional<std::uint64_t> parse_decimal(std::string_view text,
                                                         std::uint64_t max) noexcept;

/// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or values
/// above U+10FFFF).
[[nodiscard]] bool is_utf8(std::string_view text) noexcept;

}  // namespace warden::password
