#include "password/argon2.hpp"

#include <argon2.h>
#include <openssl/crypto.h>

#include <limits>
#include <vector>
#include <warden/core/constant_time.hpp>
#include <warden/core/random.hpp>
#include <warden/password/errc.hpp>

#include "password/argon2_memory.hpp"
#include "password/codec.hpp"

namespace warden::password {
namespace {

constexpr std::uint32_t max_lanes = 0xFFFFFF;  // ARGON2_MAX_LANES

error_code malformed() noexcept { return make_error_code(errc::malformed_hash); }

/// Cuts `text` at the next '$' (or its end) and returns the piece before it.
std::string_view next_field(std::string_view& text) noexcept {
    auto const at = text.find('$');
    auto const field = text.substr(0, at);
    text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
    return field;
}

bool consume(std::string_view& text, std::string_view prefix) noexcept {
    if (!text.starts_with(prefix)) return false;
    text.remove_prefix(prefix.size());
    return true;
}

std::optional<std::uint32_t> parse_u32(std::string_view text) noexcept {
    auto const v = parse_decimal(text, std::numeric_limits<std::uint32_t>::max());
    if (!v) return std::nullopt;
    return static_cast<std::uint32_t>(*v);
}

/// Runs libargon2 into `out` (its size is the digest length), as `argon2_hash` does, with its
/// working memory from the block cache (argon2_memory.hpp).
error_code compute(argon2_type type, std::uint32_t version, argon2_params const& params,
                   std::string_view password, std::string_view salt, std::string& out) noexcept {
    if (password.size() > ARGON2_MAX_PWD_LENGTH || salt.size() > ARGON2_MAX_SALT_LENGTH ||
        out.size() > ARGON2_MAX_OUTLEN) {
        return make_error_code(errc::hash_failed);
    }
    argon2_context ctx{};
    ctx.out = reinterpret_cast<std::uint8_t*>(out.data());
    ctx.outlen = static_cast<std::uint32_t>(out.size());
    // libargon2 only reads the password and salt (no ARGON2_FLAG_CLEAR_PASSWORD/SECRET).
    ctx.pwd = reinterpret_cast<std::uint8_t*>(const_cast<char*>(password.data()));
    ctx.pwdlen = static_cast<std::uint32_t>(password.size());
    ctx.salt = reinterpret_cast<std::uint8_t*>(const_cast<char*>(salt.data()));
    ctx.saltlen = static_cast<std::uint32_t>(salt.size());
    ctx.t_cost = params.iterations;
    ctx.m_cost = params.memory_kib;
    ctx.lanes = params.parallelism;
    ctx.threads = params.parallelism;
    ctx.version = version;
    ctx.allocate_cbk = take_hash_memory;
    ctx.free_cbk = return_hash_memory;
    ctx.flags = ARGON2_DEFAULT_FLAGS;
    if (::argon2_ctx(&ctx, type) != ARGON2_OK) return make_error_code(errc::hash_failed);
    return {};
}

}  // namespace

result<argon2_phc> parse_argon2(std::string_view text) {
    argon2_phc h;
    if (consume(text, "$argon2id$")) {
        h.kind = scheme::argon2id;
    } else if (consume(text, "$argon2i$")) {
        h.kind = scheme::argon2i;
    } else {
        return malformed();
    }
    // A version field is optional: hashes from before Argon2 1.3 have none.
    h.version = argon2_version_10;
    if (consume(text, "v=")) {
        auto const version = parse_u32(next_field(text));
        if (!version || (*version != argon2_version_10 && *version != argon2_version_13)) {
            return malformed();
        }
        h.version = *version;
    }
    // m=<KiB>,t=<passes>,p=<lanes>, in this order (libargon2's decoder insists on it too).
    auto params = next_field(text);
    auto const comma1 = params.find(',');
    auto const comma2 = params.find(',', comma1 == std::string_view::npos ? comma1 : comma1 + 1);
    if (comma1 == std::string_view::npos || comma2 == std::string_view::npos) return malformed();
    auto m = params.substr(0, comma1);
    auto t = params.substr(comma1 + 1, comma2 - comma1 - 1);
    auto p = params.substr(comma2 + 1);
    if (!consume(m, "m=") || !consume(t, "t=") || !consume(p, "p=")) return malformed();
    auto const memory = parse_u32(m);
    auto const iterations = parse_u32(t);
    auto const lanes = parse_u32(p);
    if (!memory || !iterations || !lanes) return malformed();
    if (*lanes < 1 || *lanes > max_lanes || *iterations < 1) return malformed();
    // libargon2 refuses fewer than 8 blocks of 1 KiB per lane.
    if (static_cast<std::uint64_t>(*memory) < std::uint64_t{8} * *lanes) return malformed();
    h.params = {.memory_kib = *memory, .iterations = *iterations, .parallelism = *lanes};

    auto const salt_text = next_field(text);
    auto const digest_text = text;
    if (digest_text.find('$') != std::string_view::npos) return malformed();
    auto salt = base64_decode(salt_text, base64_alphabet::standard);
    auto digest = base64_decode(digest_text, base64_alphabet::standard);
    if (!salt || !digest) return malformed();
    if (salt->size() < ARGON2_MIN_SALT_LENGTH || digest->size() < ARGON2_MIN_OUTLEN)
        return malformed();
    h.salt = std::move(*salt);
    h.digest = std::move(*digest);
    return h;
}

std::string format_argon2(argon2_phc const& h) {
    std::string out = h.kind == scheme::argon2i ? "$argon2i$v=" : "$argon2id$v=";
    out += std::to_string(h.version);
    out += "$m=" + std::to_string(h.params.memory_kib);
    out += ",t=" + std::to_string(h.params.iterations);
    out += ",p=" + std::to_string(h.params.parallelism);
    out += '$';
    out += base64_encode(h.salt, base64_alphabet::standard);
    out += '$';
    out += base64_encode(h.digest, base64_alphabet::standard);
    return out;
}

result<std::string> hash_argon2id(std::string_view password, argon2_params const& params) {
    auto salt = random_bytes(argon2_salt_size);
    if (!salt) return salt.error();
    argon2_phc h{.kind = scheme::argon2id,
                 .version = argon2_version_13,
                 .params = params,
                 .salt = std::move(*salt),
                 .digest = std::string(argon2_digest_size, '\0')};
    if (auto ec = compute(Argon2_id, h.version, params, password, h.salt, h.digest)) return ec;
    return format_argon2(h);
}

result<std::string> unmatchable_argon2id(argon2_params const& params) {
    auto salt = random_bytes(argon2_salt_size);
    auto digest = random_bytes(argon2_digest_size);
    if (!salt) return salt.error();
    if (!digest) return digest.error();
    return format_argon2(argon2_phc{.kind = scheme::argon2id,
                                    .version = argon2_version_13,
                                    .params = params,
                                    .salt = std::move(*salt),
                                    .digest = std::move(*digest)});
}

result<verdict> verify_argon2(argon2_phc const& stored, std::string_view password) {
    std::string computed(stored.digest.size(), '\0');
    auto const type = stored.kind == scheme::argon2i ? Argon2_i : Argon2_id;
    if (auto ec = compute(type, stored.version, stored.params, password, stored.salt, computed)) {
        return ec;
    }
    bool const matched = constant_time_equal(computed, stored.digest);
    OPENSSL_cleanse(computed.data(), computed.size());
    return matched ? verdict::match : verdict::mismatch;
}

}  // namespace warden::password
