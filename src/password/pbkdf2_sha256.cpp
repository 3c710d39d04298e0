#include "password/pbkdf2_sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <limits>
#include <warden/core/constant_time.hpp>
#include <warden/password/errc.hpp>

#include "password/codec.hpp"

namespace warden::password {

result<pbkdf2_sha256_hash> parse_pbkdf2_sha256(std::string_view text) {
    auto const malformed = make_error_code(errc::malformed_hash);
    constexpr std::string_view prefix = "$pbkdf2-sha256$";
    if (!text.starts_with(prefix)) return malformed;
    text.remove_prefix(prefix.size());
    auto const first = text.find('$');
    if (first == std::string_view::npos) return malformed;
    auto const second = text.find('$', first + 1);
    if (second == std::string_view::npos) return malformed;
    auto const rounds =
        parse_decimal(text.substr(0, first), std::numeric_limits<std::uint32_t>::max());
    if (!rounds || *rounds < 1) return malformed;
    auto salt = base64_decode(text.substr(first + 1, second - first - 1), base64_alphabet::ab64);
    auto digest = base64_decode(text.substr(second + 1), base64_alphabet::ab64);
    if (!salt || !digest) return malformed;
    if (salt->size() > pbkdf2_sha256_max_salt || digest->size() != pbkdf2_sha256_digest_size) {
        return malformed;
    }
    return pbkdf2_sha256_hash{.rounds = static_cast<std::uint32_t>(*rounds),
                              .salt = std::move(*salt),
                              .digest = std::move(*digest)};
}

result<verdict> verify_pbkdf2_sha256(pbkdf2_sha256_hash const& stored, std::string_view password) {
    constexpr auto int_max = static_cast<std::size_t>(std::numeric_limits<int>::max());
    if (stored.rounds > int_max || password.size() > int_max) {
        return make_error_code(errc::hash_failed);
    }
    std::array<unsigned char, pbkdf2_sha256_digest_size> out{};
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                          reinterpret_cast<unsigned char const*>(stored.salt.data()),
                          static_cast<int>(stored.salt.size()), static_cast<int>(stored.rounds),
                          EVP_sha256(), static_cast<int>(out.size()), out.data()) != 1) {
        return make_error_code(errc::hash_failed);
    }
    bool const matched = constant_time_equal(
        std::string_view{reinterpret_cast<char const*>(out.data()), out.size()}, stored.digest);
    OPENSSL_cleanse(out.data(), out.size());
    return matched ? verdict::match : verdict::mismatch;
}

}  // namespace warden::password
