#pragma once
// ECDSA signature formats: JWS ES* uses the fixed-size concatenation r||s (RFC 7518 §3.4, IEEE
// P1363); OpenSSL signs and verifies ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }`.
#include <cstddef>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>

namespace warden::jwt::openssl {

/// DER of the r||s signature `raw` (two halves of equal length). Errors: `errc::bad_signature`
/// (empty or odd length), `errc::crypto_failure`.
[[nodiscard]] result<std::string> ecdsa_raw_to_der(std::string_view raw);

/// r||s, each left-padded to `field_size` bytes (32, 48 or 66), of the DER signature `der`.
/// Errors: `errc::bad_signature` (not exactly one DER signature, or r or s wider than the field).
[[nodiscard]] result<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t field_size);

}  // namespace warden::jwt::openssl
