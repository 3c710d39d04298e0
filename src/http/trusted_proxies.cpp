#include <warden/http/trusted_proxies.hpp>

#include <optional>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>

namespace warden::http {
namespace {

namespace beast = boost::beast;
namespace ip = boost::asio::ip;
using beast::http::field;

/// One `for` value per forwarding hop, left to right; nullopt for a hop that names no one.
using hops = std::vector<std::optional<std::string>>;

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/// RFC 9110 §5.6.2 tchar.
bool is_tchar(char c) noexcept {
    return is_digit(c) || is_alpha(c) ||
           std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

/// RFC 7239 §6 node-port: 1 to 5 digits, or an obfuscated `_name`.
bool valid_port(std::string_view port) noexcept {
    if (port.empty()) return false;
    if (port.front() == '_') {
        for (char const c : port.substr(1)) {
            if (!is_digit(c) && !is_alpha(c) && c != '.' && c != '_' && c != '-') return false;
        }
        return port.size() > 1;
    }
    if (port.size() > 5) return false;
    for (char const c : port) {
        if (!is_digit(c)) return false;
    }
    return true;
}

/// The address of a forwarding node (`192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`,
/// `[2001:db8::1]`, `[2001:db8::1]:8080`) in canonical text; nullopt for anything else.
std::optional<std::string> node_address(std::string_view node) {
    std::string_view host = node;
    if (!host.empty() && host.front() == '[') {
        auto const close = host.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        auto const rest = host.substr(close + 1);
        if (!rest.empty() && (rest.front() != ':' || !valid_port(rest.substr(1))))
            return std::nullopt;
        host = host.substr(1, close - 1);
        if (host.find(':') == std::string_view::npos) return std::nullopt;  // IPv6 only
    } else if (auto const colon = host.find(':');
               colon != std::string_view::npos &&
               host.find(':', colon + 1) == std::string_view::npos) {
        // One colon: IPv4 and a port (IPv6 has two at least, and needs brackets with a port).
        if (!valid_port(host.substr(colon + 1))) return std::nullopt;
        host = host.substr(0, colon);
        if (host.find('.') == std::string_view::npos) return std::nullopt;
    }
    // A zone (`fe80::1%eth0`) names an interface of the proxy's host, not a client.
    if (host.empty() || host.find('%') != std::string_view::npos) return std::nullopt;
    boost::system::error_code ec;
    auto const address = ip::make_address(host, ec);
    if (ec) return std::nullopt;
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return ip::make_address_v4(ip::v4_mapped, address.to_v6()).to_string();
    return address.to_string();
}

/// `X-Forwarded-For`: comma-separated nodes, over any number of field lines (RFC 9110 §5.3:
/// several lines are one list, in order). Empty list elements do not count (§5.6.1).
hops x_forwarded_for(beast::http::fields const& headers) {
    hops out;
    auto const [first, last] = headers.equal_range("X-Forwarded-For");
    for (auto it = first; it != last; ++it) {
        std::string_view rest = it->value();
        while (true) {
            auto const comma = rest.find(',');
            auto const item = trim(rest.substr(0, comma));
            if (!item.empty()) out.emplace_back(std::string{item});
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    return out;
}

/// Reads RFC 7239 `forwarded-element`s from one field line: pairs `token=value` (value a token
/// or a quoted-string) separated by `;`, elements by `,`. Whitespace is allowed around both
/// separators, as proxies write it. Appends each element's `for` value (or nullopt) to `out`;
/// false when the line breaks the grammar or an element names `for` twice.
class forwarded_reader {
  public:
    explicit forwarded_reader(std::string_view line) : s_(line) {}

    bool read(hops& out) {
        while (true) {
            skip_ows();
            if (done()) return true;
            if (s_[i_] == ',') {  // an empty list element
                ++i_;
                continue;
            }
            std::optional<std::string> for_value;
            if (!element(for_value)) return false;
            out.push_back(std::move(for_value));
            if (!done()) ++i_;  // element() stopped at a comma
        }
    }

  private:
    bool done() const noexcept { return i_ == s_.size(); }
    void skip_ows() noexcept {
        while (!done() && is_ows(s_[i_])) ++i_;
    }

    /// Reads pairs up to the element's end (a comma or the end of the line).
    bool element(std::optional<std::string>& for_value) {
        while (true) {
            skip_ows();
            if (done() || s_[i_] == ',') return true;
            if (s_[i_] == ';') {  // an empty pair
                ++i_;
                continue;
            }
            auto const name = token();
            if (name.empty() || done() || s_[i_] != '=') return false;
            ++i_;
            std::string value;
            if (!done() && s_[i_] == '"') {
                if (!quoted(value)) return false;
            } else {
                value = std::string{token()};
                if (value.empty()) return false;
            }
            if (beast::iequals(name, "for")) {
                if (for_value) return false;
                for_value = std::move(value);
            }
            skip_ows();
            if (done() || s_[i_] == ',') return true;
            if (s_[i_] != ';') return false;
            ++i_;
        }
    }

    std::string_view token() noexcept {
        auto const start = i_;
        while (!done() && is_tchar(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }

    /// RFC 9110 §5.6.4 quoted-string, unescaped into `value`.
    bool quoted(std::string& value) {
        ++i_;  // the opening quote
        while (!done() && s_[i_] != '"') {
            if (s_[i_] == '\\') {
                ++i_;
                if (done()) return false;
            }
            value += s_[i_++];
        }
        if (done()) return false;
        ++i_;  // the closing quote
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

/// Every `Forwarded` line's elements, in order; nullopt when any line is malformed.
std::optional<hops> forwarded_for(beast::http::fields const& headers) {
    hops out;
    auto const [first, last] = headers.equal_range(field::forwarded);
    for (auto it = first; it != last; ++it) {
        if (!forwarded_reader{it->value()}.read(out)) return std::nullopt;
    }
    return out;
}

}  // namespace

bool trusted_proxies::trusts(std::string_view address) const {
    auto const bytes = network_range::address_bytes(address);
    if (!bytes) return false;
    for (auto const& range : ranges_) {
        if (range.contains(*bytes)) return true;
    }
    return false;
}

std::string trusted_proxies::client_address(std::string_view peer,
                                            beast::http::fields const& headers) const {
    if (ranges_.empty() || !trusts(peer)) return std::string{peer};
    hops chain;
    if (headers.count("X-Forwarded-For") != 0) {
        chain = x_forwarded_for(headers);
    } else if (headers.count(field::forwarded) != 0) {
        auto parsed = forwarded_for(headers);
        if (!parsed) return std::string{peer};
        chain = std::move(*parsed);
    }
    std::string client;
    for (auto hop = chain.rbegin(); hop != chain.rend(); ++hop) {
        auto address = *hop ? node_address(**hop) : std::nullopt;
        if (!address) return std::string{peer};
        if (!trusts(*address)) return std::move(*address);
        client = std::move(*address);  // a proxy of ours: the client is further left
    }
    return client.empty() ? std::string{peer} : client;
}

}  // namespace warden::http
