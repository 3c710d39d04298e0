#include "app/config/config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "app/config/values.hpp"

namespace warden::app {
namespace {

// A TOML basic string: quotes, backslashes and control characters escaped (TOML 1.0 §String).
std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (char const c : text) {
        auto const u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7F) {
            out += fmt::format("\\u{:04X}", u);
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

std::string toml_array(std::vector<std::string> const& items) {
    std::string out = "[";
    for (auto const& item : items) {
        if (out.size() > 1) out += ", ";
        out += toml_string(item);
    }
    out += ']';
    return out;
}

void line(std::string& out, std::string_view key, std::string const& value) {
    out += fmt::format("{} = {}\n", key, value);
}

void optional_line(std::string& out, std::string_view key, std::optional<std::string> const& value,
                   bool is_url) {
    if (value) {
        line(out, key, toml_string(is_url ? redact_url(*value) : *value));
    } else {
        out += fmt::format("# {}: not set\n", key);
    }
}

}  // namespace

std::string to_string(listen_address const& address) {
    if (address.host.find(':') != std::string::npos) {
        return fmt::format("[{}]:{}", address.host, address.port);
    }
    return fmt::format("{}:{}", address.host, address.port);
}

std::string to_string(argon2_params const& params) {
    return fmt::format("m={},t={},p={}", params.memory_kib, params.iterations, params.parallelism);
}

std::string_view to_string(password_scheme scheme) noexcept {
    return scheme == password_scheme::bcrypt ? "bcrypt" : "argon2id";
}

std::string_view to_string(registration_policy policy) noexcept {
    return policy == registration_policy::closed ? "closed" : "open";
}

std::string_view to_string(log_level level) noexcept {
    switch (level) {
        case log_level::trace:
            return "trace";
        case log_level::debug:
            return "debug";
        case log_level::info:
            return "info";
        case log_level::warn:
            return "warn";
        case log_level::error:
            return "error";
        case log_level::off:
            return "off";
    }
    return "info";
}

std::string_view to_string(log_format format) noexcept {
    return format == log_format::json ? "json" : "text";
}

std::string describe(config const& settings) {
    std::string out;
    line(out, "listen", toml_string(to_string(settings.listen)));
    line(out, "threads", std::to_string(settings.threads));
    line(out, "max_connections", std::to_string(settings.max_connections));
    line(out, "max_header_bytes", std::to_string(settings.max_header_bytes));
    line(out, "max_body_bytes", std::to_string(settings.max_body_bytes));
    line(out, "header_timeout", toml_string(format_duration(settings.header_timeout)));
    line(out, "body_timeout", toml_string(format_duration(settings.body_timeout)));
    line(out, "idle_timeout", toml_string(format_duration(settings.idle_timeout)));
    line(out, "write_timeout", toml_string(format_duration(settings.write_timeout)));
    line(out, "data_dir", toml_string(settings.data_dir.string()));
    line(out, "database", toml_string(redact_url(settings.database)));
    optional_line(out, "redis", settings.redis, true);
    line(out, "database_pool", std::to_string(settings.database_pool));
    line(out, "connect_timeout", toml_string(format_duration(settings.connect_timeout)));
    line(out, "cache_size", std::to_string(settings.cache_size));
    line(out, "sync_interval", toml_string(format_duration(settings.sync_interval)));
    out += settings.secret_key ? "# secret_key: set (not shown)\n" : "# secret_key: not set\n";
    line(out, "secret_file", toml_string(settings.secret_file.string()));
    line(out, "algorithm", toml_string(settings.algorithm));
    line(out, "signing_key_file", toml_string(settings.signing_key_file.string()));
    line(out, "kek_file", toml_string(settings.kek_file.string()));
    optional_line(out, "issuer", settings.issuer, false);
    optional_line(out, "audience", settings.audience, false);
    line(out, "access_token_ttl", toml_string(format_duration(settings.access_token_ttl)));
    line(out, "refresh_token_ttl", toml_string(format_duration(settings.refresh_token_ttl)));
    line(out, "token_leeway", toml_string(format_duration(settings.token_leeway)));
    line(out, "password_scheme", toml_string(to_string(settings.password_scheme)));
    line(out, "bcrypt_rounds", std::to_string(settings.bcrypt_rounds));
    line(out, "argon2", toml_string(to_string(settings.argon2)));
    line(out, "registration", toml_string(to_string(settings.registration)));
    line(out, "default_scopes", toml_array(settings.default_scopes));
    line(out, "login_max_failures", std::to_string(settings.login_max_failures));
    line(out, "login_lockout", toml_string(format_duration(settings.login_lockout)));
    line(out, "cors_origin", toml_array(settings.cors_origins));
    line(out, "trusted_proxy", toml_array(settings.trusted_proxies));
    if (!settings.tls_cert.empty()) {
        line(out, "tls_cert", toml_string(settings.tls_cert.string()));
        line(out, "tls_key", toml_string(settings.tls_key.string()));
    }
    line(out, "docs", toml_string(settings.docs ? "on" : "off"));
    line(out, "metrics", toml_string(settings.metrics ? "on" : "off"));
    if (settings.metrics_listen) {
        line(out, "metrics_listen", toml_string(to_string(*settings.metrics_listen)));
    }
    optional_line(out, "public_url", settings.public_url, false);
    optional_line(out, "smtp_url", settings.smtp_url, false);  // never holds a password
    if (!settings.smtp_user.empty()) line(out, "smtp_user", toml_string(settings.smtp_user));
    if (settings.smtp_password) out += "# smtp_password: set in WARDEN_SMTP_PASSWORD (not shown)\n";
    if (!settings.mail_from.empty()) line(out, "mail_from", toml_string(settings.mail_from));
    if (!settings.mail_templates.empty()) {
        line(out, "mail_templates", toml_string(settings.mail_templates.string()));
    }
    line(out, "mail_retries", std::to_string(settings.mail_retries));
    line(out, "mail_retry_delay", toml_string(format_duration(settings.mail_retry_delay)));
    line(out, "require_verified_email", settings.require_verified_email ? "true" : "false");
    line(out, "mail_limit_per_email", std::to_string(settings.mail_limit_per_email));
    line(out, "mail_limit_per_client", std::to_string(settings.mail_limit_per_client));
    line(out, "verify_token_ttl", toml_string(format_duration(settings.verify_token_ttl)));
    line(out, "reset_token_ttl", toml_string(format_duration(settings.reset_token_ttl)));
    line(out, "totp_issuer", toml_string(settings.totp_issuer));
    line(out, "log_level", toml_string(to_string(settings.log_level)));
    line(out, "log_format", toml_string(to_string(settings.log_format)));
    return out;
}

}  // namespace warden::app
