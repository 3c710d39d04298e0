#include "password/stored_hash.hpp"

#include <warden/password/errc.hpp>

namespace warden::password {
namespace {

template <class Hash>
result<stored_hash> lift(result<Hash> parsed) {
    if (!parsed) return parsed.error();
    return stored_hash{std::move(*parsed)};
}

}  // namespace

result<stored_hash> parse_stored_hash(std::string_view text) {
    if (text.starts_with("$argon2id$") || text.starts_with("$argon2i$")) {
        return lift(parse_argon2(text));
    }
    if (text.starts_with("$2a$") || text.starts_with("$2b$") || text.starts_with("$2y$")) {
        return lift(parse_bcrypt(text));
    }
    if (text.starts_with("$bcrypt-sha256$")) return lift(parse_bcrypt_sha256(text));
    if (text.starts_with("$pbkdf2-sha256$")) return lift(parse_pbkdf2_sha256(text));
    return make_error_code(errc::unknown_scheme);
}

scheme scheme_of(stored_hash const& h) {
    return std::visit(overloaded{
                          [](argon2_phc const& a) { return a.kind; },
                          [](bcrypt_hash const&) { return scheme::bcrypt; },
                          [](bcrypt_sha256_hash const&) { return scheme::bcrypt_sha256; },
                          [](pbkdf2_sha256_hash const&) { return scheme::pbkdf2_sha256; },
                      },
                      h);
}

result<verdict> verify_stored(stored_hash const& h, std::string_view password) {
    return std::visit(
        overloaded{
            [&](argon2_phc const& a) { return verify_argon2(a, password); },
            [&](bcrypt_hash const& b) { return verify_bcrypt(b, password); },
            [&](bcrypt_sha256_hash const& b) { return verify_bcrypt_sha256(b, password); },
            [&](pbkdf2_sha256_hash const& p) { return verify_pbkdf2_sha256(p, password); },
        },
        h);
}

}  // namespace warden::password
