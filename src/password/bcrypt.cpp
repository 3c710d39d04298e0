#include "password/bcrypt.hpp"

#include <crypt.h>
#include <openssl/crypto.h>

#include <array>
#include <cstring>
#include <memory>
#include <warden/core/constant_time.hpp>
#include <warden/core/random.hpp>
#include <warden/core/secret.hpp>
#include <warden/password/errc.hpp>

#include "password/codec.hpp"

namespace warden::password {
namespace {

constexpr std::size_t setting_size = 7 + bcrypt_salt_chars;  // "$2b$NN$" + salt
constexpr std::size_t hash_size = setting_size + bcrypt_digest_chars;
constexpr std::size_t salt_bytes = 16;

/// libxcrypt's work area (about 32 KiB), zeroed before use as crypt_rn requires and wiped after:
/// it holds key-derived state.
struct crypt_area {
    crypt_area() : data(std::make_unique<crypt_data>()) {}
    crypt_area(crypt_area const&) = delete;
    crypt_area& operator=(crypt_area const&) = delete;
    ~crypt_area() { OPENSSL_cleanse(data.get(), sizeof(crypt_data)); }
    std::unique_ptr<crypt_data> data;
};

}  // namespace

result<bcrypt_hash> parse_bcrypt(std::string_view text) {
    auto const malformed = make_error_code(errc::malformed_hash);
    if (text.size() != hash_size) return malformed;
    if (text[0] != '$' || text[1] != '2' || text[3] != '$' || text[6] != '$') return malformed;
    char const minor = text[2];
    if (minor != 'a' && minor != 'b' && minor != 'y') return malformed;
    // Always two digits: "$2b$04$".
    if (text[4] < '0' || text[4] > '9' || text[5] < '0' || text[5] > '9') return malformed;
    unsigned const rounds =
        static_cast<unsigned>(text[4] - '0') * 10 + static_cast<unsigned>(text[5] - '0');
    if (rounds < bcrypt_min_rounds || rounds > bcrypt_max_rounds) return malformed;
    auto const salt = text.substr(7, bcrypt_salt_chars);
    auto const digest = text.substr(setting_size);
    if (!base64_characters(salt, base64_alphabet::bcrypt) ||
        !base64_characters(digest, base64_alphabet::bcrypt)) {
        return malformed;
    }
    return bcrypt_hash{.text = std::string{text},
                       .minor = minor,
                       .rounds = rounds,
                       .canonical_salt = base64_canonical_tail(salt, base64_alphabet::bcrypt)};
}

result<std::string> bcrypt_digest(std::string_view key, std::string_view setting) {
    // crypt_rn reads C strings (std::string keeps a terminating NUL after its bytes), so a NUL
    // inside would end the password early; callers reject it, this keeps the function honest.
    secret_bytes const phrase{key.substr(0, bcrypt_max_password)};
    if (phrase.view().find('\0') != std::string_view::npos) {
        return make_error_code(errc::password_contains_nul);
    }
    std::string const setting_text{setting};
    crypt_area area;
    char const* out =
        crypt_rn(phrase.view().data(), setting_text.c_str(), area.data.get(), sizeof(crypt_data));
    // On failure crypt_rn returns a null pointer (and leaves a "*0"-style token in the area).
    if (out == nullptr) return make_error_code(errc::hash_failed);
    std::string_view const produced{out};
    if (produced.size() != setting_size + bcrypt_digest_chars || !produced.starts_with("$2")) {
        return make_error_code(errc::hash_failed);
    }
    return std::string{produced.substr(setting_size)};
}

namespace {

// "$2b$NN$" + 22 salt characters from libxcrypt, which encodes the salt canonically.
result<std::string> new_setting(unsigned rounds) {
    auto random = random_bytes(salt_bytes);
    if (!random) return random.error();
    std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
    if (crypt_gensalt_rn("$2b$", rounds, random->data(), static_cast<int>(random->size()),
                         setting.data(), static_cast<int>(setting.size())) == nullptr) {
        return make_error_code(errc::hash_failed);
    }
    std::string text{setting.data()};
    if (text.size() != setting_size) return make_error_code(errc::hash_failed);
    return text;
}

}  // namespace

result<std::string> unmatchable_bcrypt(unsigned rounds) {
    auto setting = new_setting(rounds);
    if (!setting) return setting.error();
    // 23 random bytes are 31 characters of bcrypt's alphabet, the digest's length.
    auto random = random_bytes(23);
    if (!random) return random.error();
    return *setting + base64_encode(*random, base64_alphabet::bcrypt);
}

result<std::string> hash_bcrypt(std::string_view password, unsigned rounds) {
    auto setting = new_setting(rounds);
    if (!setting) return setting.error();
    auto digest = bcrypt_digest(password, *setting);
    if (!digest) return digest.error();
    return *setting + *digest;
}

result<verdict> verify_bcrypt(bcrypt_hash const& stored, std::string_view password) {
    auto const setting = std::string_view{stored.text}.substr(0, setting_size);
    auto digest = bcrypt_digest(password, setting);
    if (!digest) return digest.error();
    // Compare digests only: libxcrypt rewrites a salt's stray padding bits in its output, which
    // it ignores anyway (as passlib does).
    bool const matched =
        constant_time_equal(*digest, std::string_view{stored.text}.substr(setting_size));
    return matched ? verdict::match : verdict::mismatch;
}

}  // namespace warden::password
