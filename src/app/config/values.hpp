#pragma once
// Parsers for the textual forms of single settings: durations, listen addresses, Argon2
// parameters, scope lists, origins, URLs, names. Each is strict (no surrounding spaces, no
// partial matches) and reports `config_errc::bad_value` with `*why` saying what is wrong; the
// caller adds which flag, variable or key the text came from.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include <warden/core/network_range.hpp>
#include <warden/core/result.hpp>

#include "app/config/config.hpp"

namespace warden::app {

/// The longest duration accepted (100 years), so `now + ttl` cannot overflow a clock.
inline constexpr std::chrono::seconds max_duration{std::chrono::hours{24 * 36500}};

/// Parses `30s`, `15m`, `2h` or `14d`: a positive decimal integer and one unit, at most
/// `max_duration`. Errors: `bad_value` for zero, a sign, no or an unknown unit, overflow.
[[nodiscard]] result<std::chrono::seconds> parse_duration(std::string_view text, std::string* why);

/// The shortest exact form of a duration: 1800s -> `30m`, 90s -> `90s`.
[[nodiscard]] std::string format_duration(std::chrono::seconds duration);

/// Parses a decimal integer in [min, max] (digits only: no sign, no spaces).
/// Errors: `bad_value`, with the range in `*why`.
[[nodiscard]] result<std::uint64_t> parse_integer(std::string_view text, std::uint64_t min,
                                                  std::uint64_t max, std::string* why);

/// Parses `HOST:PORT` (`127.0.0.1:8000`, `localhost:0`, `[::1]:8000`); port 0..65535; the host
/// is a dotted IPv4 address, a DNS name or a bracketed IPv6 address. Errors: `bad_value`.
[[nodiscard]] result<listen_address> parse_listen(std::string_view text, std::string* why);

/// Parses `m=KIB,t=N,p=N` (each key once, any order): t >= 1, 1 <= p <= 2^24-1,
/// 8*p <= m <= 4194304 (4 GiB). Errors: `bad_value`.
[[nodiscard]] result<argon2_params> parse_argon2(std::string_view text, std::string* why);

/// True for an RFC 6749 §3.3 scope-token: one or more of %x21 / %x23-5B / %x5D-7E.
[[nodiscard]] bool is_scope_token(std::string_view text) noexcept;

/// Splits a scope list on spaces and commas (any run of them) into sorted, unique scope-tokens;
/// an empty or blank list gives no scopes. Errors: `bad_value` naming the first invalid token.
[[nodiscard]] result<std::vector<std::string>> parse_scopes(std::string_view text,
                                                            std::string* why);

/// Checks a JWS algorithm name: HS/RS/PS/ES 256/384/512 or EdDSA (exact case).
/// Errors: `bad_value` listing the accepted names.
[[nodiscard]] result<void> check_algorithm(std::string_view text, std::string* why);

/// Checks a browser origin as sent in the `Origin` header: `*`, or `http`/`https` `://` a
/// lowercase host (name, IPv4 or [IPv6]) and an optional port, with no path. Errors: `bad_value`.
[[nodiscard]] result<void> check_origin(std::string_view text, std::string* why);

/// A comma-separated list (as a `WARDEN_*` variable holds a repeatable flag's values): items
/// trimmed of spaces and tabs, in order. Errors: `bad_value` for an empty item.
[[nodiscard]] result<std::vector<std::string>> parse_list(std::string_view text, std::string* why);

/// Splits `WARDEN_CORS_ORIGINS`: commas separate, spaces around an origin are dropped, and each
/// one must pass `check_origin`. Errors: `bad_value` (also for an empty item).
[[nodiscard]] result<std::vector<std::string>> parse_origin_list(std::string_view text,
                                                                 std::string* why);

/// Checks a database URL: `sqlite:///PATH` (SQLAlchemy form, PATH not empty) or
/// `postgresql://...` / `postgres://...`. The store checks the rest when it opens it.
/// Errors: `bad_value`.
[[nodiscard]] result<void> check_database_url(std::string_view text, std::string* why);

/// Checks a Redis URL: `redis://...` or `unix://...` with something after the scheme
/// (`rediss://` is refused: no TLS in Debian 12's hiredis). Errors: `bad_value`.
[[nodiscard]] result<void> check_redis_url(std::string_view text, std::string* why);

/// Checks `--public-url`: `http://` or `https://`, a host, then an optional port and path; no
/// query, fragment, user information, spaces or control characters. Errors: `bad_value`.
[[nodiscard]] result<void> check_public_url(std::string_view text, std::string* why);

/// Checks `--smtp-url`: `smtp://HOST[:PORT]` or `smtps://HOST[:PORT]`, an optional `/` and
/// nothing else; user information is refused (the user goes in `--smtp-user`, the password in
/// `WARDEN_SMTP_PASSWORD`, never on the command line). Errors: `bad_value`.
[[nodiscard]] result<void> check_smtp_url(std::string_view text, std::string* why);

/// Checks free text (issuer, audience, a path): not empty, no control characters.
/// Errors: `bad_value`.
[[nodiscard]] result<void> check_text(std::string_view text, std::string* why);

/// Parses `argon2id` or `bcrypt`. Errors: `bad_value`.
[[nodiscard]] result<password_scheme> parse_password_scheme(std::string_view text,
                                                            std::string* why);
/// Parses `open` or `closed`. Errors: `bad_value`.
[[nodiscard]] result<registration_policy> parse_registration(std::string_view text,
                                                             std::string* why);
/// Parses `trace`, `debug`, `info`, `warn`, `error` or `off`. Errors: `bad_value`.
[[nodiscard]] result<log_level> parse_log_level(std::string_view text, std::string* why);
/// Parses `text` or `json`. Errors: `bad_value`.
[[nodiscard]] result<log_format> parse_log_format(std::string_view text, std::string* why);
/// A network for `--trusted-proxy` (`network_range::parse`). Errors: `bad_value`.
[[nodiscard]] result<network_range> parse_network(std::string_view text, std::string* why);
/// `on` or `off`.
[[nodiscard]] result<bool> parse_switch(std::string_view text, std::string* why);

/// The text in double quotes for an error message: control and non-ASCII bytes escaped as
/// `\xNN`, at most 80 bytes shown. Never pass a secret.
[[nodiscard]] std::string quote(std::string_view text);

}  // namespace warden::app
