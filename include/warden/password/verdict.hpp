#pragma once
// The answers of a verification. `verify` answers with an enum rather than a bool on purpose:
// Boost 1.81's `result<bool>` turns an error into the value `false` when it is copied from a
// non-const lvalue (its converting constructor beats the copy constructor), which would make a
// full pool look like a wrong password. `result<verdict>` has no such conversion.
#include <cstdint>
#include <optional>
#include <string>

namespace warden::password {

/// Whether a password matched a stored hash.
enum class verdict : std::uint8_t { mismatch, match };

/// Whether a stored hash should be replaced by a fresh one (`context::needs_update`).
enum class update : std::uint8_t { keep, rehash };

/// What `verify_and_update` found.
struct verify_outcome {
    bool matched = false;
    /// Set only when `matched` and the stored hash must be replaced (deprecated scheme, cost
    /// below the minimum or below the default of the default scheme): the password hashed anew.
    std::optional<std::string> new_hash;
};

}  // namespace warden::password
