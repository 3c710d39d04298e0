#pragma once
// The hashing context, the C++ form of passlib's `CryptContext(schemes=[...], deprecated="auto")`:
// hashes new passwords with the default scheme, verifies stored hashes of every accepted scheme
// and says when one must be replaced. Immutable after `create`: safe to share between threads.
// Every call is blocking CPU work (tens to hundreds of ms): run it on a `hash_pool`.
#include <string>
#include <string_view>
#include <warden/core/result.hpp>
#include <warden/password/options.hpp>
#include <warden/password/scheme.hpp>
#include <warden/password/verdict.hpp>

namespace warden::password {

class context {
  public:
    /// Checks `opts` and prepares the dummy hash (random, no hashing). Errors:
    /// `invalid_scheme_settings`, `invalid_costs`, `invalid_policy`, `hash_failed`, and
    /// `core_errc::random_failed`.
    [[nodiscard]] static result<context> create(options opts);

    /// The options the context was created with (checked).
    [[nodiscard]] options const& settings() const noexcept { return options_; }

    /// Checks a new password against the input policy without hashing it: length within
    /// `min_length..max_length`, UTF-8, no NUL, at most 72 bytes when the default is bcrypt.
    /// Errors: `password_too_short`, `password_too_long`, `password_not_utf8`,
    /// `password_contains_nul`, `password_too_long_for_bcrypt`.
    [[nodiscard]] result<void> check_new_password(std::string_view password) const;

    /// Hashes a new password with the default scheme and costs and a fresh 16-byte salt from
    /// the OS CSPRNG. Errors: those of `check_new_password`, `hash_failed`, `random_failed`.
    [[nodiscard]] result<std::string> hash(std::string_view password) const;

    /// Whether `password` matches `stored` (`verdict::match`), compared in constant time. The
    /// minimum length is not applied (old passwords may be shorter); a bcrypt hash uses the first
    /// 72 bytes, as passlib and every bcrypt made it. Errors: `password_too_long`,
    /// `password_not_utf8`, `password_contains_nul`; `malformed_hash`, `unknown_scheme`,
    /// `scheme_not_accepted`, `cost_exceeds_limit` for the stored hash; `hash_failed`. Never a
    /// match on an error.
    [[nodiscard]] result<verdict> verify(std::string_view password, std::string_view stored) const;

    /// `verify`, plus the replacement hash when the password matched and `needs_update(stored)`.
    /// Errors: those of `verify` and of `hash`.
    [[nodiscard]] result<verify_outcome> verify_and_update(std::string_view password,
                                                           std::string_view stored) const;

    /// Spends the time of one `verify` against a default-scheme hash at the default cost and
    /// matches nothing: for logins of unknown users. Errors: the password errors of `verify`
    /// (the same ones a real verify would return for this password), `hash_failed`.
    [[nodiscard]] result<void> dummy_verify(std::string_view password) const;

    /// Whether a valid stored hash should be replaced (`update::rehash`): its scheme is deprecated;
    /// its cost is below `minimum`; it is of the default scheme with a cost below the default
    /// (never for a higher one); or it is a legacy variant (argon2 v=16, bcrypt_sha256 v1, a bcrypt
    /// salt with stray padding bits). Errors: the stored-hash errors of `verify`.
    [[nodiscard]] result<update> needs_update(std::string_view stored) const;

    /// The scheme of a stored hash after checking it parses exactly and is accepted and within
    /// the limits (for importing user tables). Errors: the stored-hash errors of `verify`.
    [[nodiscard]] result<scheme> identify(std::string_view stored) const;

  private:
    context(options opts, std::string dummy_hash) noexcept;

    options options_;
    std::string dummy_hash_;
};

}  // namespace warden::password
