#include <warden/http/tls.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <boost/asio/buffer.hpp>

#include <warden/core/secret.hpp>

#include "http/tls_native.hpp"

namespace warden::http {
namespace {

// TLS 1.2 suites with forward secrecy and an AEAD cipher (Mozilla's "intermediate" list without
// DHE); TLS 1.3 keeps OpenSSL's defaults, which are all of that kind.
constexpr char const* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

/// Throws "<what> <path>: <why> (<detail>)". (Appended piece by piece: GCC 12 -O3 warns
/// -Wrestrict, wrongly, on `"literal" + std::string`.)
[[noreturn]] void fail(std::string_view what, std::filesystem::path const& path,
                       std::string_view why, std::string_view detail = {}) {
    std::string message{what};
    message += ' ';
    message += path.string();
    message += ": ";
    message += why;
    if (!detail.empty()) {
        message += " (";
        message += detail;
        message += ')';
    }
    throw tls_error{message};
}

/// The oldest error OpenSSL queued on this thread, as text; the queue is left empty.
std::string openssl_reason() {
    unsigned long const code = ERR_peek_error();
    char const* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
    ERR_clear_error();
    return reason != nullptr ? reason : "unknown error";
}

std::string read_file(std::string_view what, std::filesystem::path const& path) {
    std::ifstream in{path, std::ios::binary};
    if (!in) fail(what, path, std::strerror(errno));
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) fail(what, path, "is not a regular file");
    std::string text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    if (text.empty()) fail(what, path, "is empty");
    return text;
}

struct bio_deleter {
    void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct pkey_deleter {
    void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};

/// A passphrase callback that has none to give: an encrypted key fails to load instead of
/// OpenSSL asking on the terminal (a daemon has no one to ask).
int no_passphrase(char*, int, int, void*) { return 0; }

void use_private_key(SSL_CTX* ctx, tls_files const& files) {
    constexpr std::string_view what = "TLS private key";
    secret_bytes const pem{read_file(what, files.private_key)};
    if (pem.view().find("ENCRYPTED") != std::string_view::npos)
        fail(what, files.private_key,
             "is encrypted; give it unencrypted (readable by wardend alone), as wardend cannot ask "
             "for a passphrase");
    std::unique_ptr<BIO, bio_deleter> const bio{
        BIO_new_mem_buf(pem.view().data(), static_cast<int>(pem.size()))};
    if (!bio) fail(what, files.private_key, openssl_reason());
    std::unique_ptr<EVP_PKEY, pkey_deleter> const key{
        PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr)};
    if (!key) fail(what, files.private_key, "not a PEM private key", openssl_reason());
    // OpenSSL compares the key with the certificate already in use.
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        std::string why = "does not match the certificate ";
        why += files.certificate_chain.string();
        fail(what, files.private_key, why);
    }
}

}  // namespace

tls_context tls_context::load(tls_files const& files) {
    auto n = std::make_shared<native>();
    SSL_CTX* const ctx = n->context.native_handle();
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(ctx, tls12_ciphers) != 1)
        throw tls_error{std::string{"cannot configure TLS: "}.append(openssl_reason())};
    // No compression (CRIME), no renegotiation (a client could make the server redo handshakes);
    // idle connections hand their read and write buffers back.
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);

    constexpr std::string_view what = "TLS certificate";
    std::string const chain = read_file(what, files.certificate_chain);
    boost::system::error_code ec;
    n->context.use_certificate_chain(boost::asio::buffer(chain), ec);
    if (ec) fail(what, files.certificate_chain, "not a PEM certificate chain", openssl_reason());
    use_private_key(ctx, files);
    return tls_context{std::move(n)};
}

void skip_waiting_for_close_notify(tls_stream& stream) noexcept {
    // SSL_shutdown then finds the shutdown complete once its close_notify is out (RFC 8446
    // §6.1 lets the closing side leave without the peer's).
    SSL* const ssl = stream.native_handle();
    SSL_set_shutdown(ssl, SSL_get_shutdown(ssl) | SSL_RECEIVED_SHUTDOWN);
}

}  // namespace warden::http
