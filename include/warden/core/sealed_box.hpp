#pragma once
// Authenticated encryption of small secrets at rest (signing keys, TOTP secrets): AES-256-GCM
// under a 32-byte key, a fresh random 96-bit nonce per seal. The sealed form is
// nonce (12) || ciphertext || tag (16); `associated_data` is authenticated, not stored, so a
// sealed value only opens in the context it was sealed for (e.g. bound to a key id).
#include <cstddef>
#include <string>
#include <string_view>

#include <warden/core/result.hpp>
#include <warden/core/secret.hpp>

namespace warden {

enum class seal_errc {
    bad_key_size = 1,  ///< the key is not 32 bytes
    too_short,         ///< shorter than a nonce and a tag: not a sealed value
    not_authentic,     ///< tampered with, sealed under another key or for other associated data
    crypto_failure,    ///< OpenSSL failed (an environment problem)
};

[[nodiscard]] boost::system::error_category const& seal_category() noexcept;

[[nodiscard]] inline error_code make_error_code(seal_errc e) noexcept {
    return {static_cast<int>(e), seal_category()};
}

inline constexpr std::size_t seal_key_size = 32;
inline constexpr std::size_t seal_nonce_size = 12;
inline constexpr std::size_t seal_tag_size = 16;
/// What sealing adds to the plaintext's length.
inline constexpr std::size_t seal_overhead = seal_nonce_size + seal_tag_size;

/// `plaintext` sealed under `key` with `associated_data` authenticated. Errors: `bad_key_size`,
/// `core_errc::random_failed`, `crypto_failure`.
[[nodiscard]] result<std::string> seal(secret_bytes const& key, std::string_view plaintext,
                                       std::string_view associated_data);

/// The plaintext of a value made by `seal` with the same key and associated data, wiped when
/// dropped. Errors: `bad_key_size`, `too_short`, `not_authentic` (any changed byte, another
/// key, other associated data), `crypto_failure`.
[[nodiscard]] result<secret_bytes> open_sealed(secret_bytes const& key, std::string_view sealed,
                                               std::string_view associated_data);

}  // namespace warden

template <>
struct boost::system::is_error_code_enum<warden::seal_errc> : std::true_type {};
