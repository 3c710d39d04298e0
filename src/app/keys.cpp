#include "app/keys.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <warden/core/random.hpp>
#include <warden/core/sealed_box.hpp>
#include <warden/jwt/algorithm.hpp>

#include "app/data_files.hpp"

namespace warden::app {
namespace {

std::string read_text_file(std::filesystem::path const& path) {
    std::ifstream in{path, std::ios::binary};
    if (!in)
        throw startup_error(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

/// Creates `path` with mode 0600 and writes `contents`; fails if it exists (never overwrites).
void write_private_file(std::filesystem::path const& path, std::string_view contents) {
    std::error_code ec;
    if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
        throw startup_error(fmt::format("cannot create directory {}: {}",
                                        path.parent_path().string(), ec.message()));
    int const fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        throw startup_error(
            fmt::format("cannot create {}: {}", path.string(), std::strerror(errno)));
    std::size_t written = 0;
    while (written < contents.size()) {
        auto const n = ::write(fd, contents.data() + written, contents.size() - written);
        if (n < 0) {
            ::close(fd);
            throw startup_error(
                fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        throw startup_error(
            fmt::format("cannot write {}: {}", path.string(), std::strerror(errno)));
    }
}

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (char const c : bytes) {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 15];
    }
    return out;
}

/// The bytes of `text` written as hex digits (either case); none for anything else.
std::optional<secret_bytes> from_hex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    auto const digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int const high = digit(text[i]);
        int const low = digit(text[i + 1]);
        if (high < 0 || low < 0) {
            secret_bytes const wiped{std::move(out)};
            return std::nullopt;
        }
        out += static_cast<char>(high * 16 + low);
    }
    return secret_bytes{std::move(out)};
}

/// The secret text: as given, or the secret file's first line, or a new one written there.
secret_bytes load_secret(config const& settings, notice_sink const& notice) {
    if (settings.secret_key) {
        if (settings.secret_key_on_command_line) {
            notice(
                "--secret-key on the command line is visible to every local user (ps, "
                "/proc/PID/cmdline); "
                "use --secret-file or WARDEN_SECRET_KEY");
        }
        return settings.secret_key->clone();
    }
    if (std::filesystem::exists(settings.secret_file)) {
        notice_if_readable_by_others(settings.secret_file, "the secret file", notice);
        std::string text = read_text_file(settings.secret_file);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
        return secret_bytes{std::move(text)};
    }
    // 256 random bits as 64 hex characters: what the FastAPI tutorial's `openssl rand -hex 32`
    // makes, so the same text can be handed to a Python service as SECRET_KEY.
    auto const raw = random_bytes(32);
    if (!raw) throw startup_error("the system random number generator failed");
    secret_bytes secret{to_hex(*raw)};
    write_private_file(settings.secret_file, std::string{secret.view()} + "\n");
    notice(fmt::format("generated a new 256-bit secret in {} (mode 0600)",
                       settings.secret_file.string()));
    return secret;
}

}  // namespace

jwt::key load_secret_key(config const& settings, notice_sink const& notice) {
    auto const alg = jwt::algorithm_from_string(settings.algorithm);
    if (!alg) throw startup_error(fmt::format("unknown algorithm {}", settings.algorithm));
    if (!jwt::is_symmetric(*alg)) {
        throw startup_error(
            fmt::format("{} signs with keys in the store, not a secret", settings.algorithm));
    }
    auto const secret = load_secret(settings, notice);
    if (secret.size() < 32) {
        throw startup_error(
            fmt::format("the secret is {} bytes; at least 32 are required", secret.size()));
    }
    auto key = jwt::key::from_utf8_secret(*alg, secret.view());
    if (!key) {
        throw startup_error(fmt::format("the secret cannot be used with {}: {}", settings.algorithm,
                                        key.error().message()));
    }
    return std::move(*key);
}

std::optional<jwt::key> read_signing_key_file(config const& settings, notice_sink const& notice) {
    auto const alg = jwt::algorithm_from_string(settings.algorithm);
    if (!alg) throw startup_error(fmt::format("unknown algorithm {}", settings.algorithm));
    auto const& path = settings.signing_key_file;
    if (!std::filesystem::exists(path)) return std::nullopt;
    notice_if_readable_by_others(path, "the signing key file", notice);
    auto const pem = read_text_file(path);
    auto key = jwt::key::from_pem(*alg, pem);
    if (!key) {
        throw startup_error(fmt::format("{} is not a usable {} private key: {}", path.string(),
                                        settings.algorithm, key.error().message()));
    }
    // The RFC 7638 thumbprint names the key in the `kid` header and the JWK Set.
    auto const kid = key->thumbprint();
    if (!kid) throw startup_error("cannot compute the signing key's thumbprint");
    auto named = jwt::key::from_pem(*alg, pem, {.kid = *kid});
    if (!named) throw startup_error("cannot load the signing key: " + named.error().message());
    return std::move(*named);
}

secret_bytes load_key_encryption_key(config const& settings, notice_sink const& notice) {
    auto const& path = settings.kek_file;
    if (!std::filesystem::exists(path)) {
        auto const raw = random_bytes(seal_key_size);
        if (!raw) throw startup_error("the system random number generator failed");
        write_private_file(path, to_hex(*raw) + "\n");
        notice(fmt::format(
            "generated a new key-encryption key in {} (mode 0600): back it up, and give every "
            "process of this deployment the same --kek-file",
            path.string()));
    }
    notice_if_readable_by_others(path, "the key-encryption key file", notice);
    secret_bytes const text{read_text_file(path)};
    auto hex = text.view();
    while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.remove_suffix(1);
    auto key = from_hex(hex);
    if (!key || key->size() != seal_key_size) {
        throw startup_error(fmt::format(
            "{} is not a key-encryption key: it must hold 64 hexadecimal characters (32 bytes, "
            "as 'openssl rand -hex 32' writes them)",
            path.string()));
    }
    return std::move(*key);
}

auth::key_lifetimes key_lifetimes(config const& settings) {
    return {.access_ttl = settings.access_token_ttl, .leeway = settings.token_leeway};
}

std::string unreadable_keys_message(config const& settings, std::vector<std::string> const& kids) {
    return fmt::format(
        "the signing key{} {} in the store do{} not open with the key-encryption key in {}: every "
        "process of a deployment (wardend and the warden CLI) needs the same --kek-file",
        kids.size() == 1 ? "" : "s", fmt::join(kids, ", "), kids.size() == 1 ? "es" : "",
        settings.kek_file.string());
}

void ensure_current_signing_key(auth::signing_keys const& keys, config const& settings,
                                notice_sink const& notice) {
    auto const loaded = keys.load();
    if (!loaded) throw startup_error("cannot read the signing keys: " + loaded.error().message());
    if (!loaded->unreadable.empty())
        throw startup_error(unreadable_keys_message(settings, loaded->unreadable));
    if (loaded->current) return;
    auto const alg = jwt::algorithm_from_string(settings.algorithm);
    if (!alg) throw startup_error(fmt::format("unknown algorithm {}", settings.algorithm));
    auto imported = read_signing_key_file(settings, notice);
    auto key = imported ? result<jwt::key>{std::move(*imported)} : jwt::key::generate(*alg);
    if (!key) throw startup_error("cannot generate a signing key: " + key.error().message());
    auto const added = keys.add_first(*key);
    if (!added) throw startup_error("cannot store the signing key: " + added.error().message());
    if (!*added) return;  // another process started at the same moment and added its key
    auto const thumbprint = key->thumbprint();
    auto const kid = thumbprint ? *thumbprint : std::string{};
    if (imported) {
        notice(fmt::format(
            "imported the {} signing key of {} into the store as {} (the file is not read again)",
            settings.algorithm, settings.signing_key_file.string(), kid));
    } else {
        notice(
            fmt::format("generated a new {} signing key {} in the store", settings.algorithm, kid));
    }
}

}  // namespace warden::app
