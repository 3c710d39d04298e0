#include <limits>
#include <warden/password/context.hpp>
#include <warden/password/errc.hpp>

#include "password/codec.hpp"
#include "password/input.hpp"
#include "password/stored_hash.hpp"

namespace warden::password {
namespace {

constexpr std::uint32_t argon2_max_lanes = 0xFFFFFF;
/// Beyond this a "password" is a payload; it also keeps every length an `int` for OpenSSL.
constexpr std::size_t max_password_length = 1 << 20;
/// The shortest stored hash warden can produce or read is bcrypt's 60 characters.
constexpr std::size_t min_hash_length_limit = 60;

error_code check_limits(options const& o) {
    auto const& p = o.policy;
    auto const& l = o.limits;
    bool const policy_ok =
        p.max_length >= 1 && p.min_length <= p.max_length && p.max_length <= max_password_length;
    bool const limits_ok =
        l.argon2_parallelism >= 1 && l.argon2_parallelism <= argon2_max_lanes &&
        l.argon2_iterations >= 1 && l.argon2_memory_kib >= 8 &&
        l.bcrypt_rounds >= bcrypt_min_rounds && l.bcrypt_rounds <= bcrypt_max_rounds &&
        l.pbkdf2_sha256_rounds >= 1 &&
        l.pbkdf2_sha256_rounds <= static_cast<std::uint32_t>(std::numeric_limits<int>::max()) &&
        l.hash_length >= min_hash_length_limit;
    if (!policy_ok || !limits_ok) return make_error_code(errc::invalid_policy);
    return {};
}

error_code check_schemes(options const& o) {
    if (!can_hash(o.default_scheme) || !o.accepted.contains(o.default_scheme) ||
        (o.deprecated && o.deprecated->contains(o.default_scheme))) {
        return make_error_code(errc::invalid_scheme_settings);
    }
    return {};
}

error_code check_costs(options const& o) {
    auto const& a = o.argon2;
    auto const& min = o.minimum;
    auto const& l = o.limits;
    bool const argon2_ok =
        a.parallelism >= 1 && a.parallelism <= argon2_max_lanes && a.iterations >= 1 &&
        std::uint64_t{a.memory_kib} >= std::uint64_t{8} * a.parallelism &&
        a.memory_kib >= min.argon2.memory_kib && a.iterations >= min.argon2.iterations &&
        a.parallelism >= min.argon2.parallelism && a.memory_kib <= l.argon2_memory_kib &&
        a.iterations <= l.argon2_iterations && a.parallelism <= l.argon2_parallelism;
    bool const bcrypt_ok =
        min.bcrypt_rounds >= bcrypt_min_rounds && min.bcrypt_rounds <= bcrypt_max_rounds &&
        o.bcrypt_rounds >= min.bcrypt_rounds && o.bcrypt_rounds <= l.bcrypt_rounds;
    if (!argon2_ok || !bcrypt_ok) return make_error_code(errc::invalid_costs);
    return {};
}

/// A hash of the default scheme at the default cost; no policy check (callers did theirs).
result<std::string> hash_default(options const& o, std::string_view password) {
    if (o.default_scheme == scheme::bcrypt) return hash_bcrypt(password, o.bcrypt_rounds);
    return hash_argon2id(password, o.argon2);
}

bool within_limits(stored_hash const& h, hash_limits const& l) {
    return std::visit(
        overloaded{
            [&](argon2_phc const& a) {
                return a.params.memory_kib <= l.argon2_memory_kib &&
                       a.params.iterations <= l.argon2_iterations &&
                       a.params.parallelism <= l.argon2_parallelism;
            },
            [&](bcrypt_hash const& b) { return b.rounds <= l.bcrypt_rounds; },
            [&](bcrypt_sha256_hash const& b) { return b.rounds <= l.bcrypt_rounds; },
            [&](pbkdf2_sha256_hash const& p) { return p.rounds <= l.pbkdf2_sha256_rounds; },
        },
        h);
}

bool deprecated(options const& o, scheme s) noexcept {
    // passlib's deprecated="auto": every scheme but the default.
    if (!o.deprecated) return s != o.default_scheme;
    return o.deprecated->contains(s);
}

bool below(argon2_params const& have, argon2_params const& want) noexcept {
    // Memory and passes make the cost; lanes only spread it, so they never force a re-hash.
    return have.memory_kib < want.memory_kib || have.iterations < want.iterations;
}

bool stale(options const& o, stored_hash const& h) {
    auto const s = scheme_of(h);
    if (deprecated(o, s)) return true;
    bool const is_default = s == o.default_scheme;
    return std::visit(
        overloaded{
            [&](argon2_phc const& a) {
                return a.version != argon2_version_13 || below(a.params, o.minimum.argon2) ||
                       (is_default && below(a.params, o.argon2));
            },
            [&](bcrypt_hash const& b) {
                return !b.canonical_salt || b.rounds < o.minimum.bcrypt_rounds ||
                       (is_default && b.rounds < o.bcrypt_rounds);
            },
            [&](bcrypt_sha256_hash const& b) {
                return b.version < 2 || b.rounds < o.minimum.bcrypt_rounds;
            },
            [&](pbkdf2_sha256_hash const& p) { return p.rounds < o.minimum.pbkdf2_sha256_rounds; },
        },
        h);
}

/// Parses a stored hash and checks it against the context: length, scheme accepted, costs.
result<stored_hash> parse_checked(options const& o, std::string_view stored) {
    // No scheme's hash is this long: garbage, or salts and digests nobody writes.
    if (stored.size() > o.limits.hash_length) return make_error_code(errc::malformed_hash);
    auto parsed = parse_stored_hash(stored);
    if (!parsed) return parsed.error();
    if (!o.accepted.contains(scheme_of(*parsed))) return make_error_code(errc::scheme_not_accepted);
    if (!within_limits(*parsed, o.limits)) return make_error_code(errc::cost_exceeds_limit);
    return parsed;
}

}  // namespace

context::context(options opts, std::string dummy_hash) noexcept
    : options_(opts), dummy_hash_(std::move(dummy_hash)) {}

result<context> context::create(options opts) {
    if (auto ec = check_limits(opts)) return ec;
    if (auto ec = check_schemes(opts)) return ec;
    if (auto ec = check_costs(opts)) return ec;
    // The dummy hash: the default scheme and cost with a random digest that no password is
    // known to give, so `dummy_verify` costs what verifying a current user's hash costs, and
    // making it costs no hash (start-up stays fast even at bcrypt's cost 12).
    auto dummy = opts.default_scheme == scheme::bcrypt ? unmatchable_bcrypt(opts.bcrypt_rounds)
                                                       : unmatchable_argon2id(opts.argon2);
    if (!dummy) return dummy.error();
    return context{opts, std::move(*dummy)};
}

result<void> context::check_new_password(std::string_view password) const {
    return check_new(password, options_.policy, options_.default_scheme);
}

result<std::string> context::hash(std::string_view password) const {
    if (auto r = check_new_password(password); !r) return r.error();
    return hash_default(options_, password);
}

result<verdict> context::verify(std::string_view password, std::string_view stored) const {
    if (auto r = check_candidate(password, options_.policy); !r) return r.error();
    auto parsed = parse_checked(options_, stored);
    if (!parsed) return parsed.error();
    return verify_stored(*parsed, password);
}

result<verify_outcome> context::verify_and_update(std::string_view password,
                                                  std::string_view stored) const {
    if (auto r = check_candidate(password, options_.policy); !r) return r.error();
    auto parsed = parse_checked(options_, stored);
    if (!parsed) return parsed.error();
    auto matched = verify_stored(*parsed, password);
    if (!matched) return matched.error();
    if (*matched != verdict::match) return verify_outcome{};
    if (!stale(options_, *parsed)) return verify_outcome{.matched = true, .new_hash = {}};
    // The user's existing password is re-hashed as it is: the minimum length applies to new
    // passwords only. bcrypt cannot take more than 72 bytes, so then the old hash stays.
    if (options_.default_scheme == scheme::bcrypt && password.size() > bcrypt_max_password) {
        return verify_outcome{.matched = true, .new_hash = {}};
    }
    auto fresh = hash_default(options_, password);
    if (!fresh) return fresh.error();
    return verify_outcome{.matched = true, .new_hash = std::move(*fresh)};
}

result<void> context::dummy_verify(std::string_view password) const {
    // The same steps as `verify_and_update` on a wrong password: checks, parse, one hash.
    if (auto r = check_candidate(password, options_.policy); !r) return r.error();
    auto parsed = parse_checked(options_, dummy_hash_);
    if (!parsed) return parsed.error();
    auto matched = verify_stored(*parsed, password);
    if (!matched) return matched.error();
    return {};
}

result<update> context::needs_update(std::string_view stored) const {
    auto parsed = parse_checked(options_, stored);
    if (!parsed) return parsed.error();
    return stale(options_, *parsed) ? update::rehash : update::keep;
}

result<scheme> context::identify(std::string_view stored) const {
    auto parsed = parse_checked(options_, stored);
    if (!parsed) return parsed.error();
    return scheme_of(*parsed);
}

}  // namespace warden::password
