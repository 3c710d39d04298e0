#include <array>
#include <utility>
#include <warden/password/errc.hpp>
#include <warden/password/scheme.hpp>

namespace warden::password {
namespace {

constexpr std::array<std::pair<scheme, std::string_view>, scheme_count> names{{
    {scheme::argon2id, "argon2id"},
    {scheme::argon2i, "argon2i"},
    {scheme::bcrypt, "bcrypt"},
    {scheme::bcrypt_sha256, "bcrypt_sha256"},
    {scheme::pbkdf2_sha256, "pbkdf2_sha256"},
}};

}  // namespace

std::string_view name(scheme s) noexcept {
    for (auto const& [value, text] : names) {
        if (value == s) return text;
    }
    return "unknown";
}

result<scheme> parse_scheme(std::string_view text) {
    for (auto const& [value, known] : names) {
        if (known == text) return value;
    }
    return make_error_code(errc::unknown_scheme_name);
}

}  // namespace warden::password
