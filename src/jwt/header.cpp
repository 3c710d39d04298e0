#include "jwt/header.hpp"

#include <boost/json/array.hpp>
#include <warden/core/base64url.hpp>
#include <warden/core/errc.hpp>
#include <warden/core/json.hpp>
#include <warden/jwt/errc.hpp>

namespace warden::jwt {
namespace {

namespace json = boost::json;

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view strip_application(std::string_view t) noexcept {
    constexpr std::string_view prefix = "application/";
    if (t.size() > prefix.size() && iequals(t.substr(0, prefix.size()), prefix)) {
        return t.substr(prefix.size());
    }
    return t;
}

}  // namespace

bool typ_matches(std::string_view typ, std::string_view expected) noexcept {
    return iequals(strip_application(typ), strip_application(expected));
}

result<header_info> parse_header(std::string_view header_b64, std::size_t max_depth) {
    auto text = base64url_decode(header_b64);
    if (!text) return make_error_code(errc::bad_base64);
    auto parsed = parse_json_strict(*text, {.max_depth = max_depth});
    if (!parsed) {
        if (parsed.error() == core_errc::duplicate_member) {
            return make_error_code(errc::duplicate_member);
        }
        if (parsed.error() == core_errc::json_too_deep) return make_error_code(errc::too_deep);
        return make_error_code(errc::bad_json);
    }
    if (!parsed->is_object()) return make_error_code(errc::not_an_object);
    header_info h;
    h.object = std::move(parsed->get_object());
    auto const& o = h.object;

    auto const* alg = o.if_contains("alg");
    if (alg == nullptr || !alg->is_string()) return make_error_code(errc::bad_header);
    std::string_view const alg_name = alg->get_string();
    // RFC 8725 §3.2 / RFC 7518 §3.6: unsecured JWS is never accepted.
    if (alg_name == "none") return make_error_code(errc::alg_none);
    auto const known = algorithm_from_string(alg_name);
    if (!known) return make_error_code(errc::alg_not_allowed);
    h.alg = *known;

    for (std::string_view const name : {"kid", "typ", "cty"}) {
        auto const* v = o.if_contains(name);
        if (v != nullptr && !v->is_string()) return make_error_code(errc::bad_header);
    }
    if (auto const* kid = o.if_contains("kid")) {
        h.has_kid = true;
        h.kid = std::string_view{kid->get_string()};
    }
    if (auto const* typ = o.if_contains("typ")) {
        h.has_typ = true;
        h.typ = std::string_view{typ->get_string()};
    }
    // RFC 7515 §4.1.11: `crit` is a non-empty array of names; each must be understood, and this
    // library implements no extension, so any well-formed `crit` is refused as unknown.
    if (auto const* crit = o.if_contains("crit")) {
        if (!crit->is_array() || crit->get_array().empty())
            return make_error_code(errc::bad_header);
        for (auto const& name : crit->get_array()) {
            if (!name.is_string()) return make_error_code(errc::bad_header);
        }
        return make_error_code(errc::unknown_crit);
    }
    // RFC 7797 §6: `b64` is only meaningful inside `crit`; alone it is a malformed header.
    if (o.contains("b64")) return make_error_code(errc::bad_header);
    return h;
}

}  // namespace warden::jwt
