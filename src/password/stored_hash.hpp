#pragma once
// A stored hash of any scheme warden knows, parsed: the dispatch by prefix.
#include <string_view>
#include <variant>
#include <warden/core/result.hpp>
#include <warden/password/scheme.hpp>
#include <warden/password/verdict.hpp>

#include "password/argon2.hpp"
#include "password/bcrypt.hpp"
#include "password/bcrypt_sha256.hpp"
#include "password/pbkdf2_sha256.hpp"

namespace warden::password {

/// The usual visitor helper for `std::visit`.
template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
// clang 14 (the fuzz preset) has no deduction for aggregates yet.
template <class... F>
overloaded(F...) -> overloaded<F...>;

using stored_hash = std::variant<argon2_phc, bcrypt_hash, bcrypt_sha256_hash, pbkdf2_sha256_hash>;

/// Parses by prefix. `errc::unknown_scheme` for a prefix warden does not know (including
/// `$argon2d$`, `$2x$`, `$2$`, crypt(3)'s `$1$`/`$5$`/`$6$`), `errc::malformed_hash` for a known
/// prefix with a body that does not parse.
[[nodiscard]] result<stored_hash> parse_stored_hash(std::string_view text);

[[nodiscard]] scheme scheme_of(stored_hash const& h);

/// Verifies `password` against a parsed hash with the scheme's own rules.
[[nodiscard]] result<verdict> verify_stored(stored_hash const& h, std::string_view password);

}  // namespace warden::password
