#include "app/config/parse_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <thread>
#include <utility>
#include <warden/version.hpp>

#include "app/config/values.hpp"

namespace warden::app {
namespace {

constexpr std::uint64_t max_threads = 1024;

// One setting's value as found in one source, before parsing.
struct raw_value {
    std::string origin;              // "--listen", "WARDEN_LISTEN" or "FILE:LINE: listen"
    std::vector<std::string> items;  // one text, or the elements of a list
    bool from_list = false;          // items are elements (repeated flag, TOML array)
};

using apply_fn = error_code (*)(config&, raw_value&, std::string* why);

// TOML type a key takes; `list` (a repeatable flag) takes an array of strings, `scopes` a
// string or an array of strings.
enum class value_kind { text, integer, list, scopes, flag };

struct setting {
    std::string_view key;  // TOML key; the flag is "--" + key with '-' for '_'
    std::string_view env;
    std::string_view value_name;
    std::string_view meaning;
    std::string_view default_text;
    value_kind kind;
    apply_fn apply;
};

void set_why(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
}

std::string const& text_of(raw_value const& value) { return value.items.front(); }

template <class T>
error_code assign(result<T> parsed, T& target) {
    if (!parsed) return parsed.error();
    target = std::move(*parsed);
    return {};
}

error_code assign_text(raw_value const& value, std::string* why, std::string& target) {
    if (auto const ok = check_text(text_of(value), why); !ok) return ok.error();
    target = text_of(value);
    return {};
}

error_code assign_path(raw_value const& value, std::string* why, std::filesystem::path& target) {
    if (auto const ok = check_text(text_of(value), why); !ok) return ok.error();
    target = text_of(value);
    return {};
}

template <class Int>
error_code assign_integer(raw_value const& value, std::uint64_t min, std::uint64_t max,
                          std::string* why, Int& target) {
    auto const parsed = parse_integer(text_of(value), min, max, why);
    if (!parsed) return parsed.error();
    target = static_cast<Int>(*parsed);
    return {};
}

error_code apply_listen(config& c, raw_value& v, std::string* why) {
    return assign(parse_listen(text_of(v), why), c.listen);
}
error_code apply_threads(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1, max_threads, why, c.threads);
}
error_code apply_data_dir(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.data_dir);
}
error_code apply_database(config& c, raw_value& v, std::string* why) {
    if (auto const ok = check_database_url(text_of(v), why); !ok) return ok.error();
    c.database = text_of(v);
    return {};
}
error_code apply_redis(config& c, raw_value& v, std::string* why) {
    if (auto const ok = check_redis_url(text_of(v), why); !ok) return ok.error();
    c.redis = text_of(v);
    return {};
}
error_code apply_secret_key(config& c, raw_value& v, std::string* why) {
    // SPEC §5: the string's UTF-8 bytes are the key, as python-jose and PyJWT use SECRET_KEY.
    auto& text = v.items.front();
    if (text.size() < 32) {
        set_why(why,
                fmt::format("the secret key is {} bytes; at least 32 are required (or leave it "
                            "unset and wardend generates one in the data directory)",
                            text.size()));
        return config_errc::short_secret;
    }
    c.secret_key.emplace(std::move(text));
    return {};
}
error_code apply_secret_file(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.secret_file);
}
error_code apply_algorithm(config& c, raw_value& v, std::string* why) {
    if (auto const ok = check_algorithm(text_of(v), why); !ok) return ok.error();
    c.algorithm = text_of(v);
    return {};
}
error_code apply_signing_key_file(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.signing_key_file);
}
error_code apply_kek_file(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.kek_file);
}
error_code apply_issuer(config& c, raw_value& v, std::string* why) {
    return assign_text(v, why, c.issuer.emplace());
}
error_code apply_audience(config& c, raw_value& v, std::string* why) {
    return assign_text(v, why, c.audience.emplace());
}
error_code apply_access_token_ttl(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.access_token_ttl);
}
error_code apply_refresh_token_ttl(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.refresh_token_ttl);
}
error_code apply_token_leeway(config& c, raw_value& v, std::string* why) {
    // No tolerance at all is a choice here (durations elsewhere must not be zero).
    if (text_of(v) == "0s") {
        c.token_leeway = std::chrono::seconds{0};
        return {};
    }
    auto leeway = parse_duration(text_of(v), why);
    if (leeway && *leeway > std::chrono::minutes{5}) {
        set_why(why, "the token leeway must be from 0s to 5m");
        return config_errc::bad_value;
    }
    return assign(std::move(leeway), c.token_leeway);
}
error_code apply_password_scheme(config& c, raw_value& v, std::string* why) {
    return assign(parse_password_scheme(text_of(v), why), c.password_scheme);
}
error_code apply_bcrypt_rounds(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 10, 31, why, c.bcrypt_rounds);
}
error_code apply_argon2(config& c, raw_value& v, std::string* why) {
    return assign(parse_argon2(text_of(v), why), c.argon2);
}
error_code apply_registration(config& c, raw_value& v, std::string* why) {
    return assign(parse_registration(text_of(v), why), c.registration);
}
error_code apply_default_scopes(config& c, raw_value& v, std::string* why) {
    if (!v.from_list) return assign(parse_scopes(text_of(v), why), c.default_scopes);
    // A TOML array: each element is one scope-token, never a list of them.
    for (auto const& item : v.items) {
        if (!is_scope_token(item)) {
            set_why(why, fmt::format("invalid scope {}: a scope is printable ASCII without spaces, "
                                     "double quotes or backslashes (RFC 6749 §3.3)",
                                     quote(item)));
            return config_errc::bad_value;
        }
    }
    std::vector<std::string> scopes = v.items;
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    c.default_scopes = std::move(scopes);
    return {};
}
error_code apply_database_pool(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1, 1000, why, c.database_pool);
}
error_code apply_connect_timeout(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.connect_timeout);
}
error_code apply_cache_size(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 0, 100'000'000, why, c.cache_size);
}
error_code apply_sync_interval(config& c, raw_value& v, std::string* why) {
    auto interval = parse_duration(text_of(v), why);
    if (interval && (*interval < std::chrono::seconds{1} || *interval > std::chrono::hours{1})) {
        set_why(why, "the sync interval must be from 1s to 1h");
        return config_errc::bad_value;
    }
    return assign(std::move(interval), c.sync_interval);
}
error_code apply_login_max_failures(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1, 0xFFFFFFFFU, why, c.login_max_failures);
}
error_code apply_login_lockout(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.login_lockout);
}
error_code apply_cors_origin(config& c, raw_value& v, std::string* why) {
    if (!v.from_list) return assign(parse_origin_list(text_of(v), why), c.cors_origins);
    for (auto const& item : v.items) {
        if (auto const ok = check_origin(item, why); !ok) return ok.error();
    }
    c.cors_origins = v.items;
    return {};
}
error_code apply_trusted_proxy(config& c, raw_value& v, std::string* why) {
    std::vector<std::string> items = v.items;
    if (!v.from_list) {
        auto listed = parse_list(text_of(v), why);
        if (!listed) return listed.error();
        items = std::move(*listed);
    }
    std::vector<std::string> ranges;
    for (auto const& item : items) {
        auto const range = parse_network(item, why);
        if (!range) return range.error();
        ranges.push_back(range->to_string());
    }
    c.trusted_proxies = std::move(ranges);
    return {};
}
error_code apply_tls_cert(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.tls_cert);
}
error_code apply_tls_key(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.tls_key);
}
error_code apply_docs(config& c, raw_value& v, std::string* why) {
    return assign(parse_switch(text_of(v), why), c.docs);
}
error_code apply_metrics(config& c, raw_value& v, std::string* why) {
    return assign(parse_switch(text_of(v), why), c.metrics);
}
error_code apply_metrics_listen(config& c, raw_value& v, std::string* why) {
    return assign(parse_listen(text_of(v), why), c.metrics_listen.emplace());
}
error_code apply_public_url(config& c, raw_value& v, std::string* why) {
    if (auto const ok = check_public_url(text_of(v), why); !ok) return ok.error();
    std::string url = text_of(v);
    while (url.back() == '/') url.pop_back();  // links append "/verify-email?..."
    c.public_url = std::move(url);
    return {};
}
error_code apply_smtp_url(config& c, raw_value& v, std::string* why) {
    if (auto const ok = check_smtp_url(text_of(v), why); !ok) return ok.error();
    c.smtp_url = text_of(v);
    return {};
}
error_code apply_smtp_user(config& c, raw_value& v, std::string* why) {
    return assign_text(v, why, c.smtp_user);
}
error_code apply_mail_from(config& c, raw_value& v, std::string* why) {
    return assign_text(v, why, c.mail_from);
}
error_code apply_mail_templates(config& c, raw_value& v, std::string* why) {
    return assign_path(v, why, c.mail_templates);
}
error_code apply_mail_retries(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 0, 100, why, c.mail_retries);
}
error_code apply_mail_retry_delay(config& c, raw_value& v, std::string* why) {
    auto delay = parse_duration(text_of(v), why);
    if (delay && *delay > std::chrono::hours{1}) {
        set_why(why, "the mail retry delay must be from 1s to 1h");
        return config_errc::bad_value;
    }
    return assign(std::move(delay), c.mail_retry_delay);
}
error_code apply_require_verified_email(config& c, raw_value& v, std::string* why) {
    auto const text = text_of(v);
    if (text == "on" || text == "true" || text == "1" || text == "yes") {
        c.require_verified_email = true;
        return {};
    }
    if (text == "off" || text == "false" || text == "0" || text == "no") {
        c.require_verified_email = false;
        return {};
    }
    set_why(why, fmt::format("expected on or off, got {}", quote(text)));
    return config_errc::bad_value;
}
error_code apply_mail_limit_per_email(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1, 1'000'000, why, c.mail_limit_per_email);
}
error_code apply_mail_limit_per_client(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1, 1'000'000, why, c.mail_limit_per_client);
}
/// A one-time token's lifetime: 1 minute to 30 days.
error_code assign_token_ttl(raw_value& v, std::string* why, std::chrono::seconds& out) {
    auto ttl = parse_duration(text_of(v), why);
    if (ttl && (*ttl < std::chrono::seconds{1} || *ttl > std::chrono::hours{30 * 24})) {
        set_why(why, "a mail token's lifetime must be from 1s to 30d");
        return config_errc::bad_value;
    }
    return assign(std::move(ttl), out);
}
error_code apply_verify_token_ttl(config& c, raw_value& v, std::string* why) {
    return assign_token_ttl(v, why, c.verify_token_ttl);
}
error_code apply_reset_token_ttl(config& c, raw_value& v, std::string* why) {
    return assign_token_ttl(v, why, c.reset_token_ttl);
}
error_code apply_totp_issuer(config& c, raw_value& v, std::string* why) {
    if (text_of(v).size() > 64) {
        set_why(why, "the TOTP issuer is at most 64 characters");
        return config_errc::bad_value;
    }
    return assign_text(v, why, c.totp_issuer);
}
error_code apply_max_connections(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1, 1'000'000, why, c.max_connections);
}
error_code apply_max_header_bytes(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1024, 1024 * 1024, why, c.max_header_bytes);
}
error_code apply_max_body_bytes(config& c, raw_value& v, std::string* why) {
    return assign_integer(v, 1024, 64 * 1024 * 1024, why, c.max_body_bytes);
}
error_code apply_header_timeout(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.header_timeout);
}
error_code apply_body_timeout(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.body_timeout);
}
error_code apply_idle_timeout(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.idle_timeout);
}
error_code apply_write_timeout(config& c, raw_value& v, std::string* why) {
    return assign(parse_duration(text_of(v), why), c.write_timeout);
}
error_code apply_log_level(config& c, raw_value& v, std::string* why) {
    return assign(parse_log_level(text_of(v), why), c.log_level);
}
error_code apply_log_format(config& c, raw_value& v, std::string* why) {
    return assign(parse_log_format(text_of(v), why), c.log_format);
}

// SPEC §5, in its order. The names are a contract: scripts and tests rely on them.
constexpr std::array<setting, 55> setting_table{{
    {"listen", "WARDEN_LISTEN", "HOST:PORT",
     "Address to serve on; IPv6 as [::1]:8000; port 0 picks a free port and prints it.",
     "127.0.0.1:8000", value_kind::text, apply_listen},
    {"threads", "WARDEN_THREADS", "N",
     "I/O threads, each an event loop of its own on the port (1 to 1024).", "number of cores",
     value_kind::integer, apply_threads},
    {"max_connections", "WARDEN_MAX_CONNECTIONS", "N",
     "Open connections at most (1 to 1000000); beyond, new ones are closed at once.", "10000",
     value_kind::integer, apply_max_connections},
    {"max_header_bytes", "WARDEN_MAX_HEADER_BYTES", "N",
     "Largest request line + headers (1024 to 1048576 bytes); beyond: 431.", "16384",
     value_kind::integer, apply_max_header_bytes},
    {"max_body_bytes", "WARDEN_MAX_BODY_BYTES", "N",
     "Largest request body (1024 to 67108864 bytes); beyond: 413.", "65536", value_kind::integer,
     apply_max_body_bytes},
    {"header_timeout", "WARDEN_HEADER_TIMEOUT", "DURATION",
     "Time a client has from its first byte to the end of the headers.", "10s", value_kind::text,
     apply_header_timeout},
    {"body_timeout", "WARDEN_BODY_TIMEOUT", "DURATION",
     "Time a client has from the end of the headers to the end of the body.", "30s",
     value_kind::text, apply_body_timeout},
    {"idle_timeout", "WARDEN_IDLE_TIMEOUT", "DURATION",
     "How long a keep-alive connection may wait for its next request.", "60s", value_kind::text,
     apply_idle_timeout},
    {"write_timeout", "WARDEN_WRITE_TIMEOUT", "DURATION",
     "Time to write one response to a client that reads slowly.", "30s", value_kind::text,
     apply_write_timeout},
    {"data_dir", "WARDEN_DATA_DIR", "DIR",
     "Directory of the SQLite database, the generated secret or key-encryption key.",
     "./warden-data", value_kind::text, apply_data_dir},
    {"database", "WARDEN_DATABASE", "URL",
     "Database URL: sqlite:///PATH (sqlite:////ABSOLUTE/PATH) or postgresql://...",
     "sqlite:///<data-dir>/warden.db", value_kind::text, apply_database},
    {"redis", "WARDEN_REDIS", "URL",
     "Redis URL for revocations and login counters: redis://[:PASSWORD@]HOST:PORT[/DB]\n"
     "or unix:///PATH.",
     "none; the database holds them", value_kind::text, apply_redis},
    {"database_pool", "WARDEN_DATABASE_POOL", "N",
     "Most database connections open at once (1 to 1000).", "2 x threads", value_kind::integer,
     apply_database_pool},
    {"connect_timeout", "WARDEN_CONNECT_TIMEOUT", "DURATION",
     "How long start-up retries an unreachable PostgreSQL or Redis before giving up.", "30s",
     value_kind::text, apply_connect_timeout},
    {"cache_size", "WARDEN_CACHE_SIZE", "N",
     "Users whose state the guard keeps in memory (0 to 100000000; 0: read the store\n"
     "on every request).",
     "100000", value_kind::integer, apply_cache_size},
    {"sync_interval", "WARDEN_SYNC_INTERVAL", "DURATION",
     "How soon a change made by another process or the CLI is enforced (1s to 1h); also\n"
     "how long the cache is trusted when the change feed cannot be read.",
     "1s", value_kind::text, apply_sync_interval},
    {"secret_key", "WARDEN_SECRET_KEY", "STRING",
     "Secret for HS256/384/512 tokens, used as its UTF-8 bytes; at least 32 bytes.",
     "read from --secret-file, else generated", value_kind::text, apply_secret_key},
    {"secret_file", "WARDEN_SECRET_FILE", "FILE",
     "File holding the secret; generated (256 bits, mode 0600) on first start.",
     "<data-dir>/secret.key", value_kind::text, apply_secret_file},
    {"algorithm", "WARDEN_ALGORITHM", "ALG",
     "JWS algorithm: HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512,\n"
     "ES256, ES384, ES512 or EdDSA.",
     "HS256", value_kind::text, apply_algorithm},
    {"signing_key_file", "WARDEN_SIGNING_KEY_FILE", "FILE",
     "PEM private key of an asymmetric algorithm, imported into the store as the first\n"
     "signing key when the store has none.",
     "<data-dir>/signing-key.pem", value_kind::text, apply_signing_key_file},
    {"kek_file", "WARDEN_KEK_FILE", "FILE",
     "Key-encryption key (32 bytes) sealing the signing keys in the store, for the\n"
     "asymmetric algorithms; generated (mode 0600) if missing. Every process needs the same.",
     "<data-dir>/kek.key", value_kind::text, apply_kek_file},
    {"issuer", "WARDEN_ISSUER", "URL", "The tokens' iss claim.", "none; no iss claim",
     value_kind::text, apply_issuer},
    {"audience", "WARDEN_AUDIENCE", "AUD", "The tokens' aud claim.", "none; no aud claim",
     value_kind::text, apply_audience},
    {"access_token_ttl", "WARDEN_ACCESS_TOKEN_TTL", "DURATION",
     "Lifetime of access tokens (30s, 15m, 2h, 14d).", "30m", value_kind::text,
     apply_access_token_ttl},
    {"refresh_token_ttl", "WARDEN_REFRESH_TOKEN_TTL", "DURATION", "Lifetime of refresh tokens.",
     "14d", value_kind::text, apply_refresh_token_ttl},
    {"token_leeway", "WARDEN_TOKEN_LEEWAY", "DURATION",
     "Clock skew tolerated for exp, nbf and iat (0s to 5m); a retired signing key stays\n"
     "published for the access-token TTL plus this.",
     "30s", value_kind::text, apply_token_leeway},
    {"password_scheme", "WARDEN_PASSWORD_SCHEME", "SCHEME",
     "Hash for new passwords: argon2id or bcrypt.", "argon2id", value_kind::text,
     apply_password_scheme},
    {"bcrypt_rounds", "WARDEN_BCRYPT_ROUNDS", "N", "bcrypt cost, 10 to 31.", "12",
     value_kind::integer, apply_bcrypt_rounds},
    {"argon2", "WARDEN_ARGON2", "m=KIB,t=N,p=N", "Argon2id memory (KiB), iterations and lanes.",
     "m=19456,t=2,p=1", value_kind::text, apply_argon2},
    {"registration", "WARDEN_REGISTRATION", "open|closed",
     "Whether POST /api/auth/register is open.", "open", value_kind::text, apply_registration},
    {"default_scopes", "WARDEN_DEFAULT_SCOPES", "LIST",
     "Scopes granted to a newly registered user, space- or comma-separated.", "none",
     value_kind::scopes, apply_default_scopes},
    {"login_max_failures", "WARDEN_LOGIN_MAX_FAILURES", "N",
     "Failed logins (per account and per client address) before a lockout; at least 1.", "5",
     value_kind::integer, apply_login_max_failures},
    {"login_lockout", "WARDEN_LOGIN_LOCKOUT", "DURATION", "How long a lockout lasts.", "15m",
     value_kind::text, apply_login_lockout},
    {"cors_origin", "WARDEN_CORS_ORIGINS", "ORIGIN",
     "An origin allowed by CORS, such as https://app.example.com; repeatable.\n"
     "The variable takes a comma-separated list.",
     "none", value_kind::list, apply_cors_origin},
    {"trusted_proxy", "WARDEN_TRUSTED_PROXIES", "CIDR",
     "A proxy network (10.0.0.0/8, fd00::/8, 127.0.0.1) whose X-Forwarded-For or Forwarded\n"
     "names the client address; repeatable. The variable takes a comma-separated list.",
     "none; X-Forwarded-For is ignored", value_kind::list, apply_trusted_proxy},
    {"tls_cert", "WARDEN_TLS_CERT", "FILE",
     "PEM certificate chain: serve HTTPS (TLS 1.2 and 1.3) instead of HTTP; needs --tls-key.",
     "none; plain HTTP", value_kind::text, apply_tls_cert},
    {"tls_key", "WARDEN_TLS_KEY", "FILE", "PEM private key of --tls-cert.", "none",
     value_kind::text, apply_tls_key},
    {"docs", "WARDEN_DOCS", "on|off", "Serve the Swagger UI at /docs and the API at /openapi.json.",
     "on", value_kind::text, apply_docs},
    {"metrics", "WARDEN_METRICS", "on|off",
     "Serve /metrics and count every request for it; off: neither.", "on", value_kind::text,
     apply_metrics},
    {"metrics_listen", "WARDEN_METRICS_LISTEN", "HOST:PORT",
     "Serve /metrics on this address alone instead of on the main listener.",
     "none; /metrics on the main listener", value_kind::text, apply_metrics_listen},
    {"public_url", "WARDEN_PUBLIC_URL", "URL",
     "Base of the links in mails, such as https://auth.example.com (http or https, no query).",
     "http://<listen>", value_kind::text, apply_public_url},
    {"smtp_url", "WARDEN_SMTP_URL", "URL",
     "SMTP server for mails: smtp://HOST:PORT (STARTTLS when offered) or smtps://HOST:PORT\n"
     "(TLS); needs --mail-from. The password comes from WARDEN_SMTP_PASSWORD only.",
     "none; no mail is sent", value_kind::text, apply_smtp_url},
    {"smtp_user", "WARDEN_SMTP_USER", "USER", "SMTP AUTH user name.", "none; no AUTH",
     value_kind::text, apply_smtp_user},
    {"mail_from", "WARDEN_MAIL_FROM", "ADDR",
     "Sender of mails: noreply@example.com or \"Example <noreply@example.com>\".", "none",
     value_kind::text, apply_mail_from},
    {"mail_templates", "WARDEN_MAIL_TEMPLATES", "DIR",
     "Directory of mail templates overriding the built-in ones by name (verify.subject,\n"
     "verify.txt, verify.html, reset.subject, reset.txt, reset.html).",
     "none; the built-in templates", value_kind::text, apply_mail_templates},
    {"mail_retries", "WARDEN_MAIL_RETRIES", "N",
     "Attempts after a mail's first that failed (0 to 100), then it is dropped.", "8",
     value_kind::integer, apply_mail_retries},
    {"mail_retry_delay", "WARDEN_MAIL_RETRY_DELAY", "DURATION",
     "Wait before a mail's first retry (1s to 1h); it doubles per retry, at most 5m.", "5s",
     value_kind::text, apply_mail_retry_delay},
    {"require_verified_email", "WARDEN_REQUIRE_VERIFIED_EMAIL", "on|off",
     "Refuse the login of a user whose e-mail address is not verified (400 Email not\n"
     "verified). The flag alone means on.",
     "off", value_kind::flag, apply_require_verified_email},
    {"mail_limit_per_email", "WARDEN_MAIL_LIMIT_PER_EMAIL", "N",
     "Most verification and reset mails an hour to one address; past it requests still\n"
     "answer 202 and no mail is sent.",
     "5", value_kind::integer, apply_mail_limit_per_email},
    {"mail_limit_per_client", "WARDEN_MAIL_LIMIT_PER_CLIENT", "N",
     "Most verification and reset requests an hour from one client address; past it they\n"
     "still answer 202 and no mail is sent.",
     "20", value_kind::integer, apply_mail_limit_per_client},
    {"verify_token_ttl", "WARDEN_VERIFY_TOKEN_TTL", "DURATION",
     "Lifetime of an e-mail verification token (1s to 30d).", "24h", value_kind::text,
     apply_verify_token_ttl},
    {"reset_token_ttl", "WARDEN_RESET_TOKEN_TTL", "DURATION",
     "Lifetime of a password reset token (1s to 30d).", "1h", value_kind::text,
     apply_reset_token_ttl},
    {"totp_issuer", "WARDEN_TOTP_ISSUER", "NAME",
     "The name authenticator apps show for TOTP accounts (in the otpauth:// URI).", "warden",
     value_kind::text, apply_totp_issuer},
    {"log_level", "WARDEN_LOG_LEVEL", "LEVEL", "trace, debug, info, warn, error or off.", "info",
     value_kind::text, apply_log_level},
    {"log_format", "WARDEN_LOG_FORMAT", "text|json", "Log line format.", "text", value_kind::text,
     apply_log_format},
}};

std::string flag_name(std::string_view key) {
    std::string flag = "--";
    for (char const c : key) flag += c == '_' ? '-' : c;
    return flag;
}

setting const* find_setting(std::string_view key) noexcept {
    auto const it = std::find_if(setting_table.begin(), setting_table.end(),
                                 [&](setting const& s) { return s.key == key; });
    return it == setting_table.end() ? nullptr : &*it;
}

unsigned default_threads() noexcept {
    auto const cores = static_cast<std::uint64_t>(std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::clamp<std::uint64_t>(cores, 1, max_threads));
}

std::string_view toml_type_name(toml::node const& node) noexcept {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time:
            return "a date or time";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

// The elements of an array of strings; false if `node` is anything else.
bool strings_of(toml::node const& node, std::vector<std::string>& out) {
    auto const* array = node.as_array();
    if (array == nullptr) return false;
    for (auto const& element : *array) {
        auto const* text = element.as_string();
        if (text == nullptr) return false;
        out.push_back(text->get());
    }
    return true;
}

using file_values = std::map<std::string, raw_value, std::less<>>;

// Reads and type-checks the `--config` file; values are parsed later, with the other sources.
result<file_values> read_config_file(std::string const& path, std::string* why) {
    std::error_code fs_error;
    if (std::filesystem::is_directory(path, fs_error)) {
        set_why(why, fmt::format("--config {}: cannot read the file (it is a directory)", path));
        return config_errc::unreadable_file;
    }
    std::ifstream in{path, std::ios::binary};
    if (!in) {
        auto const error = errno;
        set_why(why, fmt::format("--config {}: cannot read the file ({})", path,
                                 std::generic_category().message(error)));
        return config_errc::unreadable_file;
    }
    std::string const text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    if (in.bad()) {
        set_why(why, fmt::format("--config {}: cannot read the file (read error)", path));
        return config_errc::unreadable_file;
    }
    toml::table root;
    try {
        root = toml::parse(text, path);
    } catch (toml::parse_error const& e) {
        set_why(why, fmt::format("{}:{}:{}: not valid TOML: {}", path, e.source().begin.line,
                                 e.source().begin.column, e.description()));
        return config_errc::bad_file;
    }
    file_values values;
    for (auto const& [key, node] : root) {
        auto const where = fmt::format("{}:{}", path, key.source().begin.line);
        setting const* const s = find_setting(key.str());
        if (s == nullptr) {
            set_why(why, fmt::format("{}: unknown key {} (the keys are the flag names without -- "
                                     "and with _ for -, such as access_token_ttl)",
                                     where, quote(key.str())));
            return config_errc::unknown_key;
        }
        raw_value raw{fmt::format("{}: {}", where, key.str()), {}, false};
        std::string_view expected;
        switch (s->kind) {
            case value_kind::text:
                if (auto const* v = node.as_string())
                    raw.items.push_back(v->get());
                else
                    expected = "a string";
                break;
            case value_kind::integer:
                if (auto const* v = node.as_integer())
                    raw.items.push_back(std::to_string(v->get()));
                else
                    expected = "an integer";
                break;
            case value_kind::list:
                raw.from_list = true;
                if (!strings_of(node, raw.items)) expected = "an array of strings";
                break;
            case value_kind::flag:
                if (auto const* v = node.as_boolean())
                    raw.items.push_back(v->get() ? "on" : "off");
                else if (auto const* t = node.as_string())
                    raw.items.push_back(t->get());
                else
                    expected = "a boolean";
                break;
            case value_kind::scopes:
                if (auto const* v = node.as_string()) {
                    raw.items.push_back(v->get());
                } else {
                    raw.from_list = true;
                    if (!strings_of(node, raw.items)) expected = "a string or an array of strings";
                }
                break;
        }
        if (!expected.empty()) {
            set_why(why, fmt::format("{}: expected {}, got {}", raw.origin, expected,
                                     toml_type_name(node)));
            return config_errc::wrong_type;
        }
        values.emplace(std::string{key.str()}, std::move(raw));
    }
    return values;
}

std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text;
}

}  // namespace

std::optional<std::string> process_environment(std::string_view name) {
    char const* const value = std::getenv(std::string{name}.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string{value};
}

environment fixed_environment(std::map<std::string, std::string, std::less<>> variables) {
    return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
        auto const it = variables.find(name);
        if (it == variables.end()) return std::nullopt;
        return it->second;
    };
}

config_options::config_options(CLI::App& app) {
    config_file_ = app.add_option(
        "--config", CLI::callback_t{},
        "TOML file of settings; keys are the flag names without -- and with _ for -, such as\n"
        "access_token_ttl = \"30m\". Flags and WARDEN_* variables override it.\n"
        "[env: none] [default: none]");
    config_file_->type_name("FILE");
    options_.reserve(setting_table.size());
    for (auto const& s : setting_table) {
        auto* const option = app.add_option(
            flag_name(s.key), CLI::callback_t{},
            fmt::format("{}\n[env: {}] [default: {}]", s.meaning, s.env, s.default_text));
        option->type_name(std::string{s.value_name});
        if (s.kind == value_kind::list) {
            option->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        }
        if (s.kind == value_kind::flag) option->expected(0, 1);  // alone: on
        options_.push_back(option);
    }
}

result<config> config_options::resolve(environment const& env, std::string* why) const {
    file_values file;
    if (config_file_->count() > 0) {
        auto loaded = read_config_file(config_file_->results().front(), why);
        if (!loaded) return loaded.error();
        file = std::move(*loaded);
    }
    config settings;
    settings.threads = default_threads();
    for (std::size_t i = 0; i < setting_table.size(); ++i) {
        auto const& s = setting_table[i];
        auto const* const option = options_[i];
        std::optional<raw_value> raw;
        if (option->count() > 0) {
            raw = raw_value{flag_name(s.key), option->results(), s.kind == value_kind::list};
            if (s.kind == value_kind::flag &&
                (raw->items.empty() || (raw->items.size() == 1 && raw->items.front().empty()))) {
                raw->items = {"on"};
            }
            if (s.key == "secret_key") settings.secret_key_on_command_line = true;
        } else if (auto value = env(s.env); value && !value->empty()) {
            raw = raw_value{std::string{s.env}, {std::move(*value)}, false};
        } else if (auto const it = file.find(s.key); it != file.end()) {
            raw = std::move(it->second);
        }
        if (!raw) continue;
        std::string detail;
        if (auto const ec = s.apply(settings, *raw, &detail); ec) {
            set_why(why, fmt::format("{}: {}", raw->origin, detail));
            return ec;
        }
    }
    // Derived defaults follow the final data directory, wherever it came from.
    if (settings.database.empty()) {
        settings.database = "sqlite:///" + (settings.data_dir / "warden.db").generic_string();
    }
    if (settings.database_pool == 0) settings.database_pool = 2 * settings.threads;
    if (settings.secret_file.empty()) settings.secret_file = settings.data_dir / "secret.key";
    if (settings.signing_key_file.empty()) {
        settings.signing_key_file = settings.data_dir / "signing-key.pem";
    }
    if (settings.kek_file.empty()) settings.kek_file = settings.data_dir / "kek.key";
    // The SMTP password is never a flag or a file key: others can read argv, and files leak.
    if (auto password = env("WARDEN_SMTP_PASSWORD"); password && !password->empty()) {
        settings.smtp_password.emplace(std::move(*password));
    }
    if (settings.smtp_url && settings.mail_from.empty()) {
        set_why(why, "--smtp-url needs --mail-from (the sender address of the mails)");
        return config_errc::bad_value;
    }
    if (settings.smtp_password && settings.smtp_user.empty()) {
        set_why(why, "WARDEN_SMTP_PASSWORD is set but --smtp-user is not: give both, or neither");
        return config_errc::bad_value;
    }
    if (settings.tls_cert.empty() != settings.tls_key.empty()) {
        set_why(why, "--tls-cert and --tls-key go together: give both for HTTPS, or neither");
        return config_errc::bad_value;
    }
    if (!settings.metrics && settings.metrics_listen) {
        set_why(why, "--metrics-listen serves /metrics, which --metrics off turns off");
        return config_errc::bad_value;
    }
    return settings;
}

void add_version_flag(CLI::App& app) {
    app.set_version_flag("--version", fmt::format("{} {}", app.get_name(), warden::version),
                         "Print the name and version of this program, and exit.");
}

parse_outcome parse_command_line(CLI::App& app, config_options const& options, int argc,
                                 char const* const* argv, environment const& env) {
    parse_outcome outcome;
    try {
        app.parse(argc, argv);
    } catch (CLI::CallForAllHelp const&) {
        outcome.next = parse_outcome::action::show_help;
        outcome.message = app.help("", CLI::AppFormatMode::All);
        return outcome;
    } catch (CLI::CallForHelp const&) {
        outcome.next = parse_outcome::action::show_help;
        outcome.message = app.help();
        return outcome;
    } catch (CLI::CallForVersion const& e) {
        outcome.next = parse_outcome::action::show_version;
        outcome.message = fmt::format("{}\n", e.what());
        return outcome;
    } catch (CLI::ParseError const& e) {
        outcome.next = parse_outcome::action::fail;
        outcome.error = config_errc::bad_usage;
        outcome.message = one_line(e.what());
        return outcome;
    }
    auto resolved = options.resolve(env, &outcome.message);
    if (!resolved) {
        outcome.next = parse_outcome::action::fail;
        outcome.error = resolved.error();
        return outcome;
    }
    outcome.next = parse_outcome::action::run;
    outcome.settings = std::move(*resolved);
    return outcome;
}

parse_outcome parse_config(int argc, char const* const* argv, environment const& env) {
    CLI::App app{"wardend: the warden authentication service.", "wardend"};
    app.footer(
        "Precedence: flag > WARDEN_* environment variable > --config FILE > default.\n"
        "An empty environment variable counts as unset. Durations: 30s, 15m, 2h, 14d.");
    app.get_formatter()->column_width(32);
    add_version_flag(app);
    config_options const options{app};
    return parse_command_line(app, options, argc, argv, env);
}

}  // namespace warden::app
