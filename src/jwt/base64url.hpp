#pragma once
// base64url codecs that write into caller buffers, for the verification hot path. Exactly the
// rules of core's `base64url_decode` (no padding, no foreign characters, length not 1 mod 4, zero
// trailing bits), checked against it by tests and a differential fuzzer; table-driven four
// characters at a time.
#include <cstddef>
#include <optional>
#include <string_view>

namespace warden::jwt::detail {

/// Decodes exact unpadded base64url `in` into `out` (room for base64url_decoded_size(in.size())
/// bytes). The number of bytes written, or nullopt when `in` is not exact base64url (`out` then
/// holds garbage).
[[nodiscard]] std::optional<std::size_t> base64url_decode(std::string_view in, char* out) noexcept;

/// Bytes needed to encode `n` bytes.
[[nodiscard]] constexpr std::size_t base64url_encoded_size(std::size_t n) noexcept {
    return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

/// Encodes `in` as unpadded base64url into `out` (room for base64url_encoded_size(in.size())).
/// Returns the number of characters written.
std::size_t base64url_encode(std::string_view in, char* out) noexcept;

}  // namespace warden::jwt::detail
