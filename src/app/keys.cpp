#include "app/keys.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <warden/core/random.hpp>
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

jwt::key load_signing_key(config const& settings, notice_sink const& notice) {
    auto const alg = jwt::algorithm_from_string(settings.algorithm);
    if (!alg) throw startup_error(fmt::format("unknown algorithm {}", settings.algorithm));
    if (jwt::is_symmetric(*alg)) {
        auto const secret = load_secret(settings, notice);
        if (secret.size() < 32) {
            throw startup_error(
                fmt::format("the secret is {} bytes; at least 32 are required", secret.size()));
        }
        auto key = jwt::key::from_utf8_secret(*alg, secret.view());
        if (!key) {
            throw startup_error(fmt::format("the secret cannot be used with {}: {}",
                                            settings.algorithm, key.error().message()));
        }
        return std::move(*key);
    }
    auto const& path = settings.signing_key_file;
    if (!std::filesystem::exists(path)) {
        auto generated = jwt::key::generate(*alg);
        if (!generated)
            throw startup_error("cannot generate a signing key: " + generated.error().message());
        auto pem = generated->private_pem();
        if (!pem) throw startup_error("cannot export the signing key: " + pem.error().message());
        write_private_file(path, pem->view());
        notice(fmt::format("generated a new {} signing key in {} (mode 0600)", settings.algorithm,
                           path.string()));
    }
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

}  // namespace warden::app
