#include "password/bcrypt_sha256.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <warden/core/constant_time.hpp>
#include <warden/core/secret.hpp>
#include <warden/password/errc.hpp>

#include "password/bcrypt.hpp"
#include "password/codec.hpp"

namespace warden::password {
namespace {

constexpr std::string_view prefix = "$bcrypt-sha256$";

bool consume(std::string_view& text, std::string_view head) noexcept {
    if (!text.starts_with(head)) return false;
    text.remove_prefix(head.size());
    return true;
}

/// The 32-byte SHA-256 (v1) or HMAC-SHA256 keyed with the salt text (v2) of the password.
result<std::string> prehash(bcrypt_sha256_hash const& h, std::string_view password) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    std::size_t size = 0;
    if (h.version == 1) {
        if (EVP_Q_digest(nullptr, "SHA256", nullptr, password.data(), password.size(), mac.data(),
                         &size) != 1) {
            return make_error_code(errc::hash_failed);
        }
    } else {
        if (EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, h.salt.data(), h.salt.size(),
                      reinterpret_cast<unsigned char const*>(password.data()), password.size(),
                      mac.data(), mac.size(), &size) == nullptr) {
            return make_error_code(errc::hash_failed);
        }
    }
    std::string out{reinterpret_cast<char const*>(mac.data()), size};
    OPENSSL_cleanse(mac.data(), mac.size());
    return out;
}

}  // namespace

result<bcrypt_sha256_hash> parse_bcrypt_sha256(std::string_view text) {
    auto const malformed = make_error_code(errc::malformed_hash);
    if (!consume(text, prefix)) return malformed;
    bcrypt_sha256_hash h;
    if (consume(text, "v=2,t=2b,r=")) {
        h.version = 2;
        h.minor = 'b';
    } else if (text.starts_with("2a,") || text.starts_with("2b,")) {
        h.version = 1;
        h.minor = text[1];
        text.remove_prefix(3);
    } else {
        return malformed;
    }
    auto const dollar = text.find('$');
    if (dollar == std::string_view::npos || dollar > 2) return malformed;
    auto const rounds = parse_decimal(text.substr(0, dollar), bcrypt_max_rounds);
    if (!rounds || *rounds < bcrypt_min_rounds) return malformed;
    h.rounds = static_cast<unsigned>(*rounds);
    text.remove_prefix(dollar + 1);
    if (text.size() != bcrypt_salt_chars + 1 + bcrypt_digest_chars ||
        text[bcrypt_salt_chars] != '$') {
        return malformed;
    }
    auto const salt = text.substr(0, bcrypt_salt_chars);
    auto const digest = text.substr(bcrypt_salt_chars + 1);
    if (!base64_characters(salt, base64_alphabet::bcrypt) ||
        !base64_characters(digest, base64_alphabet::bcrypt)) {
        return malformed;
    }
    // v2 keys its HMAC with the salt text, so stray padding bits would change the key while
    // bcrypt ignores them; passlib never writes such a salt.
    if (h.version == 2 && !base64_canonical_tail(salt, base64_alphabet::bcrypt)) return malformed;
    h.salt = std::string{salt};
    h.digest = std::string{digest};
    return h;
}

result<verdict> verify_bcrypt_sha256(bcrypt_sha256_hash const& stored, std::string_view password) {
    auto mac = prehash(stored, password);
    if (!mac) return mac.error();
    secret_bytes const raw{std::move(*mac)};
    secret_bytes const key{base64_encode(raw.view(), base64_alphabet::standard, true)};
    std::string setting = "$2";
    setting += stored.minor;
    setting += '$';
    setting += static_cast<char>('0' + stored.rounds / 10);
    setting += static_cast<char>('0' + stored.rounds % 10);
    setting += '$';
    setting += stored.salt;
    auto digest = bcrypt_digest(key.view(), setting);
    if (!digest) return digest.error();
    return constant_time_equal(*digest, stored.digest) ? verdict::match : verdict::mismatch;
}

}  // namespace warden::password
