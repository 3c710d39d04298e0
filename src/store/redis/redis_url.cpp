#include "store/redis/redis_url.hpp"

#include <charconv>
#include <climits>
#include <utility>

#include <warden/store/errc.hpp>

namespace warden::store {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto const lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// RFC 3986 percent-decoding; false on a `%` not followed by two hex digits.
bool percent_decode(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return false;
        int const high = hex_value(in[i + 1]);
        int const low = hex_value(in[i + 2]);
        if (high < 0 || low < 0) return false;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return true;
}

// Digits only (no sign, no spaces), within [min, max].
bool parse_decimal(std::string_view s, long long min, long long max, long long& out) noexcept {
    if (s.empty() || s.size() > 18) return false;
    for (char const c : s) {
        if (c < '0' || c > '9') return false;
    }
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size() && out >= min && out <= max;
}

bool has_control_or_space(std::string_view s) noexcept {
    for (char const c : s) {
        auto const u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return true;
    }
    return false;
}

// The messages below never echo any part of the URL: a mistyped URL can hold the password
// anywhere (e.g. `redis://user:secret` has no `@`, so `secret` would be the port).
constexpr std::string_view db_rule = "a number from 0 to 2147483647";

}  // namespace

result<redis_endpoint> parse_redis_url(std::string_view url, std::string* why) {
    auto const bad = [why](std::string_view text) -> result<redis_endpoint> {
        if (why != nullptr) {
            why->assign("bad Redis URL: ");
            why->append(text);
        }
        return errc::bad_url;
    };
    auto const scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return bad("expected redis://[:password@]host:port[/N] or unix:///path/to/socket[?db=N]");
    }
    auto const scheme = url.substr(0, scheme_end);
    if (iequals(scheme, "rediss")) return bad("TLS (rediss://) is not supported by this build");
    bool const unix_socket = iequals(scheme, "unix");
    if (!unix_socket && !iequals(scheme, "redis")) {
        return bad("the scheme must be redis:// or unix://");
    }
    auto const rest = url.substr(scheme_end + 3);
    if (rest.find('#') != std::string_view::npos) {
        return bad("a fragment (#...) is not allowed (write # in a password as %23)");
    }
    if (rest.find('\0') != std::string_view::npos) return bad("the URL holds a NUL byte");

    redis_endpoint out;
    // The authority ends at the first `/` or `?`; the user-info at its last `@`.
    auto const authority_end = std::min(rest.find_first_of("/?"), rest.size());
    auto const authority = rest.substr(0, authority_end);
    auto const tail = rest.substr(authority_end);
    auto host_port = authority;
    bool userinfo = false;
    if (auto const at = authority.rfind('@'); at != std::string_view::npos) {
        userinfo = true;
        auto const info = authority.substr(0, at);
        host_port = authority.substr(at + 1);
        auto const colon = info.find(':');
        if (colon == std::string_view::npos) {
            return bad("the user-info must be :password@ or user:password@");
        }
        if (!percent_decode(info.substr(0, colon), out.user)) {
            return bad("the user name has an invalid %-escape");
        }
        if (!percent_decode(info.substr(colon + 1), out.password)) {
            return bad("the password has an invalid %-escape");
        }
    }

    long long number = 0;
    std::string_view query;
    if (unix_socket) {
        if (!host_port.empty()) return bad("unix:// takes no host: unix:///path/to/socket");
        auto const q = tail.find('?');
        auto const path = tail.substr(0, q);
        if (path.empty() || path.front() != '/') {
            return bad("unix:// needs an absolute socket path: unix:///path/to/socket");
        }
        out.socket_path.assign(path);
        if (q != std::string_view::npos) query = tail.substr(q + 1);
    } else {
        if (host_port.empty()) return bad("no host: redis://host:port[/N]");
        std::string_view port;
        bool has_port = false;
        if (host_port.front() == '[') {
            auto const close = host_port.find(']');
            if (close == std::string_view::npos) return bad("an unterminated [IPv6 address]");
            out.host.assign(host_port.substr(1, close - 1));
            auto const after = host_port.substr(close + 1);
            if (!after.empty()) {
                if (after.front() != ':') return bad("after an [IPv6 address] only :port");
                port = after.substr(1);
                has_port = true;
            }
        } else {
            auto const colon = host_port.rfind(':');
            if (colon != std::string_view::npos && host_port.find(':') != colon) {
                return bad("an IPv6 address goes in brackets: redis://[::1]:6379");
            }
            out.host.assign(host_port.substr(0, colon));
            if (colon != std::string_view::npos) {
                port = host_port.substr(colon + 1);
                has_port = true;
            }
        }
        if (out.host.empty()) return bad("no host: redis://host:port[/N]");
        if (has_control_or_space(out.host)) return bad("the host holds a space or control byte");
        if (has_port) {
            if (!parse_decimal(port, 1, 65535, number)) {
                return bad("the port must be a number from 1 to 65535");
            }
            out.port = static_cast<int>(number);
        }
        if (tail.find('?') != std::string_view::npos) {
            return bad("redis:// takes no query parameters: the database is the path, /N");
        }
        if (tail.size() > 1) {
            if (!parse_decimal(tail.substr(1), 0, INT_MAX, number)) {
                return bad(std::string{"the database (the path, /N) must be "}.append(db_rule));
            }
            out.db = static_cast<int>(number);
        }
    }
    while (!query.empty()) {
        auto const amp = query.find('&');
        auto const parameter = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (parameter.substr(0, 3) != "db=") {
            return bad("unix:// takes one query parameter, db=N");
        }
        if (!parse_decimal(parameter.substr(3), 0, INT_MAX, number)) {
            return bad(std::string{"db= must be "}.append(db_rule));
        }
        out.db = static_cast<int>(number);
    }

    // The display form, rebuilt from the parts: the password can never slip into it.
    std::string const login = !userinfo || (out.user.empty() && out.password.empty())
                                  ? std::string{}
                                  : out.user + (out.password.empty() ? "" : ":***") + "@";
    if (unix_socket) {
        out.display = "unix://" + login + out.socket_path;
        if (out.db != 0) out.display += "?db=" + std::to_string(out.db);
    } else {
        bool const v6 = out.host.find(':') != std::string::npos;
        out.display = "redis://" + login + (v6 ? "[" + out.host + "]" : out.host) + ":" +
                      std::to_string(out.port) + "/" + std::to_string(out.db);
    }
    return out;
}

}  // namespace warden::store
