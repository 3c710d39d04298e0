#pragma once
// One-time passwords as authenticator apps make them: HOTP (RFC 4226) over HMAC-SHA-1 with six
// digits, counted in 30-second time steps (RFC 6238's defaults, the only parameters every app
// supports), and the base32 (RFC 4648 §6) that carries the secret in an `otpauth://` URI.
#include <cstdint>
#include <string>
#include <string_view>

#include <warden/core/secret.hpp>

namespace warden {

inline constexpr std::int64_t totp_period = 30;  ///< seconds per time step
inline constexpr std::size_t totp_digits = 6;

/// The time step of Unix time `unix_seconds` (RFC 6238 §4.2, T0 = 0).
[[nodiscard]] constexpr std::int64_t totp_step(std::int64_t unix_seconds) noexcept {
    return unix_seconds / totp_period;
}

/// The six-digit code of `key` for counter `step` (RFC 4226 §5.3), zero-padded.
[[nodiscard]] std::string hotp_code(secret_bytes const& key, std::int64_t step);

/// `bytes` in base32 (RFC 4648 §6), upper case, without padding (as `otpauth://` URIs carry it).
[[nodiscard]] std::string base32_encode(std::string_view bytes);

}  // namespace warden
