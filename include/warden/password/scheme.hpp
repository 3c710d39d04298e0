#pragma once
// The password hash schemes warden knows. Two are produced (argon2id, bcrypt); the others are
// verified only, so user tables from passlib/argon2-cffi migrate as they are.
#include <cstdint>
#include <initializer_list>
#include <string_view>
#include <warden/core/result.hpp>

namespace warden::password {

enum class scheme : std::uint8_t {
    argon2id,       ///< `$argon2id$v=19$m=..,t=..,p=..$salt$hash` (libargon2); produced
    argon2i,        ///< `$argon2i$...`, verified only
    bcrypt,         ///< `$2b$NN$...` (libxcrypt), verifies `$2a$`, `$2y$` too; produced
    bcrypt_sha256,  ///< passlib `$bcrypt-sha256$v=2,t=2b,r=NN$salt$hash` (and v1), verified only
    pbkdf2_sha256,  ///< passlib `$pbkdf2-sha256$rounds$salt$hash`, verified only
};

inline constexpr std::size_t scheme_count = 5;

/// The passlib-style name: "argon2id", "argon2i", "bcrypt", "bcrypt_sha256", "pbkdf2_sha256".
[[nodiscard]] std::string_view name(scheme s) noexcept;

/// The scheme of a name as `name` spells it; `errc::unknown_scheme_name` otherwise.
[[nodiscard]] result<scheme> parse_scheme(std::string_view text);

/// Whether warden can produce hashes of `s` (argon2id and bcrypt); the others are verified only.
[[nodiscard]] constexpr bool can_hash(scheme s) noexcept {
    return s == scheme::argon2id || s == scheme::bcrypt;
}

/// A set of schemes (a bit mask); a regular value type.
class scheme_set {
  public:
    /// The empty set.
    constexpr scheme_set() noexcept = default;
    /// The set of `schemes`.
    constexpr scheme_set(std::initializer_list<scheme> schemes) noexcept {
        for (scheme s : schemes) bits_ |= bit(s);
    }
    /// Every scheme warden knows.
    [[nodiscard]] static constexpr scheme_set all() noexcept {
        return {scheme::argon2id, scheme::argon2i, scheme::bcrypt, scheme::bcrypt_sha256,
                scheme::pbkdf2_sha256};
    }
    /// Whether `s` is in the set.
    [[nodiscard]] constexpr bool contains(scheme s) const noexcept { return (bits_ & bit(s)) != 0; }
    /// Whether the set is empty.
    [[nodiscard]] constexpr bool empty() const noexcept { return bits_ == 0; }
    /// Adds `s`; returns the set.
    constexpr scheme_set& insert(scheme s) noexcept {
        bits_ |= bit(s);
        return *this;
    }
    /// Removes `s`; returns the set.
    constexpr scheme_set& erase(scheme s) noexcept {
        bits_ &= static_cast<std::uint8_t>(~bit(s));
        return *this;
    }
    friend constexpr bool operator==(scheme_set, scheme_set) noexcept = default;

  private:
    static constexpr std::uint8_t bit(scheme s) noexcept {
        return static_cast<std::uint8_t>(1U << static_cast<unsigned>(s));
    }
    std::uint8_t bits_ = 0;
};

}  // namespace warden::password
