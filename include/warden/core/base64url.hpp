#pragma once
// base64url without padding (RFC 4648 §5, RFC 7515 §2): one canonical string per byte sequence.
#include <string>
#include <string_view>

#include <warden/core/result.hpp>

namespace warden {

/// Encodes bytes as unpadded base64url.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);

/// Decodes exact unpadded base64url. Rejects `=`, `+`, `/`, whitespace, a length of 1 mod 4 and
/// non-zero trailing bits (`core_errc::invalid_base64url`), so every input has one encoding.
[[nodiscard]] result<std::string> base64url_decode(std::string_view text);

/// The decoded size of a valid base64url string of `encoded_size` characters.
[[nodiscard]] constexpr std::size_t base64url_decoded_size(std::size_t encoded_size) noexcept {
    return encoded_size / 4 * 3 + (encoded_size % 4 == 0 ? 0 : encoded_size % 4 - 1);
}

}  // namespace warden
