#include "app/config/values.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <utility>

#include "app/config/errc.hpp"

namespace warden::app {
namespace {

constexpr std::string_view duration_usage =
    "write a positive whole number and one unit: 30s, 15m, 2h or 14d";

error_code fail(std::string* why, std::string text) {
    if (why != nullptr) *why = std::move(text);
    return config_errc::bad_value;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_lower_alpha(char c) noexcept { return c >= 'a' && c <= 'z'; }
bool is_alpha(char c) noexcept { return is_lower_alpha(c) || (c >= 'A' && c <= 'Z'); }

bool all_digits(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

// Digits only; nullopt on anything else or on overflow of 64 bits.
std::optional<std::uint64_t> to_unsigned(std::string_view text) noexcept {
    if (!all_digits(text)) return std::nullopt;
    std::uint64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return value;
}

bool is_ipv4(std::string_view text) {
    in_addr out{};
    return inet_pton(AF_INET, std::string{text}.c_str(), &out) == 1;
}

bool is_ipv6(std::string_view text) {
    in6_addr out{};
    return inet_pton(AF_INET6, std::string{text}.c_str(), &out) == 1;
}

// RFC 1123 host name: dot-separated labels of 1-63 letters, digits and hyphens, not starting or
// ending with a hyphen, 253 bytes at most.
bool is_host_name(std::string_view text, bool lowercase_only) noexcept {
    if (text.empty() || text.size() > 253) return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto dot = text.find('.', start);
        if (dot == std::string_view::npos) dot = text.size();
        auto const label = text.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
            return false;
        }
        for (char const c : label) {
            bool const letter = lowercase_only ? is_lower_alpha(c) : is_alpha(c);
            if (!letter && !is_digit(c) && c != '-') return false;
        }
        start = dot + 1;
    }
    return true;
}

// A host as written in `listen` or an origin: an IPv4 address, a DNS name, or (already without
// brackets) an IPv6 address when `bracketed`. Returns what is wrong, or an empty string.
std::string host_problem(std::string_view host, bool bracketed, bool lowercase_only) {
    if (bracketed) {
        return is_ipv6(host) ? std::string{} : quote(host) + " is not an IPv6 address";
    }
    if (host.empty()) return "the host is missing";
    if (host.find(':') != std::string_view::npos) {
        return "an IPv6 address needs brackets, as in [::1]:8000";
    }
    if (std::all_of(host.begin(), host.end(), [](char c) { return is_digit(c) || c == '.'; })) {
        return is_ipv4(host) ? std::string{} : quote(host) + " is not an IPv4 address";
    }
    if (!is_host_name(host, lowercase_only)) {
        return quote(host) + (lowercase_only ? " is not a lowercase host name"
                                             : " is not a host name or an IP address");
    }
    return {};
}

bool starts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.substr(0, prefix.size()) == prefix;
}

// The scheme of a URL for an error message: the URL itself may hold a password.
std::string scheme_of(std::string_view url) {
    auto const colon = url.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 32) return "no scheme";
    return "scheme " + quote(url.substr(0, colon));
}

template <class Enum, std::size_t N>
result<Enum> parse_name(std::string_view text,
                        std::array<std::pair<std::string_view, Enum>, N> const& names,
                        std::string* why) {
    for (auto const& [name, value] : names) {
        if (text == name) return value;
    }
    std::string choices;
    for (auto const& entry : names) {
        if (!choices.empty()) choices += ", ";
        choices += entry.first;
    }
    return fail(why, fmt::format("expected one of {}, got {}", choices, quote(text)));
}

}  // namespace

result<std::chrono::seconds> parse_duration(std::string_view text, std::string* why) {
    if (text.empty()) return fail(why, fmt::format("empty duration; {}", duration_usage));
    if (text.front() == '-') {
        return fail(why, fmt::format("{} is negative; {}", quote(text), duration_usage));
    }
    std::size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    auto const unit = text.substr(digits);
    if (digits == 0 || !std::all_of(unit.begin(), unit.end(), is_alpha)) {
        return fail(why, fmt::format("{} is not a duration; {}", quote(text), duration_usage));
    }
    if (unit.empty()) {
        return fail(why, fmt::format("{} has no unit; {}", quote(text), duration_usage));
    }
    std::int64_t unit_seconds = 0;
    if (unit == "s")
        unit_seconds = 1;
    else if (unit == "m")
        unit_seconds = 60;
    else if (unit == "h")
        unit_seconds = 3600;
    else if (unit == "d")
        unit_seconds = 86400;
    else {
        return fail(why, fmt::format("{} has an unknown unit {}; use s, m, h or d", quote(text),
                                     quote(unit)));
    }
    auto const too_long = [&] {
        return fail(why, fmt::format("{} is too long; the maximum is {}", quote(text),
                                     format_duration(max_duration)));
    };
    auto const value = to_unsigned(text.substr(0, digits));
    if (!value) return too_long();  // digits only, so the only failure is overflow
    if (*value == 0) {
        return fail(why, fmt::format("{} is zero; {}", quote(text), duration_usage));
    }
    auto const limit = static_cast<std::uint64_t>(max_duration.count() / unit_seconds);
    if (*value > limit) return too_long();
    return std::chrono::seconds{static_cast<std::int64_t>(*value) * unit_seconds};
}

std::string format_duration(std::chrono::seconds duration) {
    auto const n = duration.count();
    if (n > 0 && n % 86400 == 0) return fmt::format("{}d", n / 86400);
    if (n > 0 && n % 3600 == 0) return fmt::format("{}h", n / 3600);
    if (n > 0 && n % 60 == 0) return fmt::format("{}m", n / 60);
    return fmt::format("{}s", n);
}

result<std::uint64_t> parse_integer(std::string_view text, std::uint64_t min, std::uint64_t max,
                                    std::string* why) {
    auto const value = to_unsigned(text);
    if (!value || *value < min || *value > max) {
        return fail(why, fmt::format("expected a whole number from {} to {}, got {}", min, max,
                                     quote(text)));
    }
    return *value;
}

result<listen_address> parse_listen(std::string_view text, std::string* why) {
    constexpr std::string_view usage = "expected HOST:PORT such as 127.0.0.1:8000 or [::1]:8000";
    if (text.empty()) return fail(why, fmt::format("empty address; {}", usage));
    std::string_view host;
    std::string_view port;
    bool const bracketed = text.front() == '[';
    if (bracketed) {
        auto const close = text.find(']');
        if (close == std::string_view::npos) {
            return fail(why, fmt::format("{} has no closing ']'; {}", quote(text), usage));
        }
        host = text.substr(1, close - 1);
        auto const rest = text.substr(close + 1);
        if (rest.empty()) return fail(why, fmt::format("{} has no port; {}", quote(text), usage));
        if (rest.front() != ':') {
            return fail(why, fmt::format("{}: expected ':' after ']'; {}", quote(text), usage));
        }
        port = rest.substr(1);
    } else {
        auto const colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return fail(why, fmt::format("{} has no port; {}", quote(text), usage));
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
    }
    if (auto const problem = host_problem(host, bracketed, false); !problem.empty()) {
        return fail(why, fmt::format("{}: {}; {}", quote(text), problem, usage));
    }
    auto const number = to_unsigned(port);
    if (!number || *number > 65535) {
        return fail(
            why,
            fmt::format("{}: the port {} is not a number from 0 to 65535 (0 picks a free port)",
                        quote(text), quote(port)));
    }
    return listen_address{std::string{host}, static_cast<std::uint16_t>(*number)};
}

result<argon2_params> parse_argon2(std::string_view text, std::string* why) {
    constexpr std::string_view form = "expected m=KIB,t=N,p=N such as m=19456,t=2,p=1";
    auto const usage = fmt::format("{}, got {}", form, quote(text));
    std::array<std::optional<std::uint32_t>, 3> values;  // m, t, p
    constexpr std::string_view keys = "mtp";
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        auto const part = text.substr(start, comma - start);
        if (part.size() < 2 || part[1] != '=' || keys.find(part[0]) == std::string_view::npos) {
            return fail(why, usage);
        }
        auto& slot = values[keys.find(part[0])];
        if (slot) return fail(why, fmt::format("{}: {} is given twice", quote(text), part[0]));
        auto const number = to_unsigned(part.substr(2));
        if (!number || *number > 0xFFFFFFFFU) {
            return fail(why, fmt::format("{}: {} must be a whole number below 2^32, got {}",
                                         quote(text), part[0], quote(part.substr(2))));
        }
        slot = static_cast<std::uint32_t>(*number);
        start = comma + 1;
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!values[i])
            return fail(why, fmt::format("{}: {} is missing; {}", quote(text), keys[i], form));
    }
    argon2_params const params{*values[0], *values[1], *values[2]};
    if (params.iterations < 1) {
        return fail(why, fmt::format("{}: t (iterations) must be at least 1", quote(text)));
    }
    if (params.parallelism < 1 || params.parallelism > 0xFFFFFFU) {
        return fail(why, fmt::format("{}: p (lanes) must be from 1 to 16777215", quote(text)));
    }
    if (params.memory_kib < 8ULL * params.parallelism) {
        return fail(why, fmt::format("{}: m (memory in KiB) must be at least 8 times p ({})",
                                     quote(text), 8ULL * params.parallelism));
    }
    if (params.memory_kib > 4194304U) {
        return fail(
            why, fmt::format("{}: m (memory in KiB) must be at most 4194304 (4 GiB)", quote(text)));
    }
    return params;
}

bool is_scope_token(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        auto const u = static_cast<unsigned char>(c);
        return u == 0x21 || (u >= 0x23 && u <= 0x5B) || (u >= 0x5D && u <= 0x7E);
    });
}

result<std::vector<std::string>> parse_scopes(std::string_view text, std::string* why) {
    std::vector<std::string> scopes;
    std::size_t start = 0;
    while (start < text.size()) {
        start = text.find_first_not_of(" ,", start);
        if (start == std::string_view::npos) break;
        auto end = text.find_first_of(" ,", start);
        if (end == std::string_view::npos) end = text.size();
        auto const token = text.substr(start, end - start);
        if (!is_scope_token(token)) {
            return fail(why,
                        fmt::format("invalid scope {}: a scope is printable ASCII without spaces, "
                                    "double quotes or backslashes (RFC 6749 §3.3)",
                                    quote(token)));
        }
        scopes.emplace_back(token);
        start = end;
    }
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    return scopes;
}

result<void> check_algorithm(std::string_view text, std::string* why) {
    constexpr std::array<std::string_view, 13> names{"HS256", "HS384", "HS512", "RS256", "RS384",
                                                     "RS512", "PS256", "PS384", "PS512", "ES256",
                                                     "ES384", "ES512", "EdDSA"};
    if (std::find(names.begin(), names.end(), text) != names.end()) return {};
    return fail(why,
                fmt::format("unknown algorithm {}; use HS256, HS384, HS512, RS256, RS384, RS512, "
                            "PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA",
                            quote(text)));
}

result<void> check_origin(std::string_view text, std::string* why) {
    if (text == "*") return {};
    auto const usage = fmt::format(
        "expected an origin such as https://app.example.com or http://localhost:3000 "
        "(scheme, lowercase host, optional port, no path), got {}",
        quote(text));
    std::string_view rest;
    if (starts_with(text, "https://"))
        rest = text.substr(8);
    else if (starts_with(text, "http://"))
        rest = text.substr(7);
    else
        return fail(why, usage);
    if (rest.find_first_of("/?#") != std::string_view::npos) {
        return fail(why, fmt::format("{}: an origin has no path, query or fragment (not even a "
                                     "trailing '/')",
                                     quote(text)));
    }
    std::string_view host = rest;
    std::string_view port;
    bool const bracketed = !rest.empty() && rest.front() == '[';
    if (bracketed) {
        auto const close = rest.find(']');
        if (close == std::string_view::npos) return fail(why, usage);
        host = rest.substr(1, close - 1);
        auto const after = rest.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail(why, usage);
            port = after.substr(1);
            if (port.empty()) return fail(why, usage);
        }
    } else if (auto const colon = rest.find(':'); colon != std::string_view::npos) {
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (port.empty()) return fail(why, usage);
    }
    if (auto const problem = host_problem(host, bracketed, true); !problem.empty()) {
        return fail(why, fmt::format("{}: {}", quote(text), problem));
    }
    if (!port.empty()) {
        auto const number = to_unsigned(port);
        if (!number || *number < 1 || *number > 65535) {
            return fail(why, fmt::format("{}: the port {} is not a number from 1 to 65535",
                                         quote(text), quote(port)));
        }
    }
    return {};
}

result<std::vector<std::string>> parse_list(std::string_view text, std::string* why) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        auto item = text.substr(start, comma - start);
        auto const first = item.find_first_not_of(" \t");
        item = first == std::string_view::npos
                   ? std::string_view{}
                   : item.substr(first, item.find_last_not_of(" \t") - first + 1);
        if (item.empty()) {
            return fail(why, "empty item in the list (two commas in a row or a comma at an end)");
        }
        items.emplace_back(item);
        start = comma + 1;
    }
    return items;
}

result<std::vector<std::string>> parse_origin_list(std::string_view text, std::string* why) {
    auto origins = parse_list(text, why);
    if (!origins) return origins.error();
    for (auto const& origin : *origins) {
        if (auto const ok = check_origin(origin, why); !ok) return ok.error();
    }
    return origins;
}

result<network_range> parse_network(std::string_view text, std::string* why) {
    auto range = network_range::parse(text);
    if (!range) {
        return fail(why, fmt::format("{} is not a network: write an address with an optional "
                                     "prefix length and zero host bits, such as 10.0.0.0/8, "
                                     "fd00::/8 or 127.0.0.1",
                                     quote(text)));
    }
    return *range;
}

result<bool> parse_switch(std::string_view text, std::string* why) {
    if (text == "on" || text == "off") return text == "on";
    // Spelled out: an error_code converts to bool too, so `return fail(...)` would be ambiguous.
    return result<bool>{boost::system::in_place_error,
                        fail(why, fmt::format("expected one of on, off, got {}", quote(text)))};
}

result<void> check_database_url(std::string_view text, std::string* why) {
    constexpr std::string_view usage =
        "use sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql://...";
    if (starts_with(text, "sqlite:///")) {
        auto const path = text.substr(10);
        if (path.empty()) return fail(why, fmt::format("the sqlite URL names no file; {}", usage));
        if (path.find('\0') != std::string_view::npos) {
            return fail(why, "the sqlite path contains a NUL byte");
        }
        return {};
    }
    if (starts_with(text, "sqlite:")) {
        return fail(why, fmt::format("a sqlite URL has three slashes and a file; {}", usage));
    }
    if (starts_with(text, "postgresql://") || starts_with(text, "postgres://")) return {};
    return fail(why, fmt::format("not a database URL ({}); {}", scheme_of(text), usage));
}

result<void> check_redis_url(std::string_view text, std::string* why) {
    if (starts_with(text, "rediss://")) {
        // Debian 12's hiredis (0.14) has no TLS: refused here rather than at the first connect.
        return fail(why,
                    "rediss:// (TLS) is not supported by this build's hiredis; reach Redis "
                    "over a Unix socket (unix:///path) or a TLS tunnel");
    }
    for (std::string_view const scheme : {"redis://", "unix://"}) {
        if (starts_with(text, scheme) && text.size() > scheme.size()) return {};
    }
    return fail(why, fmt::format("not a Redis URL ({}); use redis://[:PASSWORD@]HOST:PORT[/DB] "
                                 "or unix:///path/to/socket",
                                 scheme_of(text)));
}

namespace {

// `HOST[:PORT]` of a URL (`[IPv6]` bracketed); `text` is the whole URL, for the message.
result<void> check_authority(std::string_view authority, std::string_view text, std::string* why) {
    std::string_view host = authority;
    std::string_view port;
    bool const bracketed = !authority.empty() && authority.front() == '[';
    if (bracketed) {
        auto const close = authority.find(']');
        if (close == std::string_view::npos) {
            return fail(why, fmt::format("{} has no closing ']'", quote(text)));
        }
        host = authority.substr(1, close - 1);
        auto const after = authority.substr(close + 1);
        if (!after.empty() && after.front() != ':') {
            return fail(why, fmt::format("{}: expected ':' after ']'", quote(text)));
        }
        if (!after.empty()) port = after.substr(1);
    } else if (auto const colon = authority.find(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (auto const problem = host_problem(host, bracketed, false); !problem.empty()) {
        return fail(why, fmt::format("{}: {}", quote(text), problem));
    }
    if (authority.find(':', bracketed ? authority.find(']') : 0) != std::string_view::npos) {
        auto const number = to_unsigned(port);
        if (!number || *number < 1 || *number > 65535) {
            return fail(why, fmt::format("{}: the port {} is not a number from 1 to 65535",
                                         quote(text), quote(port)));
        }
    }
    return {};
}

}  // namespace

result<void> check_public_url(std::string_view text, std::string* why) {
    std::string_view rest;
    if (starts_with(text, "https://"))
        rest = text.substr(8);
    else if (starts_with(text, "http://"))
        rest = text.substr(7);
    else
        return fail(why, fmt::format("expected an http:// or https:// URL such as "
                                     "https://auth.example.com, got {}",
                                     quote(text)));
    if (auto const ok = check_text(text, why); !ok) return ok;
    if (rest.find_first_of("?#@ ") != std::string_view::npos) {
        return fail(why, fmt::format("{}: no query, fragment, user or spaces in the public URL",
                                     quote(text)));
    }
    return check_authority(rest.substr(0, rest.find('/')), text, why);
}

result<void> check_smtp_url(std::string_view text, std::string* why) {
    std::string_view rest;
    if (starts_with(text, "smtps://"))
        rest = text.substr(8);
    else if (starts_with(text, "smtp://"))
        rest = text.substr(7);
    else
        return fail(why, fmt::format("expected smtp://HOST[:PORT] (STARTTLS when offered) or "
                                     "smtps://HOST[:PORT] (TLS), got {}",
                                     quote(text)));
    if (rest.find('@') != std::string_view::npos) {
        // Never quote it: the part before '@' may hold a password.
        return fail(why,
                    "no user or password in the SMTP URL: give the user with --smtp-user "
                    "and the password in WARDEN_SMTP_PASSWORD");
    }
    if (auto const ok = check_text(text, why); !ok) return ok;
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    if (rest.find_first_of("/?# ") != std::string_view::npos) {
        return fail(
            why, fmt::format("{}: an SMTP URL is a scheme, a host and a port only", quote(text)));
    }
    return check_authority(rest, text, why);
}

result<void> check_text(std::string_view text, std::string* why) {
    if (text.empty()) return fail(why, "must not be empty");
    bool const control = std::any_of(text.begin(), text.end(), [](char c) {
        auto const u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7F;
    });
    if (control) return fail(why, fmt::format("{} contains a control character", quote(text)));
    return {};
}

result<password_scheme> parse_password_scheme(std::string_view text, std::string* why) {
    constexpr std::array<std::pair<std::string_view, password_scheme>, 2> names{
        {{"argon2id", password_scheme::argon2id}, {"bcrypt", password_scheme::bcrypt}}};
    return parse_name(text, names, why);
}

result<registration_policy> parse_registration(std::string_view text, std::string* why) {
    constexpr std::array<std::pair<std::string_view, registration_policy>, 2> names{
        {{"open", registration_policy::open}, {"closed", registration_policy::closed}}};
    return parse_name(text, names, why);
}

result<log_level> parse_log_level(std::string_view text, std::string* why) {
    constexpr std::array<std::pair<std::string_view, log_level>, 6> names{
        {{"trace", log_level::trace},
         {"debug", log_level::debug},
         {"info", log_level::info},
         {"warn", log_level::warn},
         {"error", log_level::error},
         {"off", log_level::off}}};
    return parse_name(text, names, why);
}

result<log_format> parse_log_format(std::string_view text, std::string* why) {
    constexpr std::array<std::pair<std::string_view, log_format>, 2> names{
        {{"text", log_format::text}, {"json", log_format::json}}};
    return parse_name(text, names, why);
}

std::string quote(std::string_view text) {
    constexpr std::size_t shown = 80;
    std::string out = "\"";
    for (char const c : text.substr(0, shown)) {
        auto const u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u >= 0x7F) {
            out += fmt::format("\\x{:02x}", u);
        } else {
            out += c;
        }
    }
    if (text.size() > shown) out += "...";
    out += '"';
    return out;
}

}  // namespace warden::app
