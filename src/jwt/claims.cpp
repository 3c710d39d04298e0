#include <cmath>
#include <limits>
#include <warden/core/json.hpp>
#include <warden/jwt/claims.hpp>

namespace warden::jwt {

namespace json = boost::json;

// Not defaulted in the class: a user-provided constructor makes value-initialisation (as in
// `result<claims>{in_place_value}`) skip zero-filling ~900 bytes of inline storage per verify.
claims::claims() noexcept = default;

claims::member const* claims::find(std::string_view name) const noexcept {
    for (auto const& m : members_) {
        if (view(m.name) == name) return &m;
    }
    return nullptr;
}

std::optional<std::string_view> claims::registered_string(registered_claim c) const noexcept {
    auto const* m = registered(c);
    if (m == nullptr || m->kind != json::kind::string) return std::nullopt;
    return view(m->value.s);
}

std::optional<std::int64_t> claims::registered_date(registered_claim c) const noexcept {
    auto const* m = registered(c);
    if (m == nullptr) return std::nullopt;
    switch (m->kind) {
        case json::kind::int64:
            return m->value.i;
        case json::kind::uint64:
            return m->value.u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                       ? std::numeric_limits<std::int64_t>::max()
                       : static_cast<std::int64_t>(m->value.u);
        case json::kind::double_: {
            double const d = std::floor(m->value.d);
            if (!std::isfinite(d)) return std::nullopt;
            // Saturate: 2^63 is exactly representable, anything at or above it clamps.
            if (d >= 9223372036854775808.0) return std::numeric_limits<std::int64_t>::max();
            if (d < -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
            return static_cast<std::int64_t>(d);
        }
        default:
            return std::nullopt;
    }
}

std::optional<std::string_view> claims::iss() const noexcept { return registered_string(c_iss); }
std::optional<std::string_view> claims::sub() const noexcept { return registered_string(c_sub); }
std::optional<std::string_view> claims::jti() const noexcept { return registered_string(c_jti); }
std::optional<std::string_view> claims::scope() const noexcept {
    return registered_string(c_scope);
}
std::optional<std::int64_t> claims::exp() const noexcept { return registered_date(c_exp); }
std::optional<std::int64_t> claims::nbf() const noexcept { return registered_date(c_nbf); }
std::optional<std::int64_t> claims::iat() const noexcept { return registered_date(c_iat); }

std::vector<std::string_view> claims::aud() const {
    std::vector<std::string_view> out;
    auto const* m = registered(c_aud);
    if (m == nullptr) return out;
    if (m->kind == json::kind::string) {
        out.push_back(view(m->value.s));
    } else if (m->kind == json::kind::array) {
        for (auto const r : aud_) out.push_back(view(r));
    }
    return out;
}

bool claims::has_audience(std::string_view audience) const noexcept {
    auto const* m = registered(c_aud);
    if (m == nullptr) return false;
    if (m->kind == json::kind::string) return view(m->value.s) == audience;
    if (m->kind != json::kind::array) return false;
    for (auto const r : aud_) {
        if (view(r) == audience) return true;
    }
    return false;
}

bool claims::has_scope(std::string_view scope_token) const noexcept {
    auto const s = scope();
    if (!s || scope_token.empty()) return false;
    std::string_view rest = *s;
    while (!rest.empty()) {
        auto const space = rest.find(' ');
        if (rest.substr(0, space) == scope_token) return true;
        if (space == std::string_view::npos) break;
        rest.remove_prefix(space + 1);
    }
    return false;
}

bool claims::contains(std::string_view name) const noexcept { return find(name) != nullptr; }

std::optional<json::kind> claims::kind_of(std::string_view name) const noexcept {
    auto const* m = find(name);
    if (m == nullptr) return std::nullopt;
    return m->kind;
}

std::optional<std::string_view> claims::get_string(std::string_view name) const noexcept {
    auto const* m = find(name);
    if (m == nullptr || m->kind != json::kind::string) return std::nullopt;
    return view(m->value.s);
}

std::optional<std::int64_t> claims::get_int64(std::string_view name) const noexcept {
    auto const* m = find(name);
    if (m == nullptr) return std::nullopt;
    switch (m->kind) {
        case json::kind::int64:
            return m->value.i;
        case json::kind::uint64:
            if (m->value.u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
                return std::nullopt;
            }
            return static_cast<std::int64_t>(m->value.u);
        case json::kind::double_: {
            double const d = m->value.d;
            if (!std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 ||
                d >= 9223372036854775808.0) {
                return std::nullopt;
            }
            return static_cast<std::int64_t>(d);
        }
        default:
            return std::nullopt;
    }
}

std::optional<double> claims::get_number(std::string_view name) const noexcept {
    auto const* m = find(name);
    if (m == nullptr) return std::nullopt;
    switch (m->kind) {
        case json::kind::int64:
            return static_cast<double>(m->value.i);
        case json::kind::uint64:
            return static_cast<double>(m->value.u);
        case json::kind::double_:
            return m->value.d;
        default:
            return std::nullopt;
    }
}

std::optional<bool> claims::get_bool(std::string_view name) const noexcept {
    auto const* m = find(name);
    if (m == nullptr || m->kind != json::kind::bool_) return std::nullopt;
    return m->value.b;
}

std::string_view claims::payload_json() const noexcept { return view(payload_); }

json::object claims::payload() const {
    // The text was parsed strictly when the token was verified; this only builds the DOM.
    auto parsed =
        parse_json_strict(payload_json(), {.max_depth = std::numeric_limits<std::size_t>::max()});
    if (!parsed || !parsed->is_object()) return {};
    return std::move(parsed->get_object());
}

}  // namespace warden::jwt
