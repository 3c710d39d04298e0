#pragma once
// TLS termination for the server (`--tls-cert`, `--tls-key`): a certificate chain and its private
// key, loaded and checked once at start-up, then shared read-only by every event loop. TLS 1.2
// and 1.3 only, forward-secret AEAD cipher suites only. No OpenSSL type appears here.
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <utility>

namespace warden::http {

/// Where the PEM files are.
struct tls_files {
    std::filesystem::path certificate_chain;  ///< the server's certificate first, then its CAs
    std::filesystem::path private_key;        ///< unencrypted PEM (PKCS#8 or traditional)
};

/// A file that cannot serve: the message names the file and says why.
class tls_error : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// The server's TLS settings and credentials. Copies share one context (cheap, thread-safe).
class tls_context {
  public:
    /// Reads and checks both files: each readable, the chain a PEM certificate chain, the key a
    /// PEM private key (not encrypted: there is no one to ask for a passphrase) that belongs to
    /// the chain's first certificate. A start-up step: throws `tls_error` on any failure, so a
    /// bad file stops the process before it listens, not at its first connection.
    [[nodiscard]] static tls_context load(tls_files const& files);

    struct native;  ///< the OpenSSL context, for the server (src/http/tls_native.hpp)
    [[nodiscard]] native& get() const noexcept { return *native_; }

  private:
    explicit tls_context(std::shared_ptr<native> n) noexcept : native_(std::move(n)) {}
    std::shared_ptr<native> native_;
};

}  // namespace warden::http
