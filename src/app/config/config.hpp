#pragma once
// The settings of `wardend` and the `warden` CLI (SPEC §5), as typed values. `parse_config.hpp`
// fills one from flags, `WARDEN_*` environment variables, a TOML file and the defaults below.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <warden/core/redact_url.hpp>
#include <warden/core/secret.hpp>

namespace warden::app {

/// Where the HTTP server listens. `host` is an IPv4 address, a host name or an IPv6 address
/// (kept without its brackets); port 0 asks the system for a free port.
struct listen_address {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8000;
    friend bool operator==(listen_address const&, listen_address const&) = default;
};

/// Argon2id cost parameters, written `m=KIB,t=N,p=N`.
struct argon2_params {
    std::uint32_t memory_kib = 19456;
    std::uint32_t iterations = 2;
    std::uint32_t parallelism = 1;
    friend bool operator==(argon2_params const&, argon2_params const&) = default;
};

enum class password_scheme { argon2id, bcrypt };
enum class registration_policy { open, closed };
enum class log_level { trace, debug, info, warn, error, off };
enum class log_format { text, json };

/// Every setting of SPEC §5. After `parse_config` the derived paths (`database`, `secret_file`,
/// `signing_key_file`, `kek_file`) are filled in from the final `data_dir` unless they were set.
struct config {
    listen_address listen;
    unsigned threads = 1;                      ///< default: the number of cores
    std::size_t max_connections = 10'000;      ///< beyond: new connections are closed at once
    std::size_t max_header_bytes = 16 * 1024;  ///< request line + headers; beyond: 431
    std::size_t max_body_bytes = 64 * 1024;    ///< beyond: 413
    std::chrono::seconds header_timeout{10};   ///< first byte to end of headers
    std::chrono::seconds body_timeout{30};     ///< end of headers to end of body
    std::chrono::seconds idle_timeout{60};     ///< keep-alive wait for the next request
    std::chrono::seconds write_timeout{30};    ///< writing one response
    std::filesystem::path data_dir = "./warden-data";
    std::string database;              ///< default: `sqlite:///<data_dir>/warden.db`
    std::optional<std::string> redis;  ///< none: the database holds revocations and counters
    unsigned database_pool = 0;        ///< most database connections; 0: 2 x threads
    std::chrono::seconds connect_timeout{30};  ///< how long start-up waits for PostgreSQL/Redis
    std::size_t cache_size = 100'000;          ///< users the guard keeps in memory; 0: no cache
    std::chrono::seconds sync_interval{1};     ///< how soon others' changes are enforced
    std::optional<secret_bytes> secret_key;    ///< none: read from `secret_file`, else generated
    bool secret_key_on_command_line = false;   ///< `--secret-key` was given (others see argv)
    std::filesystem::path secret_file;         ///< default: `<data_dir>/secret.key`
    std::string algorithm = "HS256";
    std::filesystem::path signing_key_file;  ///< default: `<data_dir>/signing-key.pem`
    /// Seals the signing keys in the store (asymmetric algorithms); default `<data_dir>/kek.key`.
    std::filesystem::path kek_file;
    std::optional<std::string> issuer;    ///< none: no `iss` claim
    std::optional<std::string> audience;  ///< none: no `aud` claim
    std::chrono::seconds access_token_ttl{std::chrono::minutes{30}};
    std::chrono::seconds refresh_token_ttl{std::chrono::hours{14 * 24}};
    /// Clock skew tolerated for `exp`, `nbf`, `iat`; also how long a retired key outlives the
    /// tokens it signed.
    std::chrono::seconds token_leeway{30};
    app::password_scheme password_scheme = app::password_scheme::argon2id;
    unsigned bcrypt_rounds = 12;
    argon2_params argon2;
    registration_policy registration = registration_policy::open;
    std::vector<std::string> default_scopes;  ///< sorted, unique RFC 6749 scope-tokens
    std::uint32_t login_max_failures = 5;
    std::chrono::seconds login_lockout{std::chrono::minutes{15}};
    std::vector<std::string> cors_origins;  ///< in the order given
    /// Peers allowed to name the client address (`X-Forwarded-For`, `Forwarded`); canonical CIDR
    /// text, in the order given.
    std::vector<std::string> trusted_proxies;
    std::filesystem::path tls_cert;                ///< PEM certificate chain; empty: plain HTTP
    std::filesystem::path tls_key;                 ///< PEM private key of `tls_cert`
    bool docs = true;                              ///< `/docs` and `/openapi.json`
    bool metrics = true;                           ///< `/metrics` and the counting behind it
    std::optional<listen_address> metrics_listen;  ///< none: `/metrics` on the main listener
    /// Base of the links in mails; none: `http(s)://<listen>` with the port actually bound.
    std::optional<std::string> public_url;
    std::optional<std::string> smtp_url;        ///< `smtp://` or `smtps://`; none: no mail sent
    std::string smtp_user;                      ///< empty: no SMTP AUTH
    std::optional<secret_bytes> smtp_password;  ///< from `WARDEN_SMTP_PASSWORD` only
    std::string mail_from;                      ///< `ADDR` or `Name <ADDR>`; needed by smtp_url
    std::filesystem::path mail_templates;       ///< overrides of the mail templates; empty: none
    unsigned mail_retries = 8;                  ///< attempts after a mail's first, then dropped
    std::chrono::seconds mail_retry_delay{5};   ///< before the first retry; doubles, at most 5m
    bool require_verified_email = false;        ///< an unverified user's login: 400
    std::uint32_t mail_limit_per_email = 5;     ///< mails an hour to one address
    std::uint32_t mail_limit_per_client = 20;   ///< mail requests an hour from one client address
    std::chrono::seconds verify_token_ttl{std::chrono::hours{24}};
    std::chrono::seconds reset_token_ttl{std::chrono::hours{1}};
    std::string totp_issuer = "warden";  ///< the name authenticator apps show
    app::log_level log_level = app::log_level::info;
    app::log_format log_format = app::log_format::text;
};

/// `HOST:PORT`, with brackets around an IPv6 host: `[::1]:8000`.
[[nodiscard]] std::string to_string(listen_address const& address);
/// `m=19456,t=2,p=1`.
[[nodiscard]] std::string to_string(argon2_params const& params);
/// `argon2id` or `bcrypt`.
[[nodiscard]] std::string_view to_string(password_scheme scheme) noexcept;
/// `open` or `closed`.
[[nodiscard]] std::string_view to_string(registration_policy policy) noexcept;
/// `trace`, `debug`, `info`, `warn`, `error` or `off`.
[[nodiscard]] std::string_view to_string(log_level level) noexcept;
/// `text` or `json`.
[[nodiscard]] std::string_view to_string(log_format format) noexcept;

using warden::redact_url;

/// The effective settings as TOML text for logs and diagnostics, one `key = value` line per
/// setting in SPEC §5 order. The secret key is never written (a comment says whether one is set)
/// and a password inside the database or Redis URL is replaced by `***`; without those, `--config`
/// reads the text back to the same settings.
[[nodiscard]] std::string describe(config const& settings);

}  // namespace warden::app
