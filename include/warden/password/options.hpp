#pragma once
// The settings of a password `context`, passlib `CryptContext` style: the default scheme and
// its costs, accepted and deprecated schemes, minimum costs, the input policy, and limits on the
// cost of stored hashes. All plain values; `context::create` checks them.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/scheme.hpp>

namespace warden::password {

/// Argon2 costs: memory in KiB (`m`), passes (`t`), lanes (`p`).
struct argon2_params {
    std::uint32_t memory_kib = 19456;
    std::uint32_t iterations = 2;
    std::uint32_t parallelism = 1;
    friend constexpr bool operator==(argon2_params, argon2_params) noexcept = default;
};

/// Parses the PHC parameter text `m=<KiB>,t=<passes>,p=<lanes>` (in this order, plain decimal,
/// as `--argon2` takes it). `errc::invalid_costs` otherwise. Ranges are checked by `create`.
[[nodiscard]] result<argon2_params> parse_argon2_params(std::string_view text);

/// `m=19456,t=2,p=1`.
[[nodiscard]] std::string to_string(argon2_params const& params);

/// Costs below which a stored hash is re-hashed by `verify_and_update`, and below which the
/// default costs may not be set.
struct minimum_costs {
    /// The lowest memory of the OWASP argon2id profiles (7 MiB with t=5); `t` and `p` at 1.
    argon2_params argon2{.memory_kib = 7168, .iterations = 1, .parallelism = 1};
    unsigned bcrypt_rounds = 10;                 ///< SPEC §5; also bcrypt_sha256
    std::uint32_t pbkdf2_sha256_rounds = 29000;  ///< passlib's default
};

/// Rules for the password itself. UTF-8 and "no NUL" always apply; the lengths are in bytes.
struct input_policy {
    std::size_t min_length = 8;     ///< checked when hashing a new password, never on verify
    std::size_t max_length = 1024;  ///< checked on hash and on verify (bounds the work per call)
};

/// Upper bounds on the cost of a stored hash, so an imported or tampered hash cannot make one
/// verification take seconds or gigabytes (`errc::cost_exceeds_limit`). The default costs
/// must lie within them too.
struct hash_limits {
    std::uint32_t argon2_memory_kib = 262144;  ///< 256 MiB
    std::uint32_t argon2_iterations = 32;
    std::uint32_t argon2_parallelism = 64;
    unsigned bcrypt_rounds = 16;
    std::uint32_t pbkdf2_sha256_rounds = 5'000'000;
    std::size_t hash_length = 512;  ///< characters of a stored hash string
};

struct options {
    /// The scheme of new hashes: `argon2id` or `bcrypt`.
    scheme default_scheme = scheme::argon2id;
    /// Costs of new argon2id hashes (OWASP: m=19456 KiB, t=2, p=1).
    argon2_params argon2{};
    /// Cost of new bcrypt hashes (4..31; 12 by default).
    unsigned bcrypt_rounds = 12;
    minimum_costs minimum{};
    /// Schemes whose stored hashes verify at all; others fail with `scheme_not_accepted`.
    scheme_set accepted = scheme_set::all();
    /// Schemes whose stored hashes verify but are replaced on the next successful login.
    /// Empty optional: passlib's `deprecated="auto"`, every accepted scheme but the default.
    std::optional<scheme_set> deprecated;
    input_policy policy{};
    hash_limits limits{};
};

}  // namespace warden::password
